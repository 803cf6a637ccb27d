"""The 领导包联 page's form: a leader's streets and departments (the grouped unit picker) and
shared problems, saved through banshi.appeals.actions.assign_leader."""

from django import forms
from django.db.models import Q

from banshi.appeals import actions
from banshi.appeals.actions.leaders import ASSIGNABLE_KINDS
from banshi.appeals.choices import ProblemStatus
from banshi.appeals.models import Problem
from banshi.org.models import LeaderAssignment, Unit

from .action_forms import note_field
from .unit_picker import UnitSelectMultiple, unit_choices

# Problems a leader may be given: those not yet decided and those under rectification.
ASSIGNABLE_PROBLEMS = (ProblemStatus.CANDIDATE, ProblemStatus.OPEN)


def _unit_choices() -> list:
    return unit_choices(None, kinds=ASSIGNABLE_KINDS)


class LeaderAssignmentForm(forms.Form):
    units = forms.MultipleChoiceField(
        label="包联单位(街道、部门)", choices=_unit_choices, required=False,
        widget=UnitSelectMultiple, help_text="按住 Ctrl(或 ⌘)可多选；街道的包联含其下属社区")
    problems = forms.MultipleChoiceField(
        label="包联共性问题", required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="待确认和整改中的共性问题；按住 Ctrl(或 ⌘)可多选")
    note = note_field()

    def __init__(self, *args, leader, **kwargs):
        super().__init__(*args, **kwargs)
        self.leader = leader
        held = Problem.objects.filter(leaders=leader)
        problems = (Problem.objects.filter(Q(status__in=ASSIGNABLE_PROBLEMS) | Q(pk__in=held))
                    .order_by("status", "-heat", "code"))
        self.fields["problems"].choices = [
            (p.code, f"{p.code} {p.title[:30]}({p.get_status_display()})") for p in problems]
        assignment = LeaderAssignment.objects.filter(leader=leader).first()
        self.initial.setdefault("units", [u.code for u in assignment.units.all()]
                                if assignment else [])
        self.initial.setdefault("problems", [p.code for p in held])

    def save(self, actor):
        data = self.cleaned_data
        return actions.assign_leader(
            self.leader, actor=actor, note=data["note"],
            units=list(Unit.objects.filter(code__in=data["units"])),
            problems=list(Problem.objects.filter(code__in=data["problems"])))
