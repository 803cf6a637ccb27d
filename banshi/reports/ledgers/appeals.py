"""群众诉求台账 by 办理层级: a sheet per level (村(社区)、街道(局委)、区), with the 销号 mark.

The rows come from the appeals ledger's own row source (banshi.appeals.ledger.export
`ledger_rows`), the appeals those counted as collected in the period and scope
(banshi.collection.stats `collected_appeals`: Appeal.objects.visible_to, narrowed to a unit);
residents' names, phones and addresses are masked unless the viewer may see them
(banshi.appeals.masking `contact`)."""

import datetime as dt

from banshi.appeals.choices import Rating, Solved, State
from banshi.appeals.ledger.export import answer, is_late, ledger_rows
from banshi.appeals.masking import contact
from banshi.appeals.models import Appeal
from banshi.collection.stats import collected_appeals
from banshi.org.choices import UnitLevel
from banshi.org.models import Unit

from .book import Sheet, period_line

KIND = "appeals"
NAME = "群众诉求台账"
# the sheets, in the offices' order, named as they name the levels
LEVELS = [(UnitLevel.COMMUNITY, "村(社区)"), (UnitLevel.STREET, "街道(局委)"),
          (UnitLevel.DISTRICT, "区")]
CLOSED = "已销号"
OPEN = "未销号"
COLUMNS = [("编号", 17), ("收集日期", 17), ("渠道", 10), ("诉求类别", 22), ("办实事方向", 20),
           ("诉求标题", 24), ("诉求内容", 48), ("诉求人", 9), ("联系电话", 14), ("地点", 22),
           ("承办单位", 18), ("办理层级", 10), ("办理状态", 9), ("办理期限", 17),
           ("是否超期", 8), ("答复日期", 17), ("答复内容", 36), ("销号", 8), ("问题是否解决", 12),
           ("群众评价", 12)]


def cancel_mark(appeal: Appeal) -> str:
    """已销号 once the case is 已办结 (closed); 未销号 otherwise."""
    return CLOSED if appeal.state == State.CLOSED else OPEN


def row(user, appeal: Appeal) -> list:
    person = contact(user, appeal)
    place = " ".join(part for part in (
        appeal.region.parent.name if appeal.region_id and appeal.region.parent_id else "",
        appeal.region.name if appeal.region_id else "", person["address"]) if part)
    category = "/".join(level.name for level in appeal.category_levels() if level)
    return [
        appeal.number, appeal.collected_at, appeal.get_channel_display(), category,
        appeal.aspect.name if appeal.aspect_id else "", appeal.title, appeal.content,
        person["name"], person["phone"], place,
        appeal.unit.name if appeal.unit_id else "", appeal.get_level_display(),
        appeal.get_state_display(), appeal.handling_due_at, "是" if is_late(appeal) else "否",
        appeal.resolved_at, appeal.reply, cancel_mark(appeal),
        answer(appeal.solved, appeal.callback_solved, Solved),
        answer(appeal.rating, appeal.callback_rating, Rating),
    ]


def appeals(user, start: dt.date, end: dt.date, unit: Unit | None):
    return collected_appeals(user, start, end, unit).order_by("collected_at", "id")


def sheets(user, start: dt.date, end: dt.date, unit: Unit | None, scope: str) -> list[Sheet]:
    queryset = appeals(user, start, end, unit)
    period = period_line(start, end, scope)
    return [Sheet(name=label, title=f"{scope}“我为群众办实事”群众诉求台账（{label}级）",
                  period=period, columns=COLUMNS,
                  rows=(row(user, appeal)
                        for appeal in ledger_rows(queryset.filter(level=level))))
            for level, label in LEVELS]
