"""督导台账: the guidance groups' visits in the period (GuidanceVisit.objects.visible_to: a
unit's staff see the visits to their unit's subtree), a row per rectification item owed from
the visit (a visit without items has one row), each with its deadline, status and result."""

import datetime as dt

from django.db.models import Prefetch

from banshi.campaign.models import GuidanceVisit, Rectification
from banshi.org.models import Unit

from .book import Sheet, period_line
from .common import records

KIND = "supervision"
NAME = "督导检查台账"
COLUMNS = [("督导日期", 11), ("指导组", 14), ("被督导单位", 18), ("发现问题", 36),
           ("工作亮点", 30), ("评价", 7), ("整改事项", 36), ("责任单位", 18),
           ("整改时限", 11), ("整改状态", 9), ("完成日期", 11), ("整改情况", 36)]


def visits(user, start: dt.date, end: dt.date, unit: Unit | None):
    items = Rectification.objects.visible_to(user).select_related("unit").order_by("due_on", "id")
    return (records(GuidanceVisit, user, start, end, unit)
            .select_related("group", "unit")
            .prefetch_related(Prefetch("rectifications", queryset=items))
            .order_by("visited_on", "id"))


def rows(visit: GuidanceVisit) -> list[list]:
    head = [visit.visited_on, visit.group.name, visit.unit.name, visit.findings,
            visit.highlights, visit.get_rating_display()]
    items = list(visit.rectifications.all())
    if not items:
        return [[*head, "", "", None, "", None, ""]]
    return [[*head, item.item, item.unit.name, item.due_on, item.get_status_display(),
             item.done_on, item.result] for item in items]


def sheets(user, start: dt.date, end: dt.date, unit: Unit | None, scope: str) -> list[Sheet]:
    return [Sheet(name="督导检查", title=f"{scope}“我为群众办实事”督导检查台账",
                  period=period_line(start, end, scope), columns=COLUMNS,
                  rows=(line for visit in visits(user, start, end, unit)
                        for line in rows(visit)))]
