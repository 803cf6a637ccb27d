"""The demo's shared problems under rectification, for the 共性问题整改台账: the dispatcher
confirms the hottest candidates the detector recorded (through the problems' actions), gives
each the unit most of its appeals went to (merging none of them: they keep their states), and
records two steps of its plan. Once: a second
run finds problems under way and changes nothing."""

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.utils import timezone

from banshi.appeals.choices import ProblemStatus
from banshi.appeals.models import Problem
from banshi.appeals.problems.actions import add_milestone, confirm_candidate
from banshi.org.models import Unit

CONFIRMED = 3
STEPS = [("摸排核实，制定整改方案", 0, 100, "已完成现场摸排"),
         ("集中整改，逐户回访", 30, 40, "正在推进")]


def seed_problem_rectification() -> int:
    """Confirm up to CONFIRMED candidates with their plan; the problems under way."""
    under_way = Problem.objects.exclude(status__in=[ProblemStatus.CANDIDATE,
                                                    ProblemStatus.REJECTED])
    if under_way.exists():
        return under_way.count()
    dispatcher = get_user_model().objects.get(username="dispatcher")
    today = timezone.localdate()
    candidates = Problem.objects.filter(status=ProblemStatus.CANDIDATE).order_by("-heat", "pk")
    for problem in candidates[:CONFIRMED]:
        units = Counter(problem.candidate_appeals.exclude(unit=None)
                        .values_list("unit", flat=True))
        owner = Unit.objects.get(pk=units.most_common(1)[0][0]) if units else None
        # appeals=[]: none merged, so the demo's appeals keep the states the story gives them
        problem = confirm_candidate(problem, actor=dispatcher, appeals=[], owner_unit=owner)
        for title, days, progress, note in STEPS:
            add_milestone(problem, actor=dispatcher, title=title,
                          due_date=today + dt.timedelta(days=days), progress=progress, note=note)
    return under_way.count()

