"""The unit picker, the one way pages choose a 承办单位: a <select> whose <optgroup>s are
区级 / 街道 / 部门 and each street's (or department's) own sub-units, with a filter box that
static/web/staff.js wires up (no inline scripts: the Content-Security-Policy forbids them)."""

from django import forms

from banshi.org.choices import UnitKind
from banshi.org.models import Unit

TOP_GROUPS: dict[str, str] = {UnitKind.DISTRICT: "区级", UnitKind.STREET: "街道",
                              UnitKind.DEPARTMENT: "部门"}


def _group_of(unit: Unit) -> tuple[str, str]:
    """(sort key, label) of the group a unit is listed under."""
    parent = unit.parent
    if parent is not None and parent.kind in (UnitKind.STREET, UnitKind.DEPARTMENT):
        members = "社区" if unit.kind == UnitKind.COMMUNITY else "下属单位"
        return f"9{parent.path}", f"{parent.name} · {members}"
    if unit.kind == UnitKind.COMMUNITY:
        return "8", "社区"
    order = list(TOP_GROUPS).index(unit.kind)
    return str(order), TOP_GROUPS[unit.kind]


def unit_choices(empty_label: str | None = "请选择承办单位", *, inactive: bool = False,
                 kinds: tuple[str, ...] | None = None) -> list:
    """[("", empty_label), (group label, [(code, name), ...]), ...]: 区级, 街道, 部门, then
    each street's communities (and each department's sub-units) under its own heading.
    `kinds` keeps only units of those kinds; no empty choice when `empty_label` is None."""
    units = Unit.objects.select_related("parent").order_by("path")
    if not inactive:
        units = units.filter(is_active=True)
    if kinds is not None:
        units = units.filter(kind__in=kinds)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for unit in units:
        groups.setdefault(_group_of(unit), []).append((unit.code, unit.name))
    empty = [("", empty_label)] if empty_label is not None else []
    return empty + [(label, members) for (_key, label), members in sorted(groups.items())]


class UnitSelect(forms.Select):
    """The grouped <select> with its filter box (shown only when the script runs)."""

    template_name = "web/widgets/unit_select.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "unit-select"} | (attrs or {}), choices)


class UnitSelectMultiple(forms.SelectMultiple):
    """The grouped picker choosing several units (its filter box hides the others and keeps
    what was chosen)."""

    template_name = "web/widgets/unit_select.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "unit-select", "size": 12} | (attrs or {}), choices)
