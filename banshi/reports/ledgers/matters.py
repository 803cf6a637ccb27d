"""办实事清单台账: the practical matters listed (`committed_on`) in the period that `user` may
see (PracticalMatter.objects.visible_to), with their target, what is done and the 销号 date."""

import datetime as dt

from banshi.campaign.models import PracticalMatter
from banshi.org.models import Unit

from .book import Sheet, period_line
from .common import records

KIND = "matters"
NAME = "办实事清单台账"
COLUMNS = [("责任单位", 18), ("实事项目", 28), ("具体措施", 36), ("性质", 9),
           ("办实事方向", 18), ("目标数量", 8), ("完成数量", 8), ("计量单位", 7),
           ("列入清单日期", 11), ("计划完成时间", 11), ("状态", 8), ("销号日期", 11),
           ("佐证材料", 30)]


def matters(user, start: dt.date, end: dt.date, unit: Unit | None):
    return (records(PracticalMatter, user, start, end, unit)
            .select_related("unit", "aspect").order_by("unit__path", "committed_on", "id"))


def row(matter: PracticalMatter) -> list:
    return [matter.unit.name, matter.title, matter.measure, matter.get_kind_display(),
            matter.aspect.name if matter.aspect_id else "", matter.target_count,
            matter.done_count, matter.count_unit, matter.committed_on, matter.due_on,
            matter.get_status_display(), matter.closed_on, matter.evidence]


def sheets(user, start: dt.date, end: dt.date, unit: Unit | None, scope: str) -> list[Sheet]:
    return [Sheet(name="办实事清单", title=f"{scope}“我为群众办实事”实践活动项目清单台账",
                  period=period_line(start, end, scope), columns=COLUMNS,
                  rows=(row(m) for m in matters(user, start, end, unit)))]
