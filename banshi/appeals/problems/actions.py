"""共性问题: shared problems, fixed once for all the residents who reported them.

The dispatcher confirms, edits or rejects the detector's candidates (banshi.appeals.problems
.candidates), or opens a problem by hand; appeals are linked to an open problem (state
`merged`); the owner unit reports progress on milestones and resolves the problem, which
answers every linked appeal with its own reply event so each resident can rate it. The
transitions and rights are in banshi.appeals.transitions.PROBLEM; every change writes one
append-only ProblemEvent.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypedDict, Unpack

from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction

from banshi.org.models import Region, Unit

from .. import clock
from ..actions.base import (
    InvalidInput,
    TransitionNotAllowed,
    locked,
    optional_text,
    record,
    record_problem,
    require_text,
)
from ..actions.supervision import clean_order
from ..actions.workflow import answer
from ..choices import (
    OPEN_STATES,
    Action,
    ExtensionStatus,
    ProblemAction,
    ProblemSource,
    ProblemStatus,
    State,
)
from ..limits import ANSWER_MAX, NOTE_MAX, REPLY_MAX, TITLE_MAX
from ..models import Appeal, Category, Milestone, Problem, ProblemSupervision
from ..transitions import APPEAL, PROBLEM

MAX_PLACES, MAX_PLACE_LENGTH = 20, 100
SYSTEM = "系统"


# Place names: a list, or one string separated by 、，, or new lines.
Places = str | Iterable[object]


class ProblemEdits(TypedDict, total=False):
    """What a dispatcher may change on a problem; a field passed as None stays as it is."""

    title: str | None
    description: str | None
    category: Category | None
    owner_unit: Unit | None
    plan: str | None
    places: Places | None


def clean_places(places: Places | None) -> list[str]:
    """A list of place names from a list or a string separated by 、，, or new lines."""
    if isinstance(places, str):
        for sep in "，,、;；\n":
            places = places.replace(sep, "\n")
        places = places.split("\n")
    result: list[str] = []
    for place in places or []:
        name = str(place).strip()
        if not name or name in result:
            continue
        if len(name) > MAX_PLACE_LENGTH:
            raise InvalidInput(f"地点“{name[:20]}…”不能超过{MAX_PLACE_LENGTH}个字符", "places")
        result.append(name)
    if len(result) > MAX_PLACES:
        raise InvalidInput(f"地点/人群最多{MAX_PLACES}个", "places")
    return result


def _check_unit(unit: Unit | None) -> None:
    if unit is not None and not unit.is_active:
        raise InvalidInput(f"牵头单位“{unit.name}”已停用", "owner_unit")


def _next_code(day: dt.date) -> str:
    prefix = f"WT{day:%Y%m%d}-"
    taken = Problem.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix):]) for code in taken if code[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def insert(problem: Problem, day: dt.date) -> Problem:
    """Save a new problem under the day's next code `WT20261125-01`; if a concurrent
    transaction took that code first, the unique index refuses it and we take the next."""
    for _attempt in range(20):
        problem.code = _next_code(day)
        try:
            with transaction.atomic():
                problem.save(force_insert=True)
        except IntegrityError:
            problem.pk = None
            continue
        return problem
    raise TransitionNotAllowed("生成问题编号失败，请重试")


# ---------- creating and editing ----------

def create_problem(*, actor: User, title: str, description: str = "",
                   category: Category | None = None, places: Places | None = (),
                   regions: Iterable[Region] = (), owner_unit: Unit | None = None,
                   plan: str = "") -> Problem:
    """立项: the dispatcher opens a problem by hand (status 整改中)."""
    PROBLEM.check_right("edit", actor)
    title = require_text(title, "title", "问题名称", TITLE_MAX)
    fields = {"title": title,
              "description": optional_text(description, "description", "问题描述", REPLY_MAX),
              "plan": optional_text(plan, "plan", "整改方案", REPLY_MAX),
              "places": clean_places(places), "category": category, "owner_unit": owner_unit}
    _check_unit(owner_unit)
    with transaction.atomic():
        problem = insert(Problem(status=ProblemStatus.OPEN, source=ProblemSource.MANUAL,
                                  created_by=actor, **fields), clock.localdate())
        problem.regions.set(list(regions))
        record_problem(problem, ProblemAction.CREATE, actor=actor, note=title)
    return problem


EDITABLE = ("title", "description", "category", "owner_unit", "plan", "places")


def _apply_edits(problem: Problem, edits: ProblemEdits) -> list[str]:
    """Set the given fields (None keeps a field); returns the names that changed."""
    # ProblemEdits gave each field its type; a loop over the names cannot keep them apart
    cleaners: dict[str, Callable[[Any], object]] = {
        "title": lambda v: require_text(v, "title", "问题名称", TITLE_MAX),
        "description": lambda v: optional_text(v, "description", "问题描述", REPLY_MAX),
        "plan": lambda v: optional_text(v, "plan", "整改方案", REPLY_MAX),
        "places": clean_places,
    }
    unknown = set(edits) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    given: Mapping[str, object] = edits
    changed = []
    for name in EDITABLE:
        value = given.get(name)
        if value is None:
            continue
        if clean := cleaners.get(name):
            value = clean(value)
        if name == "owner_unit":
            _check_unit(edits.get("owner_unit"))
        if getattr(problem, name) != value:
            setattr(problem, name, value)
            changed.append(name)
    return changed


def edit_problem(problem: Problem, *, actor: User,
                 **edits: Unpack[ProblemEdits]) -> Problem:
    """修改: title, description, category, owner unit, plan or places of a problem not yet
    resolved or rejected. Fields passed as None stay as they are."""
    with transaction.atomic():
        problem = locked(problem)
        PROBLEM.check("edit", actor, problem)
        changed = _apply_edits(problem, edits)
        if changed:
            problem.save()
            labels = "、".join(_verbose_name(n) for n in changed)
            record_problem(problem, ProblemAction.EDIT, actor=actor, note=f"修改了{labels}",
                   data={"changed": changed})
    return problem


def _verbose_name(name: str) -> str:
    field = Problem._meta.get_field(name)
    assert isinstance(field, models.Field), "EDITABLE names the problem's own columns"
    return str(field.verbose_name)


# ---------- linking appeals ----------

def _widen_period(problem: Problem, at: dt.datetime) -> None:
    """The problem's period covers every linked appeal."""
    start = min(filter(None, [problem.period_start, at]))
    end = max(filter(None, [problem.period_end, at]))
    if (start, end) != (problem.period_start, problem.period_end):
        problem.period_start, problem.period_end = start, end
        problem.save(update_fields=["period_start", "period_end"])


