"""The campaign figures (活动工作统计), counted from the records — never a stored number.

Every figure is for a period [start, end] (both days included) and a scope: the records the
caller may see (district roles all, unit staff their unit's and its sub-units'), narrowed to
`unit` and its sub-units when one is given. The definitions (README "Campaign statistics"):

- meetings: Meeting rows held (`held_on`) in the period, by kind, keyed by the kind's Chinese
  name (动员大会, 推进会, 协调会, 周例会, 月度会议, 专题学习, 其他会议); every kind is listed.
- study_activities / study_person_times: StudyActivity rows held in the period (every kind:
  lectures and venue visits included) and the sum of their `person_times`.
- lectures / lecture_person_times: those of a lecture kind (专题党课, 宣讲, 开学第一课).
- venue_visits / venue_visit_person_times: those held at a red education venue (`venue` set).
- supervision_groups: guidance groups of the current campaign that cover a unit in scope;
  supervision_units: the distinct units in scope those groups cover; supervision_units_visited:
  those of them with a visit in the period; supervision_coverage: visited ÷ units, a fraction
  rounded to 4 places (1.0 = 全覆盖), null when no unit is covered.
- rectifications_open: rectification items of visits in the period still 整改中.
- exemplars: nominees selected (入选) in rounds whose result was published in the period.
- practical_matters: practical matters committed (`committed_on`) in the period;
  practical_matters_done: those of them 销号 (closed) on or before `end`.
- tasks_overdue: task assignments in scope whose task fell due in the period, before today,
  and are still not done.
"""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone

from banshi.org import permissions
from banshi.org.models import Unit

from .choices import (
    LECTURE_KINDS,
    AssignmentStatus,
    MatterStatus,
    MeetingKind,
    NominationStatus,
    RectificationStatus,
    SpeakerKind,
    StudyKind,
)
from .models import (
    Campaign,
    GuidanceGroup,
    GuidanceVisit,
    Meeting,
    Nomination,
    PracticalMatter,
    Rectification,
    StudyActivity,
    TaskAssignment,
)

FIGURES = ("meetings", "study_activities", "study_person_times", "lectures",
           "lecture_person_times", "venue_visits", "venue_visit_person_times",
           "supervision_groups", "supervision_units", "supervision_units_visited",
           "supervision_coverage", "rectifications_open", "exemplars", "practical_matters",
           "practical_matters_done", "tasks_overdue")


def coverage(visited: int, units: int) -> float | None:
    return round(visited / units, 4) if units else None


def scope_q(user, unit: Unit | None, field: str = "unit") -> Q | None:
    """A filter on `field`'s unit path for `user`'s scope narrowed to `unit`; None when the
    user may see nothing."""
    q = Q()
    if not permissions.sees_everything(user):
        own = permissions.unit_of(user)
        if own is None:
            return None
        q &= Q(**{f"{field}__path__startswith": own.path})
    if unit is not None:
        q &= Q(**{f"{field}__path__startswith": unit.path})
    return q


def _records(model, user, unit):
    return model.objects.visible_to(user).within(unit)


def _within(model, start: dt.date, end: dt.date, user, unit):
    return _records(model, user, unit).filter(
        **{f"{model.DATE_FIELD}__gte": start, f"{model.DATE_FIELD}__lte": end})


def supervision_figures(user, start: dt.date, end: dt.date, unit: Unit | None = None) -> dict:
    """Groups, covered units, visited units and coverage for the current campaign."""
    campaign = Campaign.objects.current()
    scope = scope_q(user, unit, "covered_units")
    if campaign is None or scope is None:
        return {"supervision_groups": 0, "supervision_units": 0, "supervision_units_visited": 0,
                "supervision_coverage": None}
    groups = GuidanceGroup.objects.filter(campaign=campaign)
    covered = set(groups.filter(scope).values_list("covered_units", flat=True).distinct())
    covered.discard(None)
    visited = set(GuidanceVisit.objects.filter(
        group__campaign=campaign, unit_id__in=covered, visited_on__gte=start,
        visited_on__lte=end).values_list("unit_id", flat=True).distinct())
    return {
        "supervision_groups": groups.filter(scope).distinct().count(),
        "supervision_units": len(covered),
        "supervision_units_visited": len(visited),
        "supervision_coverage": coverage(len(visited), len(covered)),
    }


