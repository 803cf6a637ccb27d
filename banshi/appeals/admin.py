from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple

from banshi.org import permissions
from banshi.org.choices import Role
from banshi.org.models import LeaderAssignment

from .actions import ActionError, assign_leader, recompute_deadlines
from .models import (
    Aspect,
    AutoDispatchRule,
    Category,
    DeadlinePolicy,
    HistoricalLoad,
    HolidayNotice,
    Problem,
    RoutingRule,
    StatutoryDay,
    TriageModelVersion,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "path_name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name", "path_name"]


@admin.register(Aspect)
class AspectAdmin(admin.ModelAdmin):
    """The 办实事方向 are data: the district renames, replaces and confirms them here."""

    list_display = ["code", "name", "confirmed", "mark"]
    list_editable = ["name", "confirmed"]
    list_filter = ["confirmed"]
    search_fields = ["code", "name"]

    @admin.display(description="标注")
    def mark(self, obj: Aspect) -> str:
        return "" if obj.confirmed else "待确认"


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["category", "urgency", "response_hours", "handling_days"]
    list_filter = ["urgency"]


class StampedAdmin(admin.ModelAdmin):
    """Records who last changed a row (`updated_by`)."""

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RoutingRule)
class RoutingRuleAdmin(StampedAdmin):
    list_display = ["category", "region", "unit", "keywords", "note", "updated_by", "updated_at"]
    list_editable = ["unit", "keywords", "note"]
    list_filter = ["category__level"]
    search_fields = ["category__path_name", "region__name", "unit__name"]
    autocomplete_fields = ["category", "region", "unit"]
    exclude = ["updated_by"]


@admin.register(AutoDispatchRule)
class AutoDispatchRuleAdmin(StampedAdmin):
    list_display = ["category", "enabled", "threshold", "updated_by", "updated_at"]
    list_editable = ["enabled", "threshold"]
    autocomplete_fields = ["category"]
    exclude = ["updated_by"]


@admin.register(TriageModelVersion)
class TriageModelVersionAdmin(admin.ModelAdmin):
    """Versions are written by training; an admin only chooses which one is active."""

    list_display = ["version", "is_active", "macro_f1", "accuracy", "n_train", "data_source",
                    "created_at", "activated_at", "note"]
    list_filter = ["is_active"]
    actions = ["activate", "force_activate"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_activate_permission(self, request) -> bool:
        return permissions.role_of(request.user) == Role.ADMIN

    def _activate(self, request, queryset, force: bool):
        from .learning.training import ActivationRefused, activate

        if queryset.count() != 1:
            self.message_user(request, "请只选择一个版本", messages.ERROR)
            return
        row = queryset.get()
        try:
            activate(row, force=force)
        except ActivationRefused as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, f"已启用版本 {row.version}", messages.SUCCESS)

    @admin.action(description="启用所选版本(不低于当前版本时)", permissions=["activate"])
    def activate(self, request, queryset):
        self._activate(request, queryset, force=False)

    @admin.action(description="强制启用所选版本", permissions=["activate"])
    def force_activate(self, request, queryset):
        self._activate(request, queryset, force=True)


# ---------- the statutory calendar: entering a notice recomputes the deadlines it touches ----

class StatutoryDayInline(admin.TabularInline):
    model = StatutoryDay
    extra = 3
    fields = ["date", "kind", "note"]


class RecomputingAdmin(admin.ModelAdmin):
    """After a change to the calendar, the open deadlines over the years it touches (the
    object's `years()`) are counted again (each change an event, see
    banshi.appeals.actions.recompute_deadlines)."""

    def _recompute(self, request, years: set[int]) -> None:
        changed = recompute_deadlines(years, actor=request.user)
        if changed:
            shown = "、".join(changed[:10]) + ("等" if len(changed) > 10 else "")
            self.message_user(
                request, f"已按新的节假日安排重算{len(changed)}件诉求的办理期限：{shown}",
                messages.INFO)

    def delete_model(self, request, obj):
        years = obj.years()
        super().delete_model(request, obj)
        self._recompute(request, years)

    def delete_queryset(self, request, queryset):
        years = set().union(*(obj.years() for obj in queryset))
        super().delete_queryset(request, queryset)
        self._recompute(request, years)



