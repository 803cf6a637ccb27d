"""The leader dashboard's figures (数据看板), counted at the request from what the user may see
(`Appeal.objects.visible_to`, `visible_problems`, the collection and campaign statistics'
scopes). Every chart row carries the ledger filter that lists the appeals behind it.

- today: appeals collected today, dispatched today; the backlog (open: 待派单, 已派单, 办理中,
  待审核, 已退单), of which overdue; open 督办 orders.
- trend: appeals collected and appeals resolved (已答复 or later, by `resolved_at`) per day for
  the last 30 days, and collected per week (Monday first) for the last 12 weeks.
- funnel, for the period: collected → dispatched (派单 at least once) → resolved (答复 at least
  once) → satisfied (the resident rated 满意 or 基本满意).
- streets and levels: the period's appeals and how many of them are overdue now, by the street
  of their location (appeals with no street are 未定位) and by handling level.
- categories (first level) and aspects (办实事方向): the period's appeals.
- problems: the ten hottest shared problems the user may see; orders: the open 督办 orders.
- A leader's 包联 streets come first in the street chart and are marked (`led`).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.urls import reverse
from django.utils import timezone

from banshi.appeals.access import visible_problems
from banshi.appeals.choices import OPEN_STATES, Rating
from banshi.appeals.models import Appeal, Aspect, Category, Supervision
from banshi.org.choices import RegionLevel, UnitKind, UnitLevel
from banshi.org.models import Region, Unit
from banshi.org.permissions import Person

TREND_DAYS = 30
TREND_WEEKS = 12
TOP_PROBLEMS = 10
TOP_ORDERS = 10
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


def ledger_url(**filters: object) -> str:
    """The ledger (/staff/appeals/) filtered as given (empty values left out)."""
    query = urlencode([(key, value) for key, value in filters.items()
                       if value not in (None, "", False)], doseq=True)
    return reverse("web:ledger") + ("?" + query if query else "")


def _local_day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    def midnight(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return midnight(start), midnight(end + dt.timedelta(days=1))


def _period(appeals: QuerySet[Appeal], start: dt.date, end: dt.date) -> QuerySet[Appeal]:
    since, until = _local_day_bounds(start, end)
    return appeals.filter(collected_at__gte=since, collected_at__lt=until)


def today_figures(appeals: QuerySet[Appeal], today: dt.date) -> dict:
    since, until = _local_day_bounds(today, today)
    open_ = appeals.filter(state__in=OPEN_STATES)
    counts = open_.aggregate(backlog=Count("id"), overdue=Count("id", filter=Q(is_overdue=True)))
    day = today.isoformat()
    return {
        "collected": appeals.filter(collected_at__gte=since, collected_at__lt=until).count(),
        "dispatched": appeals.filter(dispatched_at__gte=since, dispatched_at__lt=until).count(),
        "backlog": counts["backlog"], "overdue": counts["overdue"],
        "orders": Supervision.objects.filter(appeal__in=appeals,
                                             answered_at__isnull=True).count(),
        "urls": {"collected": ledger_url(date_from=day, date_to=day),
                 "backlog": ledger_url(state=sorted(OPEN_STATES)),
                 "overdue": ledger_url(state=sorted(OPEN_STATES), overdue="true")},
    }


def trend(appeals: QuerySet[Appeal], today: dt.date) -> dict:
    first = today - dt.timedelta(days=TREND_DAYS - 1)
    since, until = _local_day_bounds(first, today)
    collected = dict(appeals.filter(collected_at__gte=since, collected_at__lt=until)
                     .annotate(day=TruncDate("collected_at")).values_list("day")
                     .annotate(n=Count("id")).order_by())
    resolved = dict(appeals.filter(resolved_at__gte=since, resolved_at__lt=until)
                    .annotate(day=TruncDate("resolved_at")).values_list("day")
                    .annotate(n=Count("id")).order_by())
    days = [first + dt.timedelta(days=n) for n in range(TREND_DAYS)]
    monday = today - dt.timedelta(days=today.weekday())
    first_week = monday - dt.timedelta(weeks=TREND_WEEKS - 1)
    since, until = _local_day_bounds(first_week, today)
    weekly = {(day.date() if isinstance(day, dt.datetime) else day): n for day, n in
              appeals.filter(collected_at__gte=since, collected_at__lt=until)
              .annotate(week=TruncWeek("collected_at")).values_list("week")
              .annotate(n=Count("id")).order_by()}
    weeks = [first_week + dt.timedelta(weeks=n) for n in range(TREND_WEEKS)]
    return {
        "days": [{"name": f"{day:%m-%d}", "collected": collected.get(day, 0),
                  "resolved": resolved.get(day, 0),
                  "url": ledger_url(date_from=day.isoformat(), date_to=day.isoformat())}
                 for day in days],
        "weeks": [{"name": f"{week:%m-%d}", "value": weekly.get(week, 0),
                   "url": ledger_url(date_from=week.isoformat(),
                                     date_to=min(week + dt.timedelta(days=6), today).isoformat())}
                  for week in weeks],
    }


def funnel(appeals: QuerySet[Appeal], start: dt.date, end: dt.date) -> list[dict]:
    period = _period(appeals, start, end)
    got = period.aggregate(
        collected=Count("id"), dispatched=Count("id", filter=Q(dispatched_at__isnull=False)),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        satisfied=Count("id", filter=Q(rating__in=SATISFIED)))
    span = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    return [
        {"key": "collected", "name": "收到", "value": got["collected"], "url": ledger_url(**span)},
        {"key": "dispatched", "name": "已派单", "value": got["dispatched"],
         "url": ledger_url(**span, state=["dispatched", "in_progress", "pending_review",
                                          "resolved", "closed"])},
        {"key": "resolved", "name": "已答复", "value": got["resolved"],
         "url": ledger_url(**span, state=["resolved", "closed"])},
        {"key": "satisfied", "name": "群众满意", "value": got["satisfied"],
         "url": ledger_url(**span, rating=list(SATISFIED))},
    ]


def by_street(appeals: QuerySet[Appeal], start: dt.date, end: dt.date,
              led_streets: Iterable[int] = ()) -> list[dict]:
    period = _period(appeals, start, end)
    rows = {row["region__parent"]: row for row in period.values("region__parent")
            .annotate(n=Count("id"), overdue=Count("id", filter=Q(is_overdue=True)))
            .order_by()}
    led = set(led_streets)
    streets = Region.objects.filter(level=RegionLevel.STREET).order_by("code")
    span = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    result = [{"name": street.name, "code": street.code, "led": street.pk in led,
               "value": rows.get(street.pk, {}).get("n", 0),
               "overdue": rows.get(street.pk, {}).get("overdue", 0),
               "url": ledger_url(**span, street=street.code),
               "overdue_url": ledger_url(**span, street=street.code, overdue="true")}
              for street in streets]
    result.sort(key=lambda row: (not row["led"], -row["value"]))
    return result


def by_level(appeals: QuerySet[Appeal], start: dt.date, end: dt.date) -> list[dict]:
    rows = {row["level"]: row for row in _period(appeals, start, end).values("level")
            .annotate(n=Count("id"), overdue=Count("id", filter=Q(is_overdue=True))).order_by()}
    span = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    return [{"name": str(label), "value": rows.get(level, {}).get("n", 0),
             "overdue": rows.get(level, {}).get("overdue", 0),
             "url": ledger_url(**span, level=level)}
            for level, label in UnitLevel.choices]


def by_category(appeals: QuerySet[Appeal], start: dt.date, end: dt.date) -> list[dict]:
    """The period's appeals by first-level category (by the category code's first two
    digits: every level's code starts with its first level's)."""
    tops = {c.code: c for c in Category.objects.filter(level=1)}
    counts: Counter[str] = Counter()
    for code, n in (_period(appeals, start, end).values_list("category__code")
                    .annotate(n=Count("id")).order_by()):
        counts[code[:2] if code else ""] += n
    span = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    return [{"name": tops[code].name, "value": n, "url": ledger_url(**span, category=code)}
            for code, n in counts.most_common() if code in tops]


def by_aspect(appeals: QuerySet[Appeal], start: dt.date, end: dt.date) -> list[dict]:
    counts = dict(_period(appeals, start, end).values_list("aspect_id")
                  .annotate(n=Count("id")).order_by())
    span = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    return [{"name": aspect.name, "value": counts.get(aspect.pk, 0),
             "url": ledger_url(**span, aspect=aspect.code)}
            for aspect in Aspect.objects.order_by("code")]


def hottest_problems(user: Person) -> list[dict]:
    """The hottest problems with their appeals: those linked, or for a candidate not yet
    confirmed (待确认) the appeals the detector grouped into it."""
    return [{"code": p.code, "title": p.title, "heat": round(p.heat, 1),
             "appeals": p.linked or p.candidates, "status": p.get_status_display(),
             "url": reverse("web:problem", args=[p.code])}
            for p in visible_problems(user)
            .annotate(linked=Count("appeals", distinct=True),
                      candidates=Count("candidate_appeals", distinct=True))
            .order_by("-heat", "code")[:TOP_PROBLEMS]]


def open_orders(appeals: QuerySet[Appeal], led: set[int]) -> list[dict]:
    orders = (Supervision.objects.filter(appeal__in=appeals, answered_at__isnull=True)
              .select_related("appeal__unit").order_by("due_date", "id"))
    rows = [{"number": order.appeal.number, "title": order.appeal.title,
             "unit": order.appeal.unit.name if order.appeal.unit else "",
             "due": order.due_date, "late": order.due_date < timezone.localdate(),
             "led": order.appeal.unit_id in led,
             "url": reverse("web:case", args=[order.appeal.number])}
            for order in orders[:200]]
    rows.sort(key=lambda row: (not row["led"], row["due"]))
    return rows[:TOP_ORDERS]


def led_scope(user: Person) -> tuple[set[int], set[int]]:
    """(street region ids, unit ids) a leader 包联s — their units and the units below."""
    units = list(Unit.objects.led_by(user))
    if not units:
        return set(), set()
    covered = Unit.objects.filter(
        Q(*[Q(path__startswith=unit.path) for unit in units], _connector=Q.OR))
    streets = {u.region_id for u in covered if u.region_id and u.kind == UnitKind.STREET}
    return streets, set(covered.values_list("pk", flat=True))
