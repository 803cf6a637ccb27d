"""The collection figures (征集工作统计), counted from the records — never a stored number.

Every figure is for a period [start, end] (both days included, local dates) and a scope: the
records the caller may see (RecordQuerySet.visible_to, Appeal.objects.visible_to: district
roles all, unit staff their unit's and its sub-units'), narrowed to `unit` and its sub-units
when one is given. The definitions (README "Collection statistics" says the same):

- symposiums: Symposium rows held (`held_on`) in the period; symposium_participants: the sum of
  their `participants`.
- surveys_distributed: the sum of Distribution.copies handed out (`distributed_on`) in the
  period, counted by the distributing unit; surveys_returned: Response rows submitted
  (`submitted_at`, local date) in the period, counted by the collecting unit;
  survey_return_rate: returned / distributed as a fraction rounded to 4 places (0.9123 =
  91.23 %), null when nothing was handed out in the period (it may pass 1 when answers come
  in for copies handed out before the period).
- opinion_boxes: boxes and desks (意见箱, 征求意见台) installed on or before `end` and not
  removed (status 已撤除 — the registry keeps no removal date, so a removed box leaves every
  period; a suspended one still counts as set up); opinion_box_slips: the sum of
  BoxOpening.slips of openings in the period.
- household_visits: HouseholdVisit rows visited in the period; household_visit_person_times:
  the sum of their `people_met` (人次).
- liaisons: active liaisons (在岗) appointed on or before `end`; liaison_households: the
  pairings of those liaisons paired on or before `end` (a standing, not a flow).
- appeals_collected: appeals the caller may see collected (`collected_at`, local date) in the
  period; narrowed to a unit: those handled by or collected by the unit or a sub-unit, or
  located in a street's or community's own area (the district office's unit: all).
  appeals_by_channel: the same appeals by
  channel under the interface's names (online_form → h5, platform → online_platform, the
  others as they are), every channel present (0 when none).

The per-street breakdown puts a record under the street whose subtree holds its unit and an
appeal under the street of its collecting unit, else of its location; what belongs to no
street (departments, the district office) is the "other" row, so the rows add up to the total.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from banshi.appeals.choices import Channel
from banshi.appeals.models import Appeal
from banshi.org import permissions
from banshi.org.choices import UnitKind
from banshi.org.models import Region, Unit

from .choices import BoxStatus
from .models import (
    BoxOpening,
    Distribution,
    HouseholdVisit,
    Liaison,
    LiaisonPairing,
    OpinionBox,
    Response,
    Symposium,
)

# Internal channel → the name the statistics interface uses.
CHANNEL_NAMES = {Channel.ONLINE_FORM: "h5", Channel.PLATFORM: "online_platform"}
CHANNEL_KEYS = [CHANNEL_NAMES.get(Channel(c), c) for c in Channel.values]
CHANNEL_LABELS = {CHANNEL_NAMES.get(Channel(c), c): label for c, label in Channel.choices}
# The counted figures (not the rate, not the channels), in the interface's order.
COUNTS = ["symposiums", "symposium_participants", "surveys_distributed", "surveys_returned",
          "opinion_boxes", "opinion_box_slips", "household_visits",
          "household_visit_person_times", "liaisons", "liaison_households",
          "appeals_collected"]
OTHER = "other"  # the breakdown's row for what belongs to no street


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(Channel(channel), channel)


def return_rate(returned: int, distributed: int) -> float | None:
    return round(returned / distributed, 4) if distributed else None


# ---------- scope ----------

def stats_units(user: permissions.Person) -> QuerySet[Unit]:
    """The units whose figures `user` may narrow to: every unit for district roles, the own
    unit and its sub-units for unit staff, none otherwise."""
    if permissions.sees_everything(user):
        return Unit.objects.all()
    own = permissions.unit_of(user)
    return Unit.objects.subtree(own) if own is not None else Unit.objects.none()


def stats_unit(user: permissions.Person, code: str) -> Unit | None:
    """The unit of `code` if `user` may see its figures; None alike for unknown and out of
    scope (the caller answers 404 either way)."""
    return stats_units(user).filter(code=code).first()


def _unit_paths(user, unit: Unit | None) -> tuple[Q, bool]:
    """(filter on `unit__path`, anything visible?) for rows that are not Records."""
    paths = []
    if not permissions.sees_everything(user):
        own = permissions.unit_of(user)
        if own is None:
            return Q(pk__in=[]), False
        paths.append(own.path)
    if unit is not None:
        paths.append(unit.path)
    return Q(*[Q(unit__path__startswith=p) for p in paths]), True


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the local time zone."""
    def midnight(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return midnight(start), midnight(end + dt.timedelta(days=1))


def collected_appeals(user, start: dt.date, end: dt.date, unit: Unit | None = None):
    """The appeals counted as collected: visible to `user`, collected in the period, narrowed
    to `unit` (handled or collected in its subtree, or located in its street/community; the
    district office's unit narrows nothing)."""
    since, until = _day_bounds(start, end)
    return appeals_of_unit(Appeal.objects.visible_to(user), unit).filter(
        collected_at__gte=since, collected_at__lt=until)


def appeals_of_unit(appeals, unit: Unit | None):
    """`appeals` narrowed to `unit`: handled or collected in its subtree, or located in its
    street's or community's own area (None, or the district office's unit: all of them)."""
    if unit is None or unit.kind == UnitKind.DISTRICT:
        return appeals
    scope = (Q(unit__path__startswith=unit.path)
             | Q(collector_unit__path__startswith=unit.path))
    if unit.kind in (UnitKind.STREET, UnitKind.COMMUNITY) and unit.region_id:
        scope |= Q(region_id=unit.region_id) | Q(region__parent_id=unit.region_id)
    return appeals.filter(scope)


# ---------- counting, grouped by unit ----------

@dataclass
class Tally:
    """Counted figures per unit id (None: the appeals, which are not grouped by unit)."""

    by_unit: dict[int, Counter] = field(default_factory=dict)

    def add(self, rows: Iterable[dict], key: str = "unit_id", **names: str) -> None:
        for row in rows:
            counter = self.by_unit.setdefault(row[key], Counter())
            for figure, column in names.items():
                counter[figure] += row[column] or 0

    def total(self) -> Counter:
        return sum(self.by_unit.values(), Counter())


def _records(model, user, unit):
    return model.objects.visible_to(user).within(unit)


def tally_records(user, start: dt.date, end: dt.date, unit: Unit | None = None) -> Tally:
    """Every record figure grouped by the unit it belongs to (eight aggregate queries)."""
    tally = Tally()
    grouped = {"n": Count("id")}
    tally.add(_records(Symposium, user, unit).filter(held_on__range=(start, end))
              .values("unit_id").annotate(**grouped, p=Sum("participants")),
              symposiums="n", symposium_participants="p")
    in_units, any_visible = _unit_paths(user, unit)
    if any_visible:
        tally.add(Distribution.objects.filter(in_units, distributed_on__range=(start, end))
                  .values("unit_id").annotate(c=Sum("copies")), surveys_distributed="c")
        since, until = _day_bounds(start, end)
        tally.add(Response.objects.filter(in_units, submitted_at__gte=since,
                                          submitted_at__lt=until)
                  .values("unit_id").annotate(**grouped), surveys_returned="n")
    boxes = _records(OpinionBox, user, unit)
    tally.add(boxes.filter(installed_on__lte=end).exclude(status=BoxStatus.REMOVED)
              .values("unit_id").annotate(**grouped), opinion_boxes="n")
    tally.add(BoxOpening.objects.filter(box__in=boxes, opened_on__range=(start, end))
              .values("box__unit_id").annotate(s=Sum("slips")),
              key="box__unit_id", opinion_box_slips="s")
    tally.add(_records(HouseholdVisit, user, unit).filter(visited_on__range=(start, end))
              .values("unit_id").annotate(**grouped, p=Sum("people_met")),
              household_visits="n", household_visit_person_times="p")
    liaisons = _records(Liaison, user, unit).filter(is_active=True, appointed_on__lte=end)
    tally.add(liaisons.values("unit_id").annotate(**grouped), liaisons="n")
    tally.add(LiaisonPairing.objects.filter(liaison__in=liaisons, paired_on__lte=end)
              .values("liaison__unit_id").annotate(**grouped),
              key="liaison__unit_id", liaison_households="n")
    return tally


def appeals_by_channel(appeals) -> dict[str, int]:
    counts = dict.fromkeys(CHANNEL_KEYS, 0)
    for row in appeals.order_by().values("channel").annotate(n=Count("id")):
        counts[channel_name(row["channel"])] += row["n"]
    return counts


def figures_of(counts: Counter, by_channel: dict[str, int]) -> dict:
    """The interface's dict from counted figures and the appeals by channel."""
    figures: dict = {name: int(counts[name]) for name in COUNTS}
    figures["appeals_collected"] = sum(by_channel.values())
    figures["survey_return_rate"] = return_rate(figures["surveys_returned"],
                                                figures["surveys_distributed"])
    figures["appeals_by_channel"] = by_channel
    return figures


def collection_figures(user, start: dt.date, end: dt.date, unit: Unit | None = None) -> dict:
    """The collection figures of the period for `user`, narrowed to `unit` (see the module's
    docstring for each definition): {symposiums, symposium_participants, surveys_distributed,
    surveys_returned, survey_return_rate, opinion_boxes, opinion_box_slips, household_visits,
    household_visit_person_times, liaisons, liaison_households, appeals_collected,
    appeals_by_channel: {channel: n}}. A `unit` outside the caller's scope counts nothing:
    check it with `stats_unit` first."""
    counts = tally_records(user, start, end, unit).total()
    return figures_of(counts, appeals_by_channel(collected_appeals(user, start, end, unit)))


# ---------- the statistics page's breakdowns ----------

def _street_of_units(unit_ids: Iterable[int]) -> dict[int, int | None]:
    """unit id → the id of the street unit whose subtree holds it (None: no street)."""
    streets = list(Unit.objects.filter(kind=UnitKind.STREET).values_list("id", "path"))
    result = {}
    for pk, path in Unit.objects.filter(pk__in=set(unit_ids)).values_list("id", "path"):
        result[pk] = next((sid for sid, spath in streets if path.startswith(spath)), None)
    return result


def _appeals_by_street(appeals) -> Counter:
    """Appeals counted under their collecting unit's street, else their location's."""
    rows = list(appeals.order_by().values("collector_unit_id", "region_id")
                .annotate(n=Count("id")))
    unit_street = _street_of_units(r["collector_unit_id"] for r in rows if r["collector_unit_id"])
    street_units = dict(Unit.objects.filter(kind=UnitKind.STREET, region__isnull=False)
                        .values_list("region_id", "id"))
    regions = dict(Region.objects.filter(pk__in={r["region_id"] for r in rows})
                   .values_list("id", "parent_id"))
    counts: Counter = Counter()
    for row in rows:
        street = unit_street.get(row["collector_unit_id"])
        if street is None and row["region_id"]:
            region = row["region_id"]
            street = street_units.get(region) or street_units.get(regions.get(region))
        counts[street or OTHER] += row["n"]
    return counts


def per_street(user, start: dt.date, end: dt.date, unit: Unit | None = None) -> dict:
    """{"total": the figures, "rows": [{"unit": street Unit or None for "other", **figures}]}
    — one row per street with anything in the period, then "other" if it has anything."""
    tally = tally_records(user, start, end, unit)
    appeals = collected_appeals(user, start, end, unit)
    by_channel = appeals_by_channel(appeals)
    streets: dict[object, Counter] = {}
    unit_street = _street_of_units(tally.by_unit)
    for unit_id, counts in tally.by_unit.items():
        streets.setdefault(unit_street.get(unit_id) or OTHER, Counter()).update(counts)
    for street, n in _appeals_by_street(appeals).items():
        streets.setdefault(street, Counter())["appeals_collected"] += n
    units = Unit.objects.select_related("region").in_bulk([k for k in streets if k != OTHER])
    rows = []
    for key in sorted(streets, key=lambda k: (k == OTHER, units[k].path if k != OTHER else "")):
        counts = streets[key]
        if not any(counts.values()):
            continue
        row: dict = {name: int(counts[name]) for name in COUNTS}
        row["survey_return_rate"] = return_rate(row["surveys_returned"],
                                                row["surveys_distributed"])
        rows.append({"unit": units.get(key) if key != OTHER else None, **row})
    return {"total": figures_of(tally.total(), by_channel), "rows": rows}


def appeals_per_week(user, start: dt.date, end: dt.date,
                     unit: Unit | None = None) -> list[tuple[dt.date, int]]:
    """(Monday of the week, appeals collected that week) for every week the period touches,
    0 for a week without any."""
    counts = {row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]:
              row["n"]
              for row in collected_appeals(user, start, end, unit).order_by()
              .annotate(week=TruncWeek("collected_at")).values("week")
              .annotate(n=Count("id"))}
    monday = start - dt.timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append((monday, counts.get(monday, 0)))
        monday += dt.timedelta(days=7)
    return weeks
