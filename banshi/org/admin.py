from django.contrib import admin, messages

from .models import ApiToken, LeaderAssignmentChange, LoginFailure, Region, Staff, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "region", "is_active",
                    "review_delegated_answers"]
    list_filter = ["kind", "is_active", "review_delegated_answers"]
    search_fields = ["code", "name"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed (never their secret) and revoked here; they are issued only by
    POST /api/v1/auth/token, which shows the key once."""

    list_display = ["prefix_shown", "user", "created_at", "expires_at", "last_used_at", "live"]
    list_filter = [("expires_at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "prefix"]
    list_select_related = ["user"]
    ordering = ["-created_at"]
    fields = readonly_fields = (
        "prefix_shown", "user", "created_at", "expires_at", "last_used_at")
    actions = ["revoke"]

    @admin.display(description="令牌前缀", ordering="prefix")
    def prefix_shown(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description="有效", boolean=True)
    def live(self, token: ApiToken) -> bool:
        return token.is_live

    @admin.action(description="吊销所选令牌", permissions=["delete"])
    def revoke(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"已吊销 {count} 个令牌。", messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed logins the lockout counts (banshi.org.lockout); deleting rows unlocks."""

    list_display = fields = readonly_fields = (
        "username_shown", "ip_shown", "failures", "last_attempt", "path_shown")
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["unlock"]

    @admin.display(description="用户名", ordering="username")
    def username_shown(self, row: LoginFailure) -> str:
        return row.username or "-"

    @admin.display(description="来源地址", ordering="ip_address")
    def ip_shown(self, row: LoginFailure) -> str:
        return row.ip_address or "-"

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, row: LoginFailure) -> int:
        return row.failures_since_start

    @admin.display(description="最近失败时间", ordering="attempt_time")
    def last_attempt(self, row: LoginFailure):
        return row.attempt_time

    @admin.display(description="登录入口")
    def path_shown(self, row: LoginFailure) -> str:
        return row.path_info

    @admin.action(description="解除锁定(删除所选记录)", permissions=["delete"])
    def unlock(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"已删除 {count} 条登录失败记录。", messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LeaderAssignmentChange)
class LeaderAssignmentChangeAdmin(admin.ModelAdmin):
    """The append-only log of 包联 changes: read only."""

    list_display = ["at", "leader", "actor", "data", "note"]
    search_fields = ["leader__username", "actor__username", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
