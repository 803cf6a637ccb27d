"""共性问题台账 with the rectification's progress: the confirmed shared problems `user` may
see (banshi.appeals.access `visible_problems`) that were open at some time in the period
(confirmed on or before its end, not resolved before its start), of a unit's subtree when
narrowed (the leading unit, or a linked appeal handled there)."""

import datetime as dt

from django.db.models import Count, Prefetch, Q

from banshi.appeals.access import visible_problems
from banshi.appeals.choices import ProblemStatus
from banshi.appeals.models import Milestone, Problem
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from .book import Sheet, period_line
from .common import day_bounds, lines, local_date

KIND = "problems"
NAME = "共性问题整改台账"
COLUMNS = [("编号", 14), ("问题", 30), ("地点/人群", 24), ("涉及诉求(件)", 10),
           ("牵头单位", 18), ("状态", 8), ("整改进度", 8), ("整改节点及进展", 44),
           ("包联领导", 14), ("计划完成时间", 12), ("解决日期", 12), ("整改方案", 36)]


def problems(user, start: dt.date, end: dt.date, unit: Unit | None):
    since, until = day_bounds(start, end)
    queryset = (visible_problems(user)
                .filter(status__in=[ProblemStatus.OPEN, ProblemStatus.RESOLVED],
                        created_at__lt=until)
                .exclude(resolved_at__lt=since))
    if unit is not None and unit.kind != UnitKind.DISTRICT:
        queryset = queryset.filter(pk__in=Problem.objects.filter(
            Q(owner_unit__path__startswith=unit.path)
            | Q(appeals__unit__path__startswith=unit.path)).values("pk"))
    return (queryset.select_related("owner_unit")
            .prefetch_related("regions", "leaders",
                              Prefetch("milestones", queryset=Milestone.objects.all()))
            .annotate(appeal_count=Count("appeals", distinct=True))
            .order_by("created_at", "id"))


def person_name(user) -> str:
    return user.get_full_name() or user.username


def milestone_text(step: Milestone) -> str:
    due = f"(计划{step.due_date:%Y-%m-%d})" if step.due_date else ""
    note = f"：{step.note}" if step.note else ""
    return f"{step.title}{due} {step.progress}%{note}"


def row(problem: Problem) -> list:
    steps = list(problem.milestones.all())
    places = [*(str(p) for p in problem.places or []), *(r.name for r in problem.regions.all())]
    dues = [step.due_date for step in steps if step.due_date]
    return [
        problem.code, problem.title, "、".join(places),
        problem.appeal_count,  # type: ignore[attr-defined]  # annotated by problems()
        problem.owner_unit.name if problem.owner_unit_id else "",
        problem.get_status_display(), f"{problem.progress}%",
        lines(milestone_text(step) for step in steps),
        "、".join(person_name(leader) for leader in problem.leaders.all()),
        max(dues) if dues else None, local_date(problem.resolved_at), problem.plan,
    ]


def sheets(user, start: dt.date, end: dt.date, unit: Unit | None, scope: str) -> list[Sheet]:
    return [Sheet(name="共性问题", title=f"{scope}“我为群众办实事”共性问题整改台账",
                  period=period_line(start, end, scope), columns=COLUMNS,
                  rows=(row(problem) for problem in problems(user, start, end, unit)))]
