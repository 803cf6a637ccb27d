"""The handling metrics (办理情况统计), counted from the appeals and their events at the call —
never a stored number. Each formula is defined here once; README "统计报表: 办理指标" and the
page /staff/reports/handling/ show the same table (FORMULAS below).

The cohort: appeals the caller may see (Appeal.objects.visible_to: district roles all, unit
staff their unit's subtree) collected (`collected_at`, local date) in [start, end], both days
included; narrowed to `unit`: those whose handling unit (the unit holding the case, or the one
that answered it) is the unit or one of its sub-units (the district office's unit narrows
nothing). Every figure below counts appeals of the cohort, as they stand at the call.

- received (收到): the cohort (件).
- dispatched (派单): of those, dispatched at least once (`dispatched_at` set).
- responded_in_time (按时响应): of those dispatched, accepted (接单) by the holder's response
  deadline; response_rate (响应率) = responded_in_time / dispatched.
- resolved (办结): of those dispatched, answered (已答复) or closed (已办结) now;
  resolution_rate (办结率) = resolved / dispatched.
- rated (参评): with a 满意度 answer; satisfied / basically_satisfied / unsatisfied: the
  answers; satisfaction_rate (满意率) = (satisfied + basically_satisfied) / rated.
- solved / partly_solved / unsolved (解决 / 部分解决 / 未解决): the 问题是否解决 answers;
  solve_rate (解决率) = (solved + partly_solved) / (solved + partly_solved + unsolved).
- overdue (超期): ever flagged overdue (an 超期 event, or flagged now), or answered after
  its handling deadline.
- avg_handling_days (平均办理用时): over the resolved, working days from 派单 to 答复 (local
  dates; 法定节假日 and 调休 as banshi.appeals.deadlines counts them), mean, 1 decimal.
- returns (退单): 退单 events on the cohort's appeals (an appeal returned twice counts 2).

Rates are fractions in [0, 1] rounded to 4 places (0.9123 = 91.23 %); a rate whose
denominator is 0 is None (null in the API), as is avg_handling_days with nothing resolved.

Which answer counts: the resident's own answer to each question (H5 评价, or the dispatcher's
评价 recorded for them) wins; the dispatcher's 电话回访 fills in a question the resident left
unanswered (older feedback has a rating and no 问题是否解决). An appeal reopened after 不满意
and later rated again counts its last answers.

`by_unit` has one row per unit one level below the scope's top — the district's streets and
departments (for the district roles and with no `unit`), a street's communities, a unit
with no sub-unit itself — each row covering its unit's subtree, every such unit listed even
with nothing (0, None). A row's `returns` counts the 退单 made by units of its subtree.
Appeals held by no unit (not yet dispatched, returned, invalid) or by the district office
count in the totals only.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from banshi.appeals.choices import Action, Channel, Rating, Solved, State
from banshi.appeals.deadlines import Calendar, working_days_between
from banshi.appeals.models import Appeal, AppealEvent
from banshi.org import permissions
from banshi.org.choices import RegionLevel, UnitKind, UnitLevel
from banshi.org.models import Unit

# The interface's keys, in its order (by_unit rows add unit_code and unit_name first).
KEYS = ["received", "dispatched", "responded_in_time", "response_rate", "resolved",
        "resolution_rate", "rated", "solved", "partly_solved", "unsolved", "solve_rate",
        "satisfied", "basically_satisfied", "unsatisfied", "satisfaction_rate", "overdue",
        "avg_handling_days", "returns"]
RATES = ["response_rate", "resolution_rate", "solve_rate", "satisfaction_rate"]

# (key, 指标, formula) for the page and the README: the table above, in Chinese.
FORMULAS = [
    ("received", "收到", "统计期内收到的诉求(件)，按收到时间计"),
    ("dispatched", "派单", "其中已派单的(件)"),
    ("responded_in_time", "按时响应", "已派单且承办单位在响应期限内接单的(件)"),
    ("response_rate", "响应率", "按时响应 ÷ 派单"),
    ("resolved", "办结", "已派单且现为“已答复”或“已办结”的(件)"),
    ("resolution_rate", "办结率", "办结 ÷ 派单"),
    ("rated", "参评", "有满意度回答的(件)：群众本人的评价优先，没有时取电话回访的回答"),
    ("solved", "解决", "“问题是否解决”回答为解决的(件)，取法同上"),
    ("partly_solved", "部分解决", "回答为部分解决的(件)"),
    ("unsolved", "未解决", "回答为未解决的(件)"),
    ("solve_rate", "解决率", "(解决 + 部分解决) ÷ 回答了“问题是否解决”的件数"),
    ("satisfied", "满意", "满意度回答为满意的(件)"),
    ("basically_satisfied", "基本满意", "回答为基本满意的(件)"),
    ("unsatisfied", "不满意", "回答为不满意的(件)"),
    ("satisfaction_rate", "满意率", "(满意 + 基本满意) ÷ 参评"),
    ("overdue", "超期", "曾被标记超期，或答复晚于办理期限的(件)"),
    ("avg_handling_days", "平均办理用时",
     "已办结诉求从派单到答复的工作日数的平均值(扣除法定节假日，计入调休上班日)，保留 1 位小数"),
    ("returns", "退单", "这些诉求的退单次数(次)，同一诉求退单两次计 2 次"),
]
# Figures of the page beyond the interface's keys (not in GET /api/v1/stats/handling).
REWORK_FORMULAS = [
    ("reopened", "重新办理", "群众评价不满意后重新办理过的(件)"),
    ("redone", "重办完成", "其中重新办理后已再次答复或办结的(件)"),
]
RATE_NOTE = "比率为小数(0.9123 即 91.23%)，保留 4 位；分母为 0 时为空(API 中为 null)。"

GROUPINGS = ("unit", "level", "street", "category", "aspect", "channel", "month")


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# ---------- the cohort ----------

def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    def midnight(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return midnight(start), midnight(end + dt.timedelta(days=1))


def cohort(user: permissions.Person, start: dt.date, end: dt.date,
           unit: Unit | None = None) -> QuerySet[Appeal]:
    """The appeals the figures count (see the module's docstring)."""
    since, until = _day_bounds(start, end)
    appeals = Appeal.objects.visible_to(user).filter(collected_at__gte=since,
                                                      collected_at__lt=until)
    if unit is not None and unit.kind != UnitKind.DISTRICT:
        appeals = appeals.filter(unit__path__startswith=unit.path)
    return appeals


class _MemoCalendar(Calendar):
    """The statutory calendar with each day's answer kept for the computation (chinesecalendar
    checks its whole table on every call)."""

    def __init__(self) -> None:
        super().__init__()
        self._days: dict[dt.date, bool] = {}

    def is_workday(self, day: dt.date) -> bool:
        if day not in self._days:
            self._days[day] = super().is_workday(day)
        return self._days[day]


@dataclass
class Row:
    """One appeal of the cohort, as the formulas read it."""

    pk: int
    unit_path: str
    level: str
    channel: str
    category: str
    aspect: str
    street: str
    month: str
    dispatched: bool
    responded_in_time: bool
    resolved: bool
    solved: str
    rating: str
    overdue: bool
    handling_days: int | None
    returns: int


def _rows(appeals: QuerySet[Appeal]) -> tuple[list[Row], list[tuple[int, str]]]:
    """The cohort's rows and its 退单 events as (appeal id, returning unit's path)."""
    fields = ("pk", "unit__path", "level", "channel", "category__path_name", "aspect__code",
              "region__parent__name", "region__name", "region__level", "collected_at",
              "dispatched_at", "response_due_at", "accepted_at", "resolved_at",
              "handling_due_at", "state", "is_overdue", "solved", "rating", "callback_solved",
              "callback_rating")
    values = list(appeals.order_by().values(*fields))
    ids = [v["pk"] for v in values]
    events = AppealEvent.objects.filter(appeal_id__in=appeals.order_by().values("pk"))
    flagged = set(events.filter(action=Action.OVERDUE).values_list("appeal_id", flat=True))
    returns = list(events.filter(action=Action.RETURN)
                   .values_list("appeal_id", "unit__path").order_by())
    returned = Counter(pk for pk, _ in returns)
    calendar, tz = _MemoCalendar(), timezone.get_current_timezone()
    rows = []
    for v in values:
        dispatched = v["dispatched_at"] is not None
        resolved = dispatched and v["state"] in (State.RESOLVED, State.CLOSED)
        days = None
        if resolved and v["resolved_at"] is not None:
            days = working_days_between(v["dispatched_at"].astimezone(tz).date(),
                                        v["resolved_at"].astimezone(tz).date(), calendar)
        late_answer = (v["resolved_at"] is not None and v["handling_due_at"] is not None
                       and v["resolved_at"] > v["handling_due_at"])
        in_time = (dispatched and v["accepted_at"] is not None
                   and v["response_due_at"] is not None
                   and v["accepted_at"] <= v["response_due_at"])
        street = {RegionLevel.COMMUNITY: v["region__parent__name"],
                  RegionLevel.STREET: v["region__name"]}.get(v["region__level"], "")
        rows.append(Row(
            pk=v["pk"], unit_path=v["unit__path"] or "", level=v["level"],
            channel=v["channel"], category=(v["category__path_name"] or "").split("/")[0],
            aspect=v["aspect__code"] or "", street=street or "",
            month=v["collected_at"].astimezone(tz).strftime("%Y-%m"),
            dispatched=dispatched, responded_in_time=in_time, resolved=resolved,
            solved=v["solved"] or v["callback_solved"],
            rating=v["rating"] or v["callback_rating"],
            overdue=v["is_overdue"] or v["pk"] in flagged or late_answer,
            handling_days=days, returns=returned[v["pk"]]))
    assert len(rows) == len(ids)
    return rows, [(pk, path or "") for pk, path in returns]


def figures_of(rows: Iterable[Row], returns: int | None = None) -> dict:
    """The interface's figures of `rows` (`returns` given: that count instead of the rows')."""
    rows = list(rows)
    answers = Counter(r.solved for r in rows if r.solved)
    ratings = Counter(r.rating for r in rows if r.rating)
    dispatched = sum(r.dispatched for r in rows)
    in_time = sum(r.responded_in_time for r in rows)
    resolved = sum(r.resolved for r in rows)
    days = [r.handling_days for r in rows if r.handling_days is not None]
    rated = sum(ratings.values())
    solved, partly, unsolved = (answers[Solved.SOLVED], answers[Solved.PARTLY_SOLVED],
                                answers[Solved.UNSOLVED])
    satisfied, basically = ratings[Rating.SATISFIED], ratings[Rating.BASICALLY_SATISFIED]
    return {
        "received": len(rows), "dispatched": dispatched,
        "responded_in_time": in_time, "response_rate": rate(in_time, dispatched),
        "resolved": resolved, "resolution_rate": rate(resolved, dispatched),
        "rated": rated, "solved": solved, "partly_solved": partly, "unsolved": unsolved,
        "solve_rate": rate(solved + partly, solved + partly + unsolved),
        "satisfied": satisfied, "basically_satisfied": basically,
        "unsatisfied": ratings[Rating.UNSATISFIED],
        "satisfaction_rate": rate(satisfied + basically, rated),
        "overdue": sum(r.overdue for r in rows),
        "avg_handling_days": round(sum(days) / len(days), 1) if days else None,
        "returns": sum(r.returns for r in rows) if returns is None else returns,
    }


# ---------- by unit ----------

def breakdown_units(user: permissions.Person, unit: Unit | None = None) -> list[Unit]:
    """The units of `by_unit`: one level below the scope's top (see the docstring)."""
    top = unit
    if top is None and not permissions.sees_everything(user):
        top = permissions.unit_of(user)
    if top is None:
        if not permissions.sees_everything(user):
            return []
        top = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if top is None:
            return []
    below = list(Unit.objects.filter(parent=top).order_by("kind", "path"))
    return below or [top]


def _prefix(path: str, depth: int) -> str:
    """The first `depth` codes of a unit path ("district/linshanzhai/" for depth 2)."""
    parts = path.split("/")
    return "/".join(parts[:depth]) + "/" if len(parts) > depth else ""


def by_unit(rows: list[Row], returns: list[tuple[int, str]], units: list[Unit]) -> list[dict]:
    """One row per unit of `units` (all of one depth in the tree), each over its subtree."""
    depth = units[0].path.count("/") if units else 0
    mine: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        mine[_prefix(row.unit_path, depth)].append(row)
    made = Counter(_prefix(path, depth) for _, path in returns)
    return [{"unit_code": unit.code, "unit_name": unit.name,
             **figures_of(mine[unit.path], returns=made[unit.path])} for unit in units]


def handling_figures(user: permissions.Person, start: dt.date, end: dt.date,
                     unit: Unit | None = None) -> dict:
    """The interface's figures and `by_unit` (see the module's docstring for each)."""
    rows, returns = _rows(cohort(user, start, end, unit))
    return {**figures_of(rows, returns=len(returns)),
            "by_unit": by_unit(rows, returns, breakdown_units(user, unit))}


def district_units() -> list[Unit]:
    """The district's streets and departments: the units one level below the top unit."""
    top = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    return list(Unit.objects.filter(parent=top).order_by("kind", "path")) if top else []


def units_figures(start: dt.date, end: dt.date, units: list[Unit]) -> list[dict]:
    """`by_unit` rows of `units` over every appeal collected in the period (not scoped to a
    caller: for the 红黑榜, whose pages check who may see them)."""
    since, until = _day_bounds(start, end)
    rows, returns = _rows(Appeal.objects.filter(collected_at__gte=since,
                                                collected_at__lt=until))
    return by_unit(rows, returns, units)


# ---------- other groupings (for the dashboard) ----------

def _labels(key: str) -> Callable[[str], str]:
    from banshi.appeals.models import Aspect
    if key == "level":
        return lambda code: UnitLevel(code).label if code in UnitLevel.values else code
    if key == "channel":
        return lambda code: Channel(code).label if code in Channel.values else code
    if key == "category":
        return lambda name: name or "未分类"
    if key == "aspect":
        names = dict(Aspect.objects.values_list("code", "name"))
        return lambda code: names.get(code, "未定方向")
    if key == "street":
        return lambda name: name or "未定位"
    return lambda code: code


def handling_by(user: permissions.Person, start: dt.date, end: dt.date, key: str,
                unit: Unit | None = None) -> list[dict]:
    """The figures grouped by `key` (one of GROUPINGS): rows `{"key", "label", …figures}`,
    in key order; "unit" gives the `by_unit` rows. Groups with no appeal are not listed
    (except by unit)."""
    return handling_report(user, start, end, unit, keys=(key,))[key]


def rework_figures(user: permissions.Person, start: dt.date, end: dt.date,
                   unit: Unit | None = None) -> dict[str, int]:
    """Of the cohort: reopened (重新办理: reopened at least once after 不满意) and redone
    (重办完成: of those, answered or closed again now)."""
    reopened = cohort(user, start, end, unit).filter(reopen_count__gt=0)
    return {"reopened": reopened.count(),
            "redone": reopened.filter(state__in=(State.RESOLVED, State.CLOSED)).count()}


def handling_report(user: permissions.Person, start: dt.date, end: dt.date,
                    unit: Unit | None = None, keys: Iterable[str] = ("level",)) -> dict:
    """handling_figures() and handling_by() for each of `keys`, from one read of the
    appeals: {"figures": {…}, key: [rows], …} (for pages showing several)."""
    keys = list(keys)
    for key in keys:
        if key not in GROUPINGS:
            raise ValueError(f"unknown grouping {key!r}")
    rows, returns = _rows(cohort(user, start, end, unit))
    units = breakdown_units(user, unit)
    report: dict = {"figures": {**figures_of(rows, returns=len(returns)),
                                "by_unit": by_unit(rows, returns, units)}}
    for key in keys:
        report[key] = _grouped(rows, key, report["figures"]["by_unit"])
    return report


def _grouped(rows: list[Row], key: str, unit_rows: list[dict]) -> list[dict]:
    if key == "unit":
        return [{"key": r["unit_code"], "label": r["unit_name"], **r} for r in unit_rows]
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    label = _labels(key)
    return [{"key": k, "label": label(k), **figures_of(groups[k])} for k in sorted(groups)]


def unit_filter(unit: Unit) -> Q:
    """The appeals a unit's row covers (for links to the ledger)."""
    return Q(unit__path__startswith=unit.path)
