"""The campaign page (活动总览): the campaign and its goals, the figures of a period as
sentences in the report's style, cards and charts, the organisation, the calendar of meetings
and study activities, and the guidance groups' coverage matrix."""

import calendar
import datetime as dt

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from banshi.campaign import stats
from banshi.campaign.choices import GroupKind, MeetingKind
from banshi.campaign.models import Campaign, Meeting, OrgGroup, OrgMember, StudyActivity

from ..collection_stats import _period, request_presets, scope_name
from .gates import campaign_required

CARDS = [
    ("study_activities", "学习活动", "次"), ("study_person_times", "学习参加", "人次"),
    ("lectures", "宣讲", "场"), ("lecture_person_times", "宣讲听众", "人次"),
    ("venue_visit_person_times", "红色基地参观", "人次"),
    ("supervision_units_visited", "已督导单位", "家"),
    ("supervision_coverage", "督导覆盖率", "%"),
    ("rectifications_open", "整改中事项", "项"),
    ("practical_matters", "办实事清单", "项"), ("practical_matters_done", "已销号", "项"),
    ("tasks_overdue", "超期任务", "项"), ("exemplars", "评选先进典型", "人"),
]
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals, as the report writes "一办五组" (larger numbers in digits)."""
    if not 0 <= n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return (("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else ""))


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}"


def organisation_summary(campaign: Campaign | None) -> dict:
    if campaign is None:
        return {"groups": [], "working": 0, "offices": 0, "seconded": 0}
    groups = list(OrgGroup.objects.filter(campaign=campaign)
                  .prefetch_related("members").order_by("order", "id"))
    children: dict[int | None, list[OrgGroup]] = {}
    for group in groups:
        children.setdefault(group.parent_id, []).append(group)

    def walk(parent_id, depth):
        for group in children.get(parent_id, []):
            yield {"group": group, "depth": depth, "members": len(group.members.all())}
            yield from walk(group.pk, depth + 1)

    return {
        "groups": list(walk(None, 0)),
        "working": sum(1 for g in groups if g.kind == GroupKind.WORKING),
        "offices": sum(1 for g in groups if g.kind == GroupKind.OFFICE),
        "seconded": OrgMember.objects.filter(group__campaign=campaign, seconded=True)
        .values("name", "home_unit").distinct().count(),
    }


def sentences(campaign: Campaign | None, org: dict, f: dict) -> list[str]:
    """The campaign's work in the report's words, every number from the figures."""
    m = f["meetings"]
    lines = []
    if org["offices"] or org["working"]:
        lines.append(f"成立领导小组，下设“{chinese_number(org['offices'])}办"
                     f"{chinese_number(org['working'])}组”，领导小组办公室抽调"
                     f"{org['seconded']}名工作人员集中办公。")
    opening = (f"{campaign.started_on.month}月{campaign.started_on.day}日动员大会召开后，"
               if campaign and m.get(MeetingKind.MOBILISATION.label) else "")
    lines.append(f"{opening}召开工作推进会{m[MeetingKind.PROGRESS.label]}次、"
                 f"协调会{m[MeetingKind.COORDINATION.label]}次、"
                 f"周例会{m[MeetingKind.WEEKLY.label]}次、"
                 f"月度会议{m[MeetingKind.MONTHLY.label]}次。")
    full = "，实现巡回指导全覆盖" if f["supervision_coverage"] == 1 else ""
    lines.append(f"派出{f['supervision_groups']}个巡回指导组，已对"
                 f"{f['supervision_units_visited']}家单位逐一进行督导"
                 f"(督导范围{f['supervision_units']}家，覆盖率"
                 f"{percent(f['supervision_coverage'])}%){full}。")
    lines.append(f"开展各类学习活动{f['study_activities']}次、{f['study_person_times']}人次，"
                 f"其中宣讲{f['lectures']}场、{f['lecture_person_times']}人次；"
                 f"赴红色教育基地参观学习{f['venue_visit_person_times']}人次。")
    lines.append(f"各单位列入办实事清单{f['practical_matters']}项，"
                 f"已销号{f['practical_matters_done']}项。")
    return lines


def month_of(request, user, end: dt.date) -> dt.date:
    """The calendar's month: ?month=YYYY-MM, else the month of the latest meeting or study
    activity on or before the period's end (the end's month when there is none)."""
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    latest = [model.objects.visible_to(user).filter(held_on__lte=end)
              .order_by("-held_on").values_list("held_on", flat=True).first()
              for model in (Meeting, StudyActivity)]
    return max((day for day in latest if day), default=end).replace(day=1)


def month_calendar(user, first: dt.date) -> dict:
    """Weeks of days (Monday first), each day with its meetings and study activities (the
    days of the neighbouring months the grid shows included)."""
    weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
    since, until = weeks[0][0], weeks[-1][-1]
    events: dict[dt.date, list[dict]] = {}
    for meeting in Meeting.objects.visible_to(user).filter(held_on__gte=since,
                                                            held_on__lte=until):
        events.setdefault(meeting.held_on, []).append(
            {"kind": "meeting", "label": meeting.get_kind_display(), "title": meeting.title,
             "url": reverse("web:campaign-meeting", args=[meeting.pk])})
    for activity in StudyActivity.objects.visible_to(user).filter(
            held_on__gte=since, held_on__lte=until).select_related("unit"):
        events.setdefault(activity.held_on, []).append(
            {"kind": "study", "label": activity.get_kind_display(), "title": activity.title,
             "unit": activity.unit.name,
             "url": reverse("web:campaign-study-activity", args=[activity.pk])})
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    grid = [[{"day": day, "in_month": day.month == first.month, "events": events.get(day, [])}
             for day in week] for week in weeks]
    return {"first": first, "weeks": grid,
            "previous": (first - dt.timedelta(days=1)).replace(day=1),
            "next": last + dt.timedelta(days=1),
            "count": sum(len(v) for day, v in events.items() if day.month == first.month),
            "today": timezone.localdate()}


def chart_data(f: dict, study: list[dict], speakers: list[dict], venues: list[dict],
               matrix: list[dict]) -> dict:
    return {
        "meetings": [{"name": name, "value": n} for name, n in f["meetings"].items()],
        "study": [{"name": row["label"], "activities": row["activities"],
                   "person_times": row["person_times"]} for row in study],
        "speakers": [{"name": row["label"], "lectures": row["lectures"],
                      "person_times": row["person_times"]} for row in speakers],
        "venues": [{"name": row["venue"], "value": row["person_times"]} for row in venues],
        "groups": [{"name": row["group"].name, "units": row["units"],
                    "visited": row["visited"]} for row in matrix],
    }


@campaign_required
def overview(request):
    user = request.user
    campaign = Campaign.objects.current()
    form, start, end, unit = _period(request)
    context = {"campaign": campaign, "form": form, "presets": request_presets(request),
               "start": start, "end": end, "unit": unit}
    if form.is_bound and not form.is_valid():
        return render(request, "web/campaign/overview.html", context, status=400)
    figures = stats.campaign_figures(user, start, end, unit)
    study = stats.study_by_kind(user, start, end, unit)
    speakers = stats.lectures_by_speaker_kind(user, start, end, unit)
    venues = stats.venue_visits(user, start, end, unit)
    matrix = stats.coverage_matrix(user, start, end, unit)
    org = organisation_summary(campaign)
    cards = [{"key": key, "label": label, "unit": measure,
              "value": percent(figures[key]) if key == "supervision_coverage" else figures[key]}
             for key, label, measure in CARDS]
    context |= {
        "scope_name": scope_name(user, unit), "figures": figures, "cards": cards,
        "meetings": figures["meetings"], "sentences": sentences(campaign, org, figures),
        "org": org, "study": study, "speakers": speakers, "venues": venues,
        "matrix": matrix, "full_coverage": figures["supervision_coverage"] == 1,
        "coverage_percent": percent(figures["supervision_coverage"]),
        "calendar": month_calendar(user, month_of(request, user, end)),
        "charts": chart_data(figures, study, speakers, venues, matrix),
    }
    return render(request, "web/campaign/overview.html", context)
