"""Suggestions for the dispatcher: the likely category (top 3 per level) and the unit.

The category comes from the active TriageModelVersion. Its directory holds the first-level
model; `level2/` and `level3/` below it hold deeper models when the ledger had enough
confirmed examples to train them (their labels are category path names, "城乡建设/市政设施").
Models are loaded once per process and reloaded when another version becomes active.

Two rules keep the suggestion honest, whatever the model says:
- a category is suggested only when the model learnt it from at least `min_examples()`
  confirmed appeals (BANSHI_TRIAGE_MIN_EXAMPLES, 10 by default); the case page says so;
- the confidence shown is the calibrated probability tempered by the training-set size
  (banshi.triage.classify.temper: a model trained on 71 appeals cannot say more than ~84%),
  and a percentage is never shown above 99% or as 0% (`confidence_text`); a category below
  5% is no suggestion.

The unit comes from these sources, most trusted first:
- the editable routing table (RoutingRule): a rule whose keywords the appeal names, inside
  the suggested first-level category; then the rule of the most specific suggested category,
  then the most specific region (community, street, district, none); then a rule whose
  keywords the appeal names elsewhere;
- what the ledger shows: resolved and closed appeals of the same category in the same street,
  counted per handling unit, explained as "类似诉求 37 件由 区城市管理局 办结".
"""

import threading
from pathlib import Path

from django.conf import settings
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


DISPLAY_MAX = 0.99
SHOWN_FLOOR = 0.05  # a category less likely than this is no suggestion


def min_examples() -> int:
    """Confirmed appeals a class needs before the model may suggest it."""
    return int(settings.BANSHI_TRIAGE_MIN_EXAMPLES)


def confidence_text(p: object) -> str:
    """0.873 → "87%"; never "100%" nor "0%" (">99%" cannot be known, "<1%" is not nothing)."""
    try:
        value = float(p)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if value < 0.005:
        return "<1%"
    return f"{min(value, DISPLAY_MAX):.0%}"


def ranked_labels(model, text: str, k: int = TOP_K) -> list[tuple[str, float]]:
    """The k likeliest labels the model has enough confirmed examples of, with tempered
    probabilities of at least SHOWN_FLOOR; none for a model that does not say how many
    examples it had."""
    counts = model.class_counts()
    enough = min_examples()
    probabilities = model.tempered([text])[0]
    ranked = sorted(zip(model.labels, probabilities, strict=True), key=lambda lp: -lp[1])
    return [(label, float(p)) for label, p in ranked
            if counts.get(label, 0) >= enough and p >= SHOWN_FLOOR][:k]


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


def _rule_item(rule: RoutingRule, word: str = "") -> dict:
    place = rule.region.name if rule.region else "全区"
    named = f"(诉求提到“{word}”)" if word else ""
    return {"code": rule.unit.code, "name": rule.unit.name, "score": 1.0,
            "reason": f"派单规则：{rule.category.path_name} · {place}{named}"}


def _rules_here(region):
    regions = _region_chain(region)
    return (RoutingRule.objects.filter(unit__is_active=True)
            .filter(Q(region__isnull=True) | Q(region__in=regions))
            .select_related("category", "region", "unit")), regions


def rule_units(chain: list[Category], region) -> list[dict]:
    """Units from the routing table, most specific rule first."""
    rules, regions = _rules_here(region)
    depth = {r.pk: i for i, r in enumerate(regions)}

    def specificity(rule):
        place = depth.get(rule.region_id, len(regions))
        return (-rule.category.level, place)

    return [_rule_item(r) for r in sorted(rules.filter(category__in=chain), key=specificity)]


def keyword_units(text: str, region, root: Category | None) -> tuple[list[dict], list[dict]]:
    """Units of the rules whose keywords `text` names: (inside `root`'s categories, elsewhere),
    the longest word first."""
    if not text:
        return [], []
    rules, _ = _rules_here(region)
    found = []
    for rule in rules.exclude(keywords=""):
        words = [w for w in rule.keyword_list() if w in text]
        if words:
            found.append((max(words, key=len), rule))
    found.sort(key=lambda item: (-len(item[0]), item[1].category.code))
    first: dict[int, tuple[str, RoutingRule]] = {}  # one rule per unit: its longest word
    for word, rule in found:
        first.setdefault(rule.unit_id, (word, rule))
    found = list(first.values())
    prefix = f"{root.path_name}/" if root is not None else None
    inside = [_rule_item(r, w) for w, r in found
              if prefix and r.category.path_name.startswith(prefix)]
    outside = [_rule_item(r, w) for w, r in found
               if not (prefix and r.category.path_name.startswith(prefix))]
    return inside, outside


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


def unit_suggestions(chain: list[Category], region, text: str = "") -> list[dict]:
    """Rules first (those the text names inside the suggested category, the category's own,
    those the text names elsewhere), then the ledger; one entry per unit with every reason
    that names it."""
    named_inside, named_elsewhere = keyword_units(text, region, chain[0] if chain else None)
    merged: dict[str, dict] = {}
    for item in (named_inside + rule_units(chain, region) + named_elsewhere
                 + ledger_units(chain, region)):
        if item["code"] not in merged:
            merged[item["code"]] = dict(item)
        elif item["reason"] not in merged[item["code"]]["reason"]:
            merged[item["code"]]["reason"] += "；" + item["reason"]
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
        suggestion[key] = _categories(ranked_labels(model, text), level)
    suggestion["n_train"] = int(models[1].meta.get("n_train", 0))
    suggestion["min_examples"] = min_examples()
    chain = suggested_chain(suggestion)
    suggestion["category"] = chain[-1].code if chain else None
    suggestion["units"] = unit_suggestions(chain, appeal.region, text)
    return suggestion
