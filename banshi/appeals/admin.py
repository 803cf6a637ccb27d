from django.contrib import admin

from .models import Aspect, Category, DeadlinePolicy


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
