"""The demo (seeded) district's ledgers for the campaign so far: none empty, each with as many
rows as the records counted here independently, for the dispatcher."""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import load_workbook

from banshi.appeals.choices import ProblemStatus, State
from banshi.appeals.models import Appeal, Problem
from banshi.campaign.models import GuidanceVisit, PracticalMatter, StudyActivity, campaign_start
from banshi.reports.ledgers import ledger_bytes

from .test_seed import seed, seeded  # noqa: F401 - a fixture


def data_rows(kind: str, start: dt.date, end: dt.date) -> list[list]:
    dispatcher = get_user_model().objects.get(username="dispatcher")
    workbook = load_workbook(io.BytesIO(ledger_bytes(kind, dispatcher, start, end, None, "中原区")))
    return [list(row) for sheet in workbook.worksheets
            for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_demo_ledgers_are_full(seeded):  # noqa: F811
    start, end = campaign_start(), timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    appeals = Appeal.objects.filter(collected_at__gte=since, collected_at__lt=until)
    rows = data_rows("appeals", start, end)
    assert len(rows) == appeals.count() > 0
    closed = appeals.filter(state=State.CLOSED).count()
    assert [row[18] for row in rows].count("已销号") == closed > 0
    assert "未销号" in [row[18] for row in rows]

    study = StudyActivity.objects.filter(held_on__range=(start, end))
    assert len(data_rows("study", start, end)) == study.count() > 0

    matters = PracticalMatter.objects.filter(committed_on__range=(start, end))
    assert len(data_rows("matters", start, end)) == matters.count() > 0

    visits = (GuidanceVisit.objects.filter(visited_on__range=(start, end))
              .annotate(items=Count("rectifications")))
    expected = sum(max(1, visit.items) for visit in visits)
    assert len(data_rows("supervision", start, end)) == expected > 0

    problems = (Problem.objects.filter(status__in=[ProblemStatus.OPEN, ProblemStatus.RESOLVED],
                                       created_at__lt=until)
                .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=since)))
    assert len(data_rows("problems", start, end)) == problems.count() > 0


def test_the_demo_confirms_its_problems_once(seeded):  # noqa: F811
    under_way = Problem.objects.filter(status=ProblemStatus.OPEN)
    before = sorted(under_way.values_list("code", flat=True))
    assert len(before) == 3 and "整改中的共性问题：3 个" in seeded
    assert all(problem.milestones.count() == 2 for problem in under_way)
    assert "整改中的共性问题：3 个" in seed()
    assert sorted(under_way.values_list("code", flat=True)) == before
    assert all(problem.milestones.count() == 2 for problem in under_way)
