"""The demo district's routing table (派单规则), derived from its departments' duties (职责).

`data/unit_duties.csv` gives each department its duties as the 三定 text states them and the
words that name them (`keywords`). A category goes to the department whose keyword names it:
a keyword in the third-level name counts most, then in the second-level, then in the first
(100 / 50 / 10, plus the keyword's length, so 菜市场 beats 市场). A second- or first-level
category goes to the department that most of its third-level categories go to (on a tie, the
one whose keyword names the category itself). A third-level
rule carries the keywords that matched and its own name, so an appeal naming them is routed
even when the model only knows its first-level category.

Rules are created once, district-wide (no region), and never overwrite a rule an administrator
made or edited in /admin/ → 派单规则: a second run changes nothing.
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from banshi.appeals.models import Category, RoutingRule
from banshi.org.loaders import LoadError, read_rows
from banshi.org.models import Unit

DUTIES_FILE = Path(__file__).parent / "data" / "unit_duties.csv"
NOTE_PREFIX = "据单位职责："
WEIGHT_BY_LEVEL = {3: 100, 2: 50, 1: 10}


@dataclass(frozen=True)
class Duty:
    unit: Unit
    duties: str
    keywords: tuple[str, ...]


def read_duties(path: Path = DUTIES_FILE) -> list[Duty]:
    units = {u.code: u for u in Unit.objects.filter(is_active=True)}
    duties = []
    for row in read_rows(path, ["unit", "duties", "keywords"]):
        unit = units.get(row["unit"])
        if unit is None:
            raise LoadError(f"{path.name} 第{row['_line']}行: 单位“{row['unit']}”不存在")
        duties.append(Duty(unit, row["duties"], tuple(row["keywords"].split())))
    return duties


def best_match(leaf: Category, duties: list[Duty]) -> tuple[Duty, list[str]] | None:
    """The department whose keywords name `leaf` (or its parents) best, and the words."""
    lineage = leaf.lineage()
    best: tuple[int, Duty, list[str]] | None = None
    for duty in duties:
        score, words = 0, list[str]()
        for word in duty.keywords:
            hits = [WEIGHT_BY_LEVEL[c.level] + len(word) for c in lineage if word in c.name]
            if hits:
                score, words = max(score, max(hits)), words + [word]
        if score and (best is None or score > best[0]):
            best = (score, duty, words)
    return (best[1], best[2]) if best else None


def derive_rules(duties: list[Duty]) -> dict[Category, tuple[Unit, str, str]]:
    """{category: (unit, keywords, note)} for every category the duties decide."""
    leaves = Category.objects.filter(level=3).select_related("parent__parent").order_by("code")
    rules: dict[Category, tuple[Unit, str, str]] = {}
    below: dict[int, Counter] = {}
    for leaf in leaves:
        match = best_match(leaf, duties)
        if match is None:
            continue
        duty, words = match
        keywords = " ".join(dict.fromkeys([leaf.name, *words]))
        rules[leaf] = (duty.unit, keywords, f"{NOTE_PREFIX}{duty.duties}"[:200])
        for ancestor in leaf.lineage()[:-1]:
            below.setdefault(ancestor.pk, Counter())[duty.unit.pk] += 1
    units = {u.pk: u for u in Unit.objects.all()}
    for category in Category.objects.filter(pk__in=below):
        counts = below[category.pk]
        named = {d.unit.pk for d in duties if any(w in category.name for w in d.keywords)}
        # Most third-level categories; on a tie, the department whose keyword names this one.
        unit_pk = max(counts, key=lambda pk: (counts[pk], pk in named))
        n, total = counts[unit_pk], sum(counts.values())
        rules[category] = (units[unit_pk], "",
                           f"{NOTE_PREFIX}下属分类 {total} 个中 {n} 个由{units[unit_pk].name}承办")
    return rules


def load_routing_rules(path: Path = DUTIES_FILE) -> Counter:
    """Create the district-wide rules the duties decide where none exists yet."""
    existing = set(RoutingRule.objects.filter(region__isnull=True)
                   .values_list("category_id", flat=True))
    new = [RoutingRule(category=category, unit=unit, keywords=keywords, note=note)
           for category, (unit, keywords, note) in derive_rules(read_duties(path)).items()
           if category.pk not in existing]
    RoutingRule.objects.bulk_create(new)
    return Counter(created=len(new), updated=0)
