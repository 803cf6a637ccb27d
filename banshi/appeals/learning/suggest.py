"""Suggestions for the dispatcher: the likely category (top 3 per level) and the unit.

The category comes from the active TriageModelVersion. Its directory holds the first-level
model; `level2/` and `level3/` below it hold deeper models when the ledger had enough
confirmed examples to train them (their labels are category path names, "城乡建设/市政设施").
Models are loaded once per process and reloaded when another version becomes active.

The unit comes from two sources, most trusted first:
- the editable routing table (RoutingRule): the rule of the most specific category wins,
  then the most specific region (community, street, district, none);
- what the ledger shows: resolved and closed appeals of the same category in the same street,
  counted per handling unit, explained as "类似诉求 37 件由 区城市管理局 办结".
"""

import threading
from pathlib import Path

from django.db.models import Count, Q

from banshi.triage.text import join_title_content

from ..choices import Action, State
from ..models import Appeal, Category, RoutingRule, TriageModelVersion

TOP_K = 3
MAX_UNITS = 3
LEVEL_DIRS = {2: "level2", 3: "level3"}
_lock = threading.Lock()
_cache: dict = {"version": None, "models": {}}


def load_models(path: str) -> dict:
    """{level: TriageModel} from a version directory."""
    from banshi.triage.classify import TriageModel  # heavy; only the worker needs it

    root = Path(path)
    models = {1: TriageModel.load(root)}
    for level, name in LEVEL_DIRS.items():
        if (root / name).is_dir():
            models[level] = TriageModel.load(root / name)
    return models


def active_models() -> tuple[str, dict] | None:
    """(version, {level: model}) of the active version, cached per process; None if none."""
    active = TriageModelVersion.objects.filter(is_active=True).values_list(
        "version", "path").first()
    if active is None:
        return None
    version, path = active
    with _lock:
        if _cache["version"] != version:
            _cache["models"] = load_models(path)
            _cache["version"] = version
        return version, _cache["models"]


def _categories(ranked: list[tuple[str, float]], level: int) -> list[dict]:
    """Model labels (names at level 1, path names deeper) with their categories."""
    field = "name" if level == 1 else "path_name"
    known = {getattr(c, field): c for c in Category.objects.filter(
        level=level, **{f"{field}__in": [label for label, _ in ranked]})}
    result = []
    for label, p in ranked:
        category = known.get(label)
        result.append({"code": category.code if category else None,
                       "name": category.name if category else label,
                       "path": category.path_name if category else label,
                       "p": round(float(p), 4)})
    return result


def suggested_chain(suggestion: dict) -> list[Category]:
    """[level 1, level 2, level 3] top categories, as deep as they agree with each other."""
    chain: list[Category] = []
    for key in ("categories", "level2", "level3"):
        items = suggestion.get(key) or []
        code = items[0]["code"] if items else None
        category = Category.objects.filter(code=code).first() if code else None
        if category is None or (chain and category.parent_id != chain[-1].pk):
            break
        chain.append(category)
    return chain


def descendant_ids(category: Category) -> list[int]:
    return list(Category.objects.filter(
        Q(pk=category.pk) | Q(parent=category) | Q(parent__parent=category)
    ).values_list("pk", flat=True))


def _region_chain(region) -> list:
    """The community, its street and the district: most specific first."""
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return chain


def rule_units(chain: list[Category], region) -> list[dict]:
    """Units from the routing table, most specific rule first."""
    regions = _region_chain(region)
    rules = (RoutingRule.objects.filter(category__in=chain, unit__is_active=True)
             .filter(Q(region__isnull=True) | Q(region__in=regions))
             .select_related("category", "region", "unit"))
    depth = {r.pk: i for i, r in enumerate(regions)}

    def specificity(rule):
        place = depth.get(rule.region_id, len(regions))
        return (-rule.category.level, place)

    def reason(rule) -> str:
        place = rule.region.name if rule.region else "全区"
        return f"派单规则：{rule.category.path_name} · {place}"

    return [{"code": r.unit.code, "name": r.unit.name, "score": 1.0, "reason": reason(r)}
            for r in sorted(rules, key=specificity)]


def ledger_units(chain: list[Category], region) -> list[dict]:
    """Units that resolved appeals of this category in this street, most first.

    Looks at the deepest category first and falls back to shallower ones.
    """
    street = region.street if region is not None else None
    done = Appeal.objects.filter(state__in=[State.RESOLVED, State.CLOSED], unit__isnull=False,
                                 unit__is_active=True)
    if street is not None:
        done = done.filter(Q(region__parent=street) | Q(region=street))
    for category in reversed(chain):
        counts = list(done.filter(category_id__in=descendant_ids(category))
                      .values("unit__code", "unit__name").annotate(n=Count("id"))
                      .order_by("-n", "unit__code"))
        if counts:
            total = sum(row["n"] for row in counts)
            return [{"code": row["unit__code"], "name": row["unit__name"],
                     "score": round(row["n"] / total, 4),
                     "reason": f"类似诉求 {row['n']} 件由 {row['unit__name']} 办结"}
                    for row in counts]
    return []


def unit_suggestions(chain: list[Category], region) -> list[dict]:
    """Rules first, then the ledger; one entry per unit with every reason that names it."""
    merged: dict[str, dict] = {}
    for item in rule_units(chain, region) + ledger_units(chain, region):
        if item["code"] in merged:
            merged[item["code"]]["reason"] += "；" + item["reason"]
        else:
            merged[item["code"]] = dict(item)
    return list(merged.values())[:MAX_UNITS]


def usable_units(appeal: Appeal) -> list[dict]:
    """The suggested units, less every unit that has returned (退单) this appeal: a case a unit
    handed back as not its own is never suggested to it again."""
    returned = set(appeal.events.filter(action=Action.RETURN, unit__isnull=False)
                   .values_list("unit__code", flat=True))
    return [u for u in (appeal.suggestion or {}).get("units") or [] if u["code"] not in returned]


def suggest(appeal: Appeal) -> dict | None:
    """What the active model suggests for `appeal`; None when no model is active."""
    active = active_models()
    if active is None:
        return None
    version, models = active
    text = join_title_content(appeal.title, appeal.content)
    suggestion: dict = {"model": version}
    for level, model in sorted(models.items()):
        key = "categories" if level == 1 else f"level{level}"
        suggestion[key] = _categories(model.top_k([text], k=TOP_K)[0], level)
    chain = suggested_chain(suggestion)
    suggestion["category"] = chain[-1].code if chain else None
    suggestion["units"] = unit_suggestions(chain, appeal.region) if chain else []
    return suggestion