def campaign_figures(user, start: dt.date, end: dt.date, unit: Unit | None = None) -> dict:
    """The figures of `/api/v1/stats/campaign` (the definitions above)."""
    meetings = dict(_within(Meeting, start, end, user, unit).values_list("kind")
                    .annotate(n=Count("id")).order_by())
    study = _within(StudyActivity, start, end, user, unit)
    lectures = study.filter(kind__in=LECTURE_KINDS)
    venues = study.filter(venue__isnull=False)

    def total(rows) -> tuple[int, int]:
        got = rows.aggregate(n=Count("id"), p=Sum("person_times"))
        return got["n"], got["p"] or 0

    study_n, study_p = total(study)
    lecture_n, lecture_p = total(lectures)
    venue_n, venue_p = total(venues)
    visits = _within(GuidanceVisit, start, end, user, unit)
    matters = _within(PracticalMatter, start, end, user, unit)
    today = timezone.localdate()
    assignment_scope = scope_q(user, unit)
    overdue = 0
    if assignment_scope is not None:
        overdue = TaskAssignment.objects.filter(
            assignment_scope, status=AssignmentStatus.OPEN, task__due_on__gte=start,
            task__due_on__lte=end, task__due_on__lt=today).count()
    return {
        "meetings": {str(label): meetings.get(kind, 0) for kind, label in MeetingKind.choices},
        "study_activities": study_n,
        "study_person_times": study_p,
        "lectures": lecture_n,
        "lecture_person_times": lecture_p,
        "venue_visits": venue_n,
        "venue_visit_person_times": venue_p,
        **supervision_figures(user, start, end, unit),
        "rectifications_open": _records(Rectification, user, unit).filter(
            visit__in=visits, status=RectificationStatus.OPEN).count(),
        "exemplars": _records(Nomination, user, unit).filter(
            status=NominationStatus.SELECTED, round__published_on__gte=start,
            round__published_on__lte=end).count(),
        "practical_matters": matters.count(),
        "practical_matters_done": matters.filter(
            status=MatterStatus.CLOSED, closed_on__lte=end).count(),
        "tasks_overdue": overdue,
    }


# ---------- breakdowns for the campaign page ----------

def study_by_kind(user, start: dt.date, end: dt.date, unit: Unit | None = None) -> list[dict]:
    """[{kind, label, activities, person_times}] for every study kind, in the kinds' order."""
    rows = {row["kind"]: row for row in _within(StudyActivity, start, end, user, unit)
            .values("kind").annotate(n=Count("id"), p=Sum("person_times")).order_by()}
    return [{"kind": kind, "label": str(label), "activities": rows.get(kind, {}).get("n", 0),
             "person_times": rows.get(kind, {}).get("p") or 0}
            for kind, label in StudyKind.choices]


def lectures_by_speaker_kind(user, start: dt.date, end: dt.date,
                             unit: Unit | None = None) -> list[dict]:
    """[{kind, label, lectures, person_times, speakers}] of lectures with a speaker, by the
    speaker's kind (书记讲师: "百名书记讲党史"; 宣讲团专家 …), kinds with none left out."""
    rows = (_within(StudyActivity, start, end, user, unit)
            .filter(kind__in=LECTURE_KINDS, speaker__isnull=False)
            .values("speaker__kind")
            .annotate(n=Count("id"), p=Sum("person_times"),
                      s=Count("speaker", distinct=True)).order_by())
    by_kind = {row["speaker__kind"]: row for row in rows}
    return [{"kind": kind, "label": str(label), "lectures": by_kind[kind]["n"],
             "person_times": by_kind[kind]["p"] or 0, "speakers": by_kind[kind]["s"]}
            for kind, label in SpeakerKind.choices if kind in by_kind]


def venue_visits(user, start: dt.date, end: dt.date, unit: Unit | None = None) -> list[dict]:
    """[{venue, visits, person_times}] per red education venue with a visit in the period."""
    rows = (_within(StudyActivity, start, end, user, unit).filter(venue__isnull=False)
            .values("venue__name").annotate(n=Count("id"), p=Sum("person_times"))
            .order_by("-p", "venue__name"))
    return [{"venue": row["venue__name"], "visits": row["n"], "person_times": row["p"] or 0}
            for row in rows]


def coverage_matrix(user, start: dt.date, end: dt.date, unit: Unit | None = None) -> list[dict]:
    """Per guidance group of the current campaign: its covered units in scope, each with the
    first visit in the period (None when not visited), and the group's coverage."""
    campaign = Campaign.objects.current()
    scope = scope_q(user, unit, "covered_units")
    if campaign is None or scope is None:
        return []
    first_visit: dict[int, dt.date] = {}
    for unit_id, day in (GuidanceVisit.objects
                         .filter(group__campaign=campaign, visited_on__gte=start,
                                 visited_on__lte=end)
                         .values_list("unit_id", "visited_on").order_by("visited_on")):
        first_visit.setdefault(unit_id, day)
    in_scope = set(GuidanceGroup.objects.filter(scope, campaign=campaign)
                   .values_list("covered_units", flat=True))
    result = []
    for group in GuidanceGroup.objects.filter(campaign=campaign).prefetch_related(
            "covered_units"):
        cells = [{"unit": u, "visited_on": first_visit.get(u.pk)}
                 for u in group.covered_units.all() if u.pk in in_scope]
        if not cells:
            continue
        visited = sum(1 for cell in cells if cell["visited_on"])
        result.append({"group": group, "cells": cells, "units": len(cells),
                       "visited": visited, "coverage": coverage(visited, len(cells))})
    return result