def _link(appeal: Appeal, problem: Problem, *, actor: User, note: str = "") -> Appeal:
    """Merge one appeal into `problem` (inside the caller's transaction)."""
    appeal = locked(appeal)
    APPEAL.check("link_problem", actor, appeal)
    before = appeal.state
    appeal.state = State.MERGED
    appeal.problem = problem
    appeal.save()
    # The unit no longer handles it alone: its pending extension request lapses.
    appeal.extension_requests.filter(status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REJECTED, decided_at=clock.now())
    if appeal.region_id:
        problem.regions.add(appeal.region_id)
    _widen_period(problem, appeal.collected_at)
    text = f"并入共性问题{problem.code}" + (f"：{note}" if note else "")
    record(appeal, Action.LINK_PROBLEM, actor=actor, from_state=before, unit=appeal.unit,
           note=text, data={"problem": problem.code})
    return appeal


def link_appeal(appeal: Appeal, problem: Problem, *, actor: User, note: str = "") -> Appeal:
    """并入共性问题: an open appeal follows a problem under rectification (state 已合并)
    and is answered when the problem is resolved."""
    note = optional_text(note, "note", "说明", NOTE_MAX)
    with transaction.atomic():
        problem = locked(problem)
        PROBLEM.check("link", actor, problem)
        appeal = _link(appeal, problem, actor=actor, note=note)
        record_problem(problem, ProblemAction.LINK, actor=actor, note=f"关联诉求{appeal.number}",
               data={"appeals": [appeal.number]})
    return appeal


merge_into_problem = link_appeal


# ---------- deciding on the detector's candidates ----------

def confirm_candidate(problem: Problem, *, actor: User,
                      appeals: Iterable[str] | None = None,
                      **edits: Unpack[ProblemEdits]) -> Problem:
    """确认: a candidate becomes a problem under rectification (with the dispatcher's edits);
    its candidate appeals that are still open are linked to it. `appeals` limits the link
    to those numbers (the dispatcher unticked the others)."""
    with transaction.atomic():
        problem = locked(problem)
        PROBLEM.check("confirm", actor, problem)
        changed = _apply_edits(problem, edits)
        problem.status = ProblemStatus.OPEN
        problem.save()
        members = problem.candidate_appeals.filter(state__in=OPEN_STATES)
        if appeals is not None:
            members = members.filter(number__in=list(appeals))
        linked = [_link(a, problem, actor=actor).number
                  for a in members.order_by("collected_at", "id")]
        record_problem(problem, ProblemAction.CONFIRM, actor=actor,
               note=f"确认为共性问题，并入诉求{len(linked)}件",
               data={"appeals": linked, "changed": changed})
    return problem


def reject_candidate(problem: Problem, *, actor: User, reason: str) -> Problem:
    """驳回: not a shared problem; the detector will not propose the same appeals again."""
    PROBLEM.check_right("reject", actor, problem)
    reason = require_text(reason, "reason", "驳回理由", NOTE_MAX)
    with transaction.atomic():
        problem = locked(problem)
        PROBLEM.check("reject", actor, problem)
        problem.status = ProblemStatus.REJECTED
        problem.save()
        record_problem(problem, ProblemAction.REJECT, actor=actor, note=reason)
    return problem


