"""The bottom-up ledgers (分层级台账): counts per 办理层级 × 办实事方向.

A community's ledger, a street's (its own and its communities') and the district's are the
same table over different appeals: whatever `Appeal.objects.visible_to(user)` (and the
ledger's filters) leave. The counting is one aggregate query; the page and the Excel sheet
both show its result.
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from banshi.org import permissions
from banshi.org.choices import UnitKind, UnitLevel

from ..models import Appeal, Aspect

UNMARKED = "未标注"
TOTAL = "合计"
UNCONFIRMED = "待确认"
LEVELS: list[str] = [level.value for level in UnitLevel]  # community, street, district


@dataclass(frozen=True)
class AspectRow:
    """One 办实事方向 (or 未标注) with its count at each level, in LEVELS order."""

    name: str
    confirmed: bool
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class LevelAspectCounts:
    rows: list[AspectRow]

    @property
    def level_labels(self) -> list[str]:
        return [UnitLevel(level).label for level in LEVELS]

    @property
    def totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.rows) for i in range(len(LEVELS))]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def level_aspect_counts(queryset: QuerySet[Appeal]) -> LevelAspectCounts:
    """Counts of `queryset`'s appeals per aspect (every aspect, then 未标注) and level."""
    counted: dict[tuple[int | None, str], int] = {
        (row["aspect_id"], row["level"]): row["n"]
        for row in queryset.order_by().values("aspect_id", "level").annotate(n=Count("id"))
    }

    def counts(aspect_id: int | None) -> list[int]:
        return [counted.get((aspect_id, level), 0) for level in LEVELS]

    rows = [AspectRow(aspect.name, aspect.confirmed, counts(aspect.pk))
            for aspect in Aspect.objects.order_by("code")]
    rows.append(AspectRow(UNMARKED, True, counts(None)))
    return LevelAspectCounts(rows)


def ledger_title(user: permissions.Person) -> str:
    """Whose ledger the user sees: the district's, a street's with its communities, a unit's."""
    if permissions.sees_everything(user):
        return "全区台账"
    unit = permissions.unit_of(user)
    if unit is None:
        return "台账"
    name = unit.region.name if unit.kind in {UnitKind.STREET, UnitKind.COMMUNITY} \
        and unit.region_id else unit.name
    if unit.kind == UnitKind.STREET:
        return f"{name}台账(含所属社区)"
    return f"{name}台账"
