"""批量派单: the appeals ticked on the workbench, sent to one unit with one note. Each is
dispatched by the one dispatch action (its own transaction and event), so a refusal of one
leaves the others done; the report names each refusal with its reason."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from banshi.appeals import actions
from banshi.appeals.models import Appeal
from banshi.org.models import Unit

from .action_forms import note_field
from .unit_picker import UnitSelect, unit_choices

BULK_MAX = 200  # appeals in one submission (a workbench page holds far fewer)
NUMBER_MAX = 32


class NumbersField(forms.Field):
    """The ticked appeals' numbers, in the order given, each once."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        numbers = [str(v).strip() for v in (value or []) if str(v).strip()]
        return list(dict.fromkeys(numbers))

    def validate(self, value):
        if not value:
            raise ValidationError("请先勾选要派单的诉求")
        if len(value) > BULK_MAX:
            raise ValidationError(f"一次最多派单{BULK_MAX}件")
        if any(len(number) > NUMBER_MAX for number in value):
            raise ValidationError("诉求编号不正确")


@dataclass
class BulkReport:
    unit: Unit
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (number, reason)


class BulkDispatchForm(forms.Form):
    numbers = NumbersField(label="所选诉求")
    unit = forms.ChoiceField(label="派至承办单位", choices=unit_choices, widget=UnitSelect)
    note = note_field("派单说明", rows=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_unit(self) -> Unit:
        unit = Unit.objects.filter(code=self.cleaned_data["unit"], is_active=True).first()
        if unit is None:
            raise ValidationError("请选择承办单位")
        return unit

    def perform(self) -> BulkReport:
        data = self.cleaned_data
        report = BulkReport(unit=data["unit"])
        numbers = data["numbers"]
        found = {a.number: a for a in
                 Appeal.objects.visible_to(self.user).filter(number__in=numbers)}
        for number in numbers:
            appeal = found.get(number)
            if appeal is None:  # missing and not visible alike
                report.refused.append((number, "未找到该诉求"))
                continue
            try:
                actions.dispatch(appeal, actor=self.user, unit=report.unit, note=data["note"])
            except actions.ActionError as exc:
                report.refused.append((number, exc.message))
            else:
                report.done.append(number)
        return report
