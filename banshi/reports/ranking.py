"""红黑榜: the district's streets and departments ranked each month by one composite of their
handling rates (banshi.reports.metrics defines each rate). The rule, written once here, is
shown on the ranking page (RULE) and in README "统计报表: 办理指标":

- The month's figures of each street and department (the units one level below the district
  office), over the appeals collected that month (local dates) that its subtree handles.
- 综合得分 = 100 × (0.3 × 响应率 + 0.3 × 办结率 + 0.2 × 解决率 + 0.2 × 满意率), rounded to
  2 places. A rate without a denominator (nothing rated that month, say) is left out and the
  weights of the others are scaled up to add to 1 again.
- Units that received fewer than MIN_APPEALS appeals in the month are not ranked: they are
  listed apart (样本不足), as is any unit with no rate at all.
- Ranked by score, higher first; ties by more appeals received, then by unit code (so the
  order is total: every ranked unit has its own place).
- 红榜: the first BOARD_SIZE ranked units; 黑榜: the last BOARD_SIZE, worst first. With fewer
  than 2 × BOARD_SIZE ranked units, each board takes half of them (rounded down), so no unit
  is on both.
"""

import calendar
import datetime as dt
import re

from banshi.org.models import Unit

from .metrics import district_units, units_figures

WEIGHTS = {"response_rate": .3, "resolution_rate": .3, "solve_rate": .2,
           "satisfaction_rate": .2}
MIN_APPEALS = 5
BOARD_SIZE = 3
RULE = (f"综合得分 = 100 × (0.3 × 响应率 + 0.3 × 办结率 + 0.2 × 解决率 + 0.2 × 满意率)，"
        f"保留 2 位小数；某项比率无分母(如当月无人评价)时不计该项，其余权重按比例放大。"
        f"当月收到诉求少于 {MIN_APPEALS} 件的单位不参加排名，另行列出。"
        f"得分相同时收到诉求多者在前。前 {BOARD_SIZE} 名为红榜，后 {BOARD_SIZE} 名为黑榜"
        f"(参加排名的单位不足 {2 * BOARD_SIZE} 个时各取一半)。")
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_month(text: str) -> dt.date | None:
    """The first day of the month "YYYY-MM", or None when it is not one (1900–2999)."""
    match = MONTH.fullmatch(text or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1900 <= year <= 2999 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    first = first.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def previous_months(last: dt.date, count: int) -> list[dt.date]:
    """The first days of `count` months ending with `last`'s, oldest first."""
    year, month = last.year, last.month
    months = []
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def score(figures: dict) -> float | None:
    """The composite score of one unit's figures (None: no rate at all)."""
    present = {key: weight for key, weight in WEIGHTS.items() if figures[key] is not None}
    if not present:
        return None
    total = sum(present.values())
    return round(100 * sum(figures[key] * weight for key, weight in present.items()) / total, 2)


def rank(rows: list[dict], min_appeals: int = MIN_APPEALS) -> dict:
    """Rank `by_unit`-style rows: {"ranked": [row + rank, score], "apart": [...],
    "red": [...], "black": [...]} by the rule above."""
    ranked, apart = [], []
    for row in rows:
        row = row | {"score": score(row)}
        if row["received"] < min_appeals or row["score"] is None:
            apart.append(row | {"rank": None})
        else:
            ranked.append(row)
    ranked.sort(key=lambda r: (-r["score"], -r["received"], r["unit_code"]))
    ranked = [row | {"rank": n} for n, row in enumerate(ranked, 1)]
    size = min(BOARD_SIZE, len(ranked) // 2)
    return {"ranked": ranked, "apart": apart, "red": ranked[:size],
            "black": ranked[::-1][:size] if size else []}


def monthly_ranking(month: dt.date, units: list[Unit] | None = None) -> dict:
    """The 红黑榜 of `month` (any day of it): the rank() result with month, start, end and
    the number of units ranked (`of`)."""
    start, end = month_bounds(month)
    result = rank(units_figures(start, end, district_units() if units is None else units))
    return result | {"month": f"{start:%Y-%m}", "start": start, "end": end,
                     "of": len(result["ranked"])}


def rank_history(unit: Unit, months: list[dt.date]) -> list[dict]:
    """For each month, oldest first: the unit's figures with "month", "score", "rank" (None
    when not ranked: too few appeals, or not a street or department) and "of" (how many
    units were ranked)."""
    units = district_units()
    ranked_unit = any(u.pk == unit.pk for u in units)
    history = []
    for month in months:
        if ranked_unit:
            board = monthly_ranking(month, units)
            row = next(r for r in board["ranked"] + board["apart"]
                       if r["unit_code"] == unit.code)
            of = board["of"]
        else:
            start, end = month_bounds(month)
            row = units_figures(start, end, [unit])[0]
            row = row | {"score": score(row), "rank": None}
            of = 0
        history.append(row | {"month": f"{month:%Y-%m}", "of": of})
    return history