@admin.register(HolidayNotice)
class HolidayNoticeAdmin(RecomputingAdmin):
    """一年一条：录入国务院办公厅当年节假日安排通知及其中的放假、调休上班日期。"""

    list_display = ["year", "title", "published_on", "day_count", "entered_at"]
    inlines = [StatutoryDayInline]

    @admin.display(description="日期数")
    def day_count(self, obj) -> int:
        return obj.days.count()

    def save_related(self, request, form, formsets, change):
        before = form.instance.years() if change else set()
        super().save_related(request, form, formsets, change)
        self._recompute(request, before | form.instance.years())


@admin.register(StatutoryDay)
class StatutoryDayAdmin(RecomputingAdmin):
    list_display = ["date", "weekday", "kind", "note", "notice"]
    list_filter = ["kind", "notice"]
    date_hierarchy = "date"
    search_fields = ["note"]

    @admin.display(description="星期")
    def weekday(self, obj) -> str:
        return "星期" + "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        before = {form.initial["date"].year} if change and form.initial.get("date") else set()
        super().save_model(request, obj, form, change)
        self._recompute(request, before | obj.years())


# ---------- 领导包联: units (banshi.org) and problems (here), changed through the action ----

class LeaderAssignmentForm(forms.ModelForm):
    problems = forms.ModelMultipleChoiceField(
        label="包联共性问题", required=False, queryset=Problem.objects.order_by("-created_at"),
        widget=FilteredSelectMultiple("共性问题", is_stacked=False))
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea({"rows": 2}))

    class Meta:
        model = LeaderAssignment
        fields = ["leader", "units"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["problems"] = list(self.instance.leader.led_problems.all())


@admin.register(LeaderAssignment)
class LeaderAssignmentAdmin(admin.ModelAdmin):
    """包联 of each leader. Saving goes through `assign_leader`, which logs the change
    (LeaderAssignmentChange, and an event on each problem added or removed)."""

    form = LeaderAssignmentForm
    list_display = ["leader", "unit_names", "problem_codes", "updated_at", "updated_by"]
    search_fields = ["leader__username", "leader__first_name", "units__name",
                     "leader__led_problems__code", "leader__led_problems__title"]
    autocomplete_fields = ["leader", "units"]

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("leader", "updated_by")
                .prefetch_related("units", "leader__led_problems"))

    @admin.display(description="包联单位")
    def unit_names(self, obj: LeaderAssignment) -> str:
        return "、".join(u.name for u in obj.units.all()) or "—"

    @admin.display(description="包联共性问题")
    def problem_codes(self, obj: LeaderAssignment) -> str:
        return "、".join(p.code for p in obj.leader.led_problems.all()) or "—"

    def get_readonly_fields(self, request, obj=None):
        return ["leader"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        leader = obj.leader if change else data["leader"]
        try:
            saved = assign_leader(leader, actor=request.user, units=data["units"],
                                  problems=data["problems"], note=data["note"])
        except ActionError as exc:  # the admin's form cannot fail this late: say so and keep
            self.message_user(request, exc.message, messages.ERROR)
            saved = LeaderAssignment.objects.get_or_create(leader=leader)[0]
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The action already set the units and problems."""

    def has_delete_permission(self, request, obj=None):
        return False  # clear the units and problems instead, so the change is logged


@admin.register(HistoricalLoad)
class HistoricalLoadAdmin(admin.ModelAdmin):
    """历史补录记录: read only, as the database keeps them (banshi.appeals.clock)."""

    list_display = ["started_at", "reason", "run_by", "not_before", "events", "finished_at"]
    search_fields = ["reason", "run_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