# ---------- rectification ----------

def _clean_progress(progress: object) -> int:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise InvalidInput("进度须为0到100之间的整数", "progress")
    return progress


def add_milestone(problem: Problem, *, actor: User, title: str,
                  due_date: dt.date | None = None, progress: int = 0,
                  note: str = "") -> Milestone:
    """整改节点: a step of the rectification plan with its progress."""
    title = require_text(title, "title", "节点名称", TITLE_MAX)
    progress = _clean_progress(progress)
    note = optional_text(note, "note", "说明", NOTE_MAX)
    with transaction.atomic():
        problem = locked(problem)
        PROBLEM.check("milestone", actor, problem)
        now = clock.now()
        milestone = Milestone.objects.create(
            problem=problem, title=title, due_date=due_date, progress=progress, note=note,
            done_at=now if progress == 100 else None, updated_at=now)
        record_problem(problem, ProblemAction.MILESTONE, actor=actor,
               note=f"新增整改节点“{title}”，进度{progress}%" + (f"：{note}" if note else ""),
               data={"milestone": milestone.pk, "progress": progress})
    return milestone


def update_milestone(milestone: Milestone, *, actor: User, progress: int,
                     note: str = "") -> Milestone:
    """整改进度: progress 0–100; reaching 100 marks the milestone done."""
    progress = _clean_progress(progress)
    note = optional_text(note, "note", "说明", NOTE_MAX)
    with transaction.atomic():
        problem = locked(milestone.problem)
        PROBLEM.check("progress", actor, problem)
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        before, now = milestone.progress, clock.now()
        milestone.progress = progress
        milestone.note = note or milestone.note
        milestone.updated_at = now
        milestone.done_at = (milestone.done_at or now) if progress == 100 else None
        milestone.save()
        record_problem(problem, ProblemAction.MILESTONE, actor=actor,
               note=f"“{milestone.title}”进度{before}%→{progress}%" + (f"：{note}" if note else ""),
               data={"milestone": milestone.pk, "progress": progress, "before": before})
    return milestone


def resolve_problem(problem: Problem, *, actor: User, reply: str) -> Problem:
    """整改完成: the problem is fixed; its reply answers every linked appeal (and those
    merged into them), each with its own resolve event, so each resident can rate it."""
    reply = require_text(reply, "reply", "统一答复", REPLY_MAX)
    with transaction.atomic():
        problem = locked(problem)
        PROBLEM.check("resolve", actor, problem)
        if problem.owner_unit_id is None:
            raise InvalidInput("请先指定牵头单位", "owner_unit")
        now = clock.now()
        problem.status = ProblemStatus.RESOLVED
        problem.reply, problem.resolved_at = reply, now
        problem.save()
        linked = (Appeal.objects.select_for_update()
                  .filter(problem=problem, state__in=OPEN_STATES | {State.MERGED})
                  .order_by("collected_at", "id"))
        answered: list[str] = []
        for appeal in linked:
            answered += answer(appeal, actor=actor, reply=reply, unit=problem.owner_unit,
                                now=now, note=f"随共性问题{problem.code}统一答复：{reply}",
                                data={"via_problem": problem.code})
        record_problem(problem, ProblemAction.RESOLVE, actor=actor, note=reply,
               data={"appeals": answered})
    return problem


# ---------- 督办 ----------

def supervise_problem(problem: Problem, *, actor: User, instruction: str,
                      due_date: dt.date) -> ProblemSupervision:
    """督办: a leader's instruction on a problem under rectification, with its own due date,
    shown to the owner unit until it answers."""
    PROBLEM.check_right("supervise", actor, problem)
    instruction = clean_order(instruction, due_date)
    with transaction.atomic():
        problem = locked(problem)
        PROBLEM.check("supervise", actor, problem)
        order = ProblemSupervision.objects.create(
            problem=problem, instruction=instruction, due_date=due_date, issued_by=actor)
        record_problem(problem, ProblemAction.SUPERVISE, actor=actor,
                       note=f"{instruction}(期限{due_date:%Y-%m-%d})",
                       data={"supervision": order.pk, "due_date": due_date.isoformat()})
    return order


def answer_problem_supervision(problem: Problem, *, actor: User,
                               answer: str) -> ProblemSupervision:
    """督办反馈: the owner unit answers the problem's oldest open order."""
    answer = require_text(answer, "answer", "督办反馈", ANSWER_MAX)
    with transaction.atomic():
        problem = locked(problem)
        PROBLEM.check("answer_supervision", actor, problem)
        order = problem.open_supervisions().select_for_update().first()
        assert order is not None, "the guard refuses a problem without an open order"
        order.answer, order.answered_by, order.answered_at = answer, actor, clock.now()
        order.save()
        record_problem(problem, ProblemAction.SUPERVISION_ANSWER, actor=actor, note=answer,
                       data={"supervision": order.pk})
    return order
