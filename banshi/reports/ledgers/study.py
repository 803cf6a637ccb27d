"""学习教育台账: the study activities held in the period that `user` may see
(StudyActivity.objects.visible_to), with their person-times and the sign-ins recorded."""

import datetime as dt

from django.db.models import Count

from banshi.campaign.models import StudyActivity
from banshi.org.models import Unit

from .book import Sheet, period_line
from .common import records

KIND = "study"
NAME = "学习教育台账"
COLUMNS = [("日期", 11), ("组织单位", 18), ("形式", 12), ("主题", 30), ("主讲人", 12),
           ("地点", 22), ("参加人次", 9), ("签到人数", 9), ("专题学习", 8), ("内容摘要", 40)]


def activities(user, start: dt.date, end: dt.date, unit: Unit | None):
    return (records(StudyActivity, user, start, end, unit)
            .select_related("unit", "speaker", "venue")
            .annotate(signin_count=Count("signins"))
            .order_by("held_on", "id"))


def row(activity: StudyActivity) -> list:
    place = activity.venue.name if activity.venue_id else activity.place
    if activity.venue_id and activity.place:
        place = f"{activity.venue.name}（{activity.place}）"
    return [activity.held_on, activity.unit.name, activity.get_kind_display(), activity.title,
            activity.speaker.name if activity.speaker_id else "", place,
            activity.person_times,
            activity.signin_count,  # type: ignore[attr-defined]  # annotated by activities()
            "是" if activity.is_special else "否", activity.summary]


def sheets(user, start: dt.date, end: dt.date, unit: Unit | None, scope: str) -> list[Sheet]:
    return [Sheet(name="学习教育", title=f"{scope}党史学习教育学习活动台账",
                  period=period_line(start, end, scope), columns=COLUMNS,
                  rows=(row(a) for a in activities(user, start, end, unit)))]
