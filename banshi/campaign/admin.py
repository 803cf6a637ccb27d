"""The admin edits the campaign's settings-like records (the campaign, its organisation,
guidance groups, speakers, venues, selections and their rounds' rules). Records with a
workflow (tasks, matters, visits, nominations, stories) change through the pages' actions;
the admin lists them read-only."""

from django.contrib import admin

from . import models


@admin.register(models.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "started_on", "ended_on", "status"]


class OrgMemberInline(admin.TabularInline):
    model = models.OrgMember
    extra = 0
    autocomplete_fields = ["home_unit", "user"]


@admin.register(models.OrgGroup)
class OrgGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "campaign", "order"]
    list_filter = ["kind", "campaign"]
    search_fields = ["name"]
    autocomplete_fields = ["unit"]
    inlines = [OrgMemberInline]


@admin.register(models.Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "title", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "title"]
    autocomplete_fields = ["unit"]


@admin.register(models.Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "address"]
    search_fields = ["name"]


class GuidanceMemberInline(admin.TabularInline):
    model = models.GuidanceMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.GuidanceGroup)
class GuidanceGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "order"]
    filter_horizontal = ["covered_units"]
    autocomplete_fields = ["unit"]
    inlines = [GuidanceMemberInline]


class SelectionRoundInline(admin.StackedInline):
    model = models.SelectionRound
    extra = 0
    readonly_fields = ["stage"]


@admin.register(models.Selection)
class SelectionAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]
    autocomplete_fields = ["unit"]
    inlines = [SelectionRoundInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed for looking up; changed through the actions only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model, columns in [
    (models.Meeting, ["held_on", "kind", "title", "unit"]),
    (models.Task, ["title", "kind", "unit", "issued_on", "due_on"]),
    (models.PracticalMatter, ["title", "unit", "target_count", "done_count", "status"]),
    (models.StudyActivity, ["held_on", "kind", "title", "unit", "person_times"]),
    (models.GuidanceVisit, ["visited_on", "group", "unit", "rating"]),
    (models.Rectification, ["item", "unit", "due_on", "status"]),
    (models.Nomination, ["nominee", "round", "unit", "status", "final_score"]),
    (models.GoodPractice, ["title", "unit", "status", "published_on"]),
]:
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,),
                                    {"list_display": columns}))
