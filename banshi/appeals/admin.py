from django.contrib import admin, messages

from banshi.org import permissions
from banshi.org.choices import Role

from .models import (
    Aspect,
    AutoDispatchRule,
    Category,
    DeadlinePolicy,
    RoutingRule,
    TriageModelVersion,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "path_name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name", "path_name"]


@admin.register(Aspect)
class AspectAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


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
    list_display = ["category", "region", "unit", "note", "updated_by", "updated_at"]
    list_editable = ["unit", "note"]
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
