"""The coverage matrix (督导全覆盖): the current campaign's guidance groups × the units each
covers, every cell visited or not with its latest visit, coverage per group and in total.

Scoped as the statistics are (`stats.supervision_figures`): district roles see every group and
unit; unit staff the covered units within their unit (a street itself and its communities)
and the groups covering them. The totals ARE `supervision_figures` (one definition of the
figure); a group's % uses its `coverage` rounding."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from banshi.org import permissions as org
from banshi.org.models import Unit

from .models import Campaign, GuidanceGroup, GuidanceVisit
from .stats import coverage, supervision_figures


@dataclass
class Cell:
    unit: Unit
    visits: int = 0
    last: GuidanceVisit | None = None

    @property
    def visited(self) -> bool:
        return self.visits > 0


@dataclass
class GroupRow:
    group: GuidanceGroup
    leaders: list[str]
    cells: list[Cell] = field(default_factory=list)

    @property
    def units(self) -> int:
        return len(self.cells)

    @property
    def visited(self) -> int:
        return sum(1 for cell in self.cells if cell.visited)

    @property
    def coverage(self) -> float | None:
        return coverage(self.visited, self.units)


@dataclass
class Matrix:
    campaign: Campaign | None
    start: dt.date
    end: dt.date
    rows: list[GroupRow]
    figures: dict

    @property
    def units(self) -> int:
        return int(self.figures["supervision_units"])

    @property
    def visited(self) -> int:
        return int(self.figures["supervision_units_visited"])

    @property
    def coverage(self) -> float | None:
        return self.figures["supervision_coverage"]

    @property
    def full(self) -> bool:
        """全覆盖: every covered unit in scope visited (and there is one)."""
        return self.units > 0 and self.visited == self.units


def percent(value: float | None) -> str:
    """0.8571 → "85.7%"; None → "—"."""
    return "—" if value is None else f"{value * 100:.1f}".removesuffix(".0") + "%"


def _in_scope(user, unit: Unit) -> bool:
    if org.sees_everything(user):
        return True
    own = org.unit_of(user)
    return own is not None and unit.path.startswith(own.path)


def coverage_matrix(user, start: dt.date | None = None, end: dt.date | None = None) -> Matrix:
    """The matrix of the current campaign, from its start (or `start`) to today (or `end`)."""
    campaign = Campaign.objects.current()
    end = end or timezone.localdate()
    start = start or (campaign.started_on if campaign else end)
    figures = supervision_figures(user, start, end)
    if campaign is None:
        return Matrix(None, start, end, [], figures)
    groups = (GuidanceGroup.objects.filter(campaign=campaign)
              .prefetch_related("covered_units", "members"))
    rows = []
    for group in groups:
        cells = [Cell(unit) for unit in sorted(group.covered_units.all(),
                                               key=lambda u: (u.kind == "department", u.path))
                 if _in_scope(user, unit)]
        if not cells and not org.sees_everything(user):
            continue
        leaders = [m.name for m in group.members.all() if m.role == "组长"]
        rows.append(GroupRow(group, leaders, cells))
    by_unit = {cell.unit.pk: cell for row in rows for cell in row.cells}
    visits = (GuidanceVisit.objects.filter(group__campaign=campaign, unit_id__in=by_unit,
                                           visited_on__gte=start, visited_on__lte=end)
              .order_by("visited_on", "id"))
    for visit in visits:
        cell = by_unit[visit.unit_id]
        cell.visits += 1
        cell.last = visit
    return Matrix(campaign, start, end, rows, figures)
