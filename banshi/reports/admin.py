"""The briefing's sentence templates, edited by system administrators only."""

from django import forms
from django.contrib import admin
from django.utils import timezone

from banshi.org import permissions
from banshi.org.choices import Role

from .briefing.sentences import SENTENCES
from .models import BriefingTemplate


class BriefingTemplateForm(forms.ModelForm):
    class Meta:
        model = BriefingTemplate
        fields = ["key", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].widget = forms.Select(
            choices=[(s.key, f"{s.label}({s.key})") for s in SENTENCES.values()])
        key = self.initial.get("key") or (self.instance.key if self.instance.pk else "")
        if key in SENTENCES:
            sentence = SENTENCES[key]
            self.fields["text"].help_text = (
                "可用数据：" + "、".join("{" + f + "}" for f in sentence.figures)
                + "。默认：" + sentence.default)


@admin.register(BriefingTemplate)
class BriefingTemplateAdmin(admin.ModelAdmin):
    form = BriefingTemplateForm
    list_display = ["__str__", "text", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_queryset(self, request):
        from .briefing.generator import template_texts

        template_texts()  # the defaults exist before anyone edits them
        return super().get_queryset(request)

    def save_model(self, request, obj, form, change):
        obj.updated_at, obj.updated_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    # system administrators only (superusers, staff with the admin role), whatever
    # model permissions an account was given
    def has_module_permission(self, request):
        return permissions.role_of(request.user) == Role.ADMIN

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
