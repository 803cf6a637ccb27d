"""Widgets every form of the project shares."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """An `<input type="date">` whose value is always an ISO date. A browser discards any
    other value, and the zh-hans locale would otherwise render 2026/12/04."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's own parameter name)
        super().__init__(attrs=attrs, format=format or ISO_DATE)
