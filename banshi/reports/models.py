"""The reports app's own rows: the briefing's editable sentence templates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class BriefingTemplate(models.Model):
    """One sentence of the briefing (工作简报), as a `str.format` text with named figures
    (`{symposiums}` …). The defaults live in banshi/reports/briefing/sentences.py; a row is
    created for each on first use and an admin may edit it (only the figures the section
    knows may be named)."""

    key = models.CharField("段落", max_length=40, unique=True)
    text = models.TextField("句式")
    updated_at = models.DateTimeField("修改时间", default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="修改人")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "简报句式"

    def __str__(self) -> str:
        from .briefing.sentences import SENTENCES

        sentence = SENTENCES.get(self.key)
        return f"{sentence.label}({self.key})" if sentence else self.key

    def clean(self) -> None:
        from .briefing.sentences import SENTENCES, TemplateError, check

        sentence = SENTENCES.get(self.key)
        if sentence is None:
            raise ValidationError({"key": f"没有这个段落：“{self.key}”"})
        try:
            check(self.key, self.text)
        except TemplateError as error:
            raise ValidationError({"text": str(error)}) from error
