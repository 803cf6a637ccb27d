"""The demo's appeals carry realistic 问题是否解决 answers, and the handling figures over the
whole demo equal counts made here independently, straight from the rows."""

from django.db.models import Max, Min, Q
from django.utils import timezone

from banshi.appeals.choices import Rating, Solved, State
from banshi.appeals.models import Appeal, AppealEvent
from banshi.demo import seeding as demo
from banshi.org.models import Staff
from banshi.reports.metrics import handling_figures

from .test_seed import seed, seeded  # noqa: F401


def test_demo_answers_and_figures_by_independent_counting(seeded):  # noqa: F811
    appeals = Appeal.objects.filter(external_id__startswith=demo.DEMO_PREFIX)
    rated = appeals.exclude(rating="")
    assert rated.exists() and not rated.filter(solved="").exists()  # every rating has both
    assert set(rated.values_list("solved", flat=True)) <= set(Solved.values)
    assert rated.filter(rating=Rating.SATISFIED, solved=Solved.SOLVED).exists()
    # Realistic: most satisfied residents say the problem was solved.
    satisfied = rated.filter(rating=Rating.SATISFIED)
    assert satisfied.filter(solved=Solved.SOLVED).count() > satisfied.count() / 2
    # The same answer for the same appeal on a second run (drawn from its number).
    before = dict(rated.values_list("number", "solved"))
    seed()
    assert dict(rated.values_list("number", "solved")) == before

    bounds = Appeal.objects.aggregate(first=Min("collected_at"), last=Max("collected_at"))
    start = timezone.localtime(bounds["first"]).date()
    end = timezone.localtime(bounds["last"]).date()
    dispatcher = Staff.objects.filter(role="dispatcher").first().user
    figures = handling_figures(dispatcher, start, end)
    everything = Appeal.objects.all()
    dispatched = everything.exclude(dispatched_at=None)
    assert figures["received"] == everything.count()
    assert figures["dispatched"] == dispatched.count()
    assert figures["resolved"] == dispatched.filter(
        state__in=[State.RESOLVED, State.CLOSED]).count()
    answered = Q(rating="") & ~Q(callback_rating="") | ~Q(rating="")
    assert figures["rated"] == everything.filter(answered).count()
    for key in Solved.values:
        own_or_call = Q(solved=key) | Q(solved="", callback_solved=key)
        assert figures[key] == everything.filter(own_or_call).count(), key
    assert figures["satisfied"] == everything.filter(
        Q(rating=Rating.SATISFIED) | Q(rating="", callback_rating=Rating.SATISFIED)).count()
    assert figures["returns"] == AppealEvent.objects.filter(action="return").count()
    total = sum(row["received"] for row in figures["by_unit"])
    held_elsewhere = everything.filter(Q(unit=None) | Q(unit__parent=None)).count()
    assert total + held_elsewhere == figures["received"]
    assert 0 <= figures["satisfaction_rate"] <= 1 and 0 <= figures["solve_rate"] <= 1
    assert isinstance(figures["avg_handling_days"], float)
