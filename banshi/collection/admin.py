from django.contrib import admin

from . import models


@admin.register(models.Symposium)
class SymposiumAdmin(admin.ModelAdmin):
    list_display = ["code", "held_on", "kind", "topic", "unit", "participants"]
    list_filter = ["kind", "held_on"]
    search_fields = ["code", "topic", "place", "unit__name"]
    autocomplete_fields = ["unit", "region"]


@admin.register(models.Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(models.OpinionBox)
class OpinionBoxAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "place", "region", "unit", "installed_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "place", "unit__name"]
    autocomplete_fields = ["unit", "region"]


@admin.register(models.HouseholdVisit)
class HouseholdVisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "unit", "region", "visitors", "people_met"]
    list_filter = ["visited_on"]
    search_fields = ["unit__name", "visitors"]
    autocomplete_fields = ["unit", "region"]


@admin.register(models.Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "region", "branch", "appointed_on", "is_active"]
    search_fields = ["name", "branch", "unit__name"]
    autocomplete_fields = ["unit", "region"]


@admin.register(models.OnlineGroup)
class OnlineGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "region", "members", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit", "region"]


@admin.register(models.RecordEvent)
class RecordEventAdmin(admin.ModelAdmin):
    """The collection records' log, read-only: events are written by the actions only."""

    list_display = ["at", "action", "content_type", "object_id", "unit", "actor", "actor_label"]
    list_filter = ["action", "content_type"]
    search_fields = ["unit__name", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
