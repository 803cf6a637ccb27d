"""共性问题: shared problems, fixed once for all the residents who reported them.

The nightly detector proposes candidates (`record_candidates`); the dispatcher confirms,
edits or rejects them, or creates a problem by hand; appeals are linked to an open problem
(state `merged`); the owner unit reports progress on milestones and resolves the problem,
which answers every linked appeal with its own reply event so each resident can rate it.
Every change writes one append-only ProblemEvent.
"""

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from banshi.org import permissions
from banshi.org.choices import Role

from ..choices import (
    OPEN_STATES,
    Action,
    ExtensionStatus,
    ProblemAction,
    ProblemSource,
    ProblemStatus,
    State,
)
from ..limits import NOTE_MAX, REPLY_MAX, TITLE_MAX
from ..models import Appeal, Milestone, Problem, ProblemEvent
from .base import (
    InvalidInput,
    NotPermitted,
    TransitionNotAllowed,
    actor_label,
    locked,
    record,
    require_dispatcher,
    require_state,
    require_text,
)

# An appeal may be merged into a problem while it is still open.
LINKABLE_STATES = OPEN_STATES
# A detected cluster "is" an earlier problem when this share of its appeals belongs to it.
OVERLAP = 0.5
MIN_CLUSTER = 2
MAX_PLACES, MAX_PLACE_LENGTH = 20, 100
SYSTEM = "系统"


# ---------- shared pieces ----------

def may_manage(user) -> bool:
    """Create, confirm, edit, reject problems and link appeals: the dispatcher and admins."""
    return permissions.is_dispatcher(user)


def may_rectify(user, problem: Problem) -> bool:
    """Report progress and resolve: the owner unit's staff, the dispatcher and admins."""
    if permissions.is_dispatcher(user):
        return True
    unit = permissions.unit_of(user)
    return (permissions.role_of(user) == Role.UNIT and unit is not None
            and problem.owner_unit_id == unit.pk)


def _require_rectifier(actor, problem: Problem) -> None:
    if not may_rectify(actor, problem):
        raise NotPermitted("只有牵头单位和区派单员可以执行该操作")


def _locked(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem.pk)


def _require_status(problem: Problem, allowed, verb: str) -> None:
    if problem.status not in allowed:
        raise TransitionNotAllowed(
            f"共性问题{problem.code}当前状态为“{problem.get_status_display()}”，不能{verb}"
        )


def _event(problem: Problem, action: str, *, actor, note: str = "", data: dict | None = None,
           label: str | None = None, at: dt.datetime | None = None) -> ProblemEvent:
    assert transaction.get_connection().in_atomic_block, "actions run inside a transaction"
    return ProblemEvent.objects.create(
        problem=problem, actor=actor, action=action, note=note, data=data or {},
        actor_label=label if label is not None else actor_label(actor),
        at=at or timezone.now(),
    )


def _optional_text(value: str | None, field_name: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}个字符(现为{len(text)}个)", field_name)
    return text


def clean_places(places) -> list[str]:
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


def _check_unit(unit) -> None:
    if unit is not None and not unit.is_active:
        raise InvalidInput(f"牵头单位“{unit.name}”已停用", "owner_unit")


def _next_code(day: dt.date) -> str:
    prefix = f"WT{day:%Y%m%d}-"
    taken = Problem.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix):]) for code in taken if code[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def _insert(problem: Problem, day: dt.date) -> Problem:
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


# ---------- answering appeals (used by workflow.resolve too) ----------

def _answer(appeal: Appeal, *, actor, reply: str, unit, note: str, now, data: dict) -> list[str]:
    """Move one locked appeal to `resolved` with `reply`; then those merged into it."""
    before = appeal.state
    appeal.state = State.RESOLVED
    appeal.reply = reply
    appeal.resolved_at = now
    appeal.unit = unit or appeal.unit
    appeal.save()
    record(appeal, Action.RESOLVE, actor=actor, from_state=before, unit=appeal.unit,
           note=note, data=data)
    return [appeal.number] + answer_merged(appeal, actor=actor, reply=reply, unit=unit, now=now)


def answer_merged(appeal: Appeal, *, actor, reply: str, unit, now=None) -> list[str]:
    """Answer every appeal merged into `appeal` (and, in turn, those merged into them)
    with the same reply: each gets its own resolve event and can be rated by its resident.
    Call inside the transaction that resolved `appeal`; returns the numbers answered."""
    now = now or timezone.now()
    followers = (Appeal.objects.select_for_update()
                 .filter(merged_into=appeal, state=State.MERGED).order_by("collected_at", "id"))
    answered: list[str] = []
    for follower in followers:
        answered += _answer(follower, actor=actor, reply=reply, unit=unit, now=now,
                            note=f"随诉求{appeal.number}统一答复：{reply}",
                            data={"via_appeal": appeal.number})
    return answered


# ---------- creating and editing ----------

def create_problem(*, actor, title: str, description: str = "", category=None, places=(),
                   regions: Iterable = (), owner_unit=None, plan: str = "") -> Problem:
    """立项: the dispatcher opens a problem by hand (status 整改中)."""
    require_dispatcher(actor)
    title = require_text(title, "title", "问题名称", TITLE_MAX)
    fields = {"title": title,
              "description": _optional_text(description, "description", "问题描述", REPLY_MAX),
              "plan": _optional_text(plan, "plan", "整改方案", REPLY_MAX),
              "places": clean_places(places), "category": category, "owner_unit": owner_unit}
    _check_unit(owner_unit)
    with transaction.atomic():
        problem = _insert(Problem(status=ProblemStatus.OPEN, source=ProblemSource.MANUAL,
                                  created_by=actor, **fields), timezone.localdate())
        problem.regions.set(list(regions))
        _event(problem, ProblemAction.CREATE, actor=actor, note=title)
    return problem


EDITABLE = ("title", "description", "category", "owner_unit", "plan", "places")


def _apply_edits(problem: Problem, edits: dict) -> list[str]:
    """Set the given fields (None keeps a field); returns the names that changed."""
    cleaners = {
        "title": lambda v: require_text(v, "title", "问题名称", TITLE_MAX),
        "description": lambda v: _optional_text(v, "description", "问题描述", REPLY_MAX),
        "plan": lambda v: _optional_text(v, "plan", "整改方案", REPLY_MAX),
        "places": clean_places,
    }
    unknown = set(edits) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changed = []
    for name in EDITABLE:
        value = edits.get(name)
        if value is None:
            continue
        value = cleaners.get(name, lambda v: v)(value)
        if name == "owner_unit":
            _check_unit(value)
        if getattr(problem, name) != value:
            setattr(problem, name, value)
            changed.append(name)
    return changed


def edit_problem(problem: Problem, *, actor, **edits) -> Problem:
    """修改: title, description, category, owner unit, plan or places of a problem not yet
    resolved or rejected. Fields passed as None stay as they are."""
    require_dispatcher(actor)
    with transaction.atomic():
        problem = _locked(problem)
        _require_status(problem, {ProblemStatus.CANDIDATE, ProblemStatus.OPEN}, "修改")
        changed = _apply_edits(problem, edits)
        if changed:
            problem.save()
            labels = "、".join(str(Problem._meta.get_field(n).verbose_name) for n in changed)
            _event(problem, ProblemAction.EDIT, actor=actor, note=f"修改了{labels}",
                   data={"changed": changed})
    return problem


# ---------- linking appeals ----------

def _widen_period(problem: Problem, at: dt.datetime) -> None:
    """The problem's period covers every linked appeal."""
    start = min(filter(None, [problem.period_start, at]))
    end = max(filter(None, [problem.period_end, at]))
    if (start, end) != (problem.period_start, problem.period_end):
        problem.period_start, problem.period_end = start, end
        problem.save(update_fields=["period_start", "period_end"])


def _link(appeal: Appeal, problem: Problem, *, actor, note: str = "") -> Appeal:
    """Merge one appeal into `problem` (inside the caller's transaction)."""
    appeal = locked(appeal)
    require_state(appeal, LINKABLE_STATES, "并入共性问题")
    before = appeal.state
    appeal.state = State.MERGED
    appeal.problem = problem
    appeal.save()
    # The unit no longer handles it alone: its pending extension request lapses.
    appeal.extension_requests.filter(status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REJECTED, decided_at=timezone.now())
    if appeal.region_id:
        problem.regions.add(appeal.region_id)
    _widen_period(problem, appeal.collected_at)
    text = f"并入共性问题{problem.code}" + (f"：{note}" if note else "")
    record(appeal, Action.LINK_PROBLEM, actor=actor, from_state=before, unit=appeal.unit,
           note=text, data={"problem": problem.code})
    return appeal


def link_appeal(appeal: Appeal, problem: Problem, *, actor, note: str = "") -> Appeal:
    """并入共性问题: an open appeal follows a problem under rectification (state 已合并)
    and is answered when the problem is resolved."""
    require_dispatcher(actor)
    note = _optional_text(note, "note", "说明", NOTE_MAX)
    with transaction.atomic():
        problem = _locked(problem)
        _require_status(problem, {ProblemStatus.OPEN}, "关联诉求")
        appeal = _link(appeal, problem, actor=actor, note=note)
        _event(problem, ProblemAction.LINK, actor=actor, note=f"关联诉求{appeal.number}",
               data={"appeals": [appeal.number]})
    return appeal


merge_into_problem = link_appeal


# ---------- candidates from the detector ----------

def confirm_candidate(problem: Problem, *, actor, appeals: Iterable[str] | None = None,
                      **edits) -> Problem:
    """确认: a candidate becomes a problem under rectification (with the dispatcher's edits);
    its candidate appeals that are still open are linked to it. `appeals` limits the link
    to those numbers (the dispatcher unticked the others)."""
    require_dispatcher(actor)
    with transaction.atomic():
        problem = _locked(problem)
        _require_status(problem, {ProblemStatus.CANDIDATE}, "确认")
        changed = _apply_edits(problem, edits)
        problem.status = ProblemStatus.OPEN
        problem.save()
        members = problem.candidate_appeals.filter(state__in=LINKABLE_STATES)
        if appeals is not None:
            members = members.filter(number__in=list(appeals))
        linked = [_link(a, problem, actor=actor).number
                  for a in members.order_by("collected_at", "id")]
        _event(problem, ProblemAction.CONFIRM, actor=actor,
               note=f"确认为共性问题，并入诉求{len(linked)}件",
               data={"appeals": linked, "changed": changed})
    return problem


def reject_candidate(problem: Problem, *, actor, reason: str) -> Problem:
    """驳回: not a shared problem; the detector will not propose the same appeals again."""
    require_dispatcher(actor)
    reason = require_text(reason, "reason", "驳回理由", NOTE_MAX)
    with transaction.atomic():
        problem = _locked(problem)
        _require_status(problem, {ProblemStatus.CANDIDATE}, "驳回")
        problem.status = ProblemStatus.REJECTED
        problem.save()
        _event(problem, ProblemAction.REJECT, actor=actor, note=reason)
    return problem


@dataclass
class Recorded:
    """What one detection run did to the candidate list."""

    created: list[Problem] = field(default_factory=list)
    updated: list[Problem] = field(default_factory=list)
    skipped: int = 0


def _part(cluster, name: str):
    return cluster[name] if isinstance(cluster, dict) else getattr(cluster, name)


def signature_of(numbers: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(numbers)).encode()).hexdigest()


def _members_of(problem_ids: set[int]) -> dict[int, set[int]]:
    """{problem id: its candidate and linked appeal ids}."""
    members: dict[int, set[int]] = {pk: set() for pk in problem_ids}
    through = Problem.candidate_appeals.through.objects.filter(problem_id__in=problem_ids)
    for problem_id, appeal_id in through.values_list("problem_id", "appeal_id"):
        members[problem_id].add(appeal_id)
    linked = Appeal.objects.filter(problem_id__in=problem_ids)
    for problem_id, appeal_id in linked.values_list("problem_id", "pk"):
        members[problem_id].add(appeal_id)
    return members


def _match(ids: set[int], claimed: set[int]) -> tuple[Problem | None, bool]:
    """(the open candidate these appeals update, whether an earlier decision blocks them).

    A cluster sharing ≥ OVERLAP of its appeals with a rejected problem is never proposed
    again; nor is one that is already an open or resolved problem."""
    through = Problem.candidate_appeals.through.objects.filter(appeal_id__in=ids)
    problem_ids = set(through.values_list("problem_id", flat=True)) | set(
        Appeal.objects.filter(pk__in=ids, problem__isnull=False)
        .values_list("problem_id", flat=True))
    best, best_share = None, 0.0
    problems = Problem.objects.select_for_update().filter(pk__in=problem_ids).order_by("pk")
    members = _members_of(problem_ids)
    for problem in problems:
        share = len(ids & members[problem.pk]) / len(ids)
        if share < OVERLAP:
            continue
        if problem.status != ProblemStatus.CANDIDATE:
            return None, True
        if problem.pk not in claimed and share > best_share:
            best, best_share = problem, share
    return best, False


def _most_common(values) -> object | None:
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else None


def _json_safe(components) -> dict:
    result = {}
    for key, value in dict(components or {}).items():
        result[str(key)] = float(value) if isinstance(value, int | float) else str(value)
    return result


def _new_candidate(cluster, appeals: list[Appeal], now) -> Problem:
    title = (str(_part(cluster, "title") or "").strip() or appeals[0].title)[:TITLE_MAX]
    place = _part(cluster, "place")
    names = place if isinstance(place, list | tuple) else [place]
    places = list(dict.fromkeys(str(p).strip()[:MAX_PLACE_LENGTH] for p in names if p))
    problem = _insert(Problem(
        title=title, places=places[:MAX_PLACES], status=ProblemStatus.CANDIDATE,
        source=ProblemSource.DETECTED, created_at=now,
        category=_most_common(a.category for a in appeals),
        owner_unit=_most_common(a.unit for a in appeals),
    ), timezone.localdate(now))
    return problem


def _record_one(cluster, now, claimed: set[int], result: Recorded) -> None:
    numbers = [str(n) for n in _part(cluster, "message_ids")]
    appeals = list(Appeal.objects.filter(number__in=numbers).exclude(state=State.INVALID)
                   .select_related("category", "unit").order_by("collected_at", "id"))
    if len(appeals) < MIN_CLUSTER:
        result.skipped += 1
        return
    ids = {a.pk for a in appeals}
    problem, blocked = _match(ids, claimed)
    if blocked:
        result.skipped += 1
        return
    created = problem is None
    if created:
        problem = _new_candidate(cluster, appeals, now)
        before: set[int] = set()
    else:
        before = set(problem.candidate_appeals.values_list("pk", flat=True))
    claimed.add(problem.pk)
    problem.candidate_appeals.add(*ids)
    problem.regions.add(*{a.region_id for a in appeals if a.region_id})
    everyone = list(problem.candidate_appeals.order_by("collected_at", "id"))
    problem.heat = float(_part(cluster, "heat"))
    problem.heat_components = _json_safe(_part(cluster, "components"))
    problem.period_start, problem.period_end = everyone[0].collected_at, everyone[-1].collected_at
    problem.signature = signature_of(a.number for a in everyone)
    problem.save()
    added = [a.number for a in appeals if a.pk not in before]
    if created:
        _event(problem, ProblemAction.DETECT, actor=None, label=SYSTEM, at=now,
               note=f"自动发现：诉求{len(appeals)}件，热度{problem.heat:.1f}",
               data={"appeals": added, "rank": _part(cluster, "rank")})
        result.created.append(problem)
    else:
        if added:
            _event(problem, ProblemAction.DETECT, actor=None, label=SYSTEM, at=now,
                   note=f"再次发现，新增诉求{len(added)}件", data={"appeals": added})
        result.updated.append(problem)


def record_candidates(clusters: Iterable, *, now: dt.datetime | None = None) -> Recorded:
    """Store the detector's clusters (message ids = appeal numbers) as candidate problems.

    Idempotent: a cluster that shares ≥ 50% of its appeals with an open candidate updates
    it (heat, period, members added) instead of proposing it twice; one that overlaps a
    rejected problem (or one already confirmed) that much is not proposed again."""
    now = now or timezone.now()
    result = Recorded()
    with transaction.atomic():
        claimed: set[int] = set()
        for cluster in clusters:
            _record_one(cluster, now, claimed, result)
    return result


# ---------- rectification ----------

def _clean_progress(progress) -> int:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise InvalidInput("进度须为0到100之间的整数", "progress")
    return progress


def add_milestone(problem: Problem, *, actor, title: str, due_date: dt.date | None = None,
                  progress: int = 0, note: str = "") -> Milestone:
    """整改节点: a step of the rectification plan with its progress."""
    title = require_text(title, "title", "节点名称", TITLE_MAX)
    progress = _clean_progress(progress)
    note = _optional_text(note, "note", "说明", NOTE_MAX)
    with transaction.atomic():
        problem = _locked(problem)
        _require_rectifier(actor, problem)
        _require_status(problem, {ProblemStatus.OPEN}, "添加整改节点")
        now = timezone.now()
        milestone = Milestone.objects.create(
            problem=problem, title=title, due_date=due_date, progress=progress, note=note,
            done_at=now if progress == 100 else None, updated_at=now)
        _event(problem, ProblemAction.MILESTONE, actor=actor,
               note=f"新增整改节点“{title}”，进度{progress}%" + (f"：{note}" if note else ""),
               data={"milestone": milestone.pk, "progress": progress})
    return milestone


def update_milestone(milestone: Milestone, *, actor, progress: int,
                     note: str = "") -> Milestone:
    """整改进度: progress 0–100; reaching 100 marks the milestone done."""
    progress = _clean_progress(progress)
    note = _optional_text(note, "note", "说明", NOTE_MAX)
    with transaction.atomic():
        problem = _locked(milestone.problem)
        _require_rectifier(actor, problem)
        _require_status(problem, {ProblemStatus.OPEN}, "更新整改进度")
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        before, now = milestone.progress, timezone.now()
        milestone.progress = progress
        milestone.note = note or milestone.note
        milestone.updated_at = now
        milestone.done_at = (milestone.done_at or now) if progress == 100 else None
        milestone.save()
        _event(problem, ProblemAction.MILESTONE, actor=actor,
               note=f"“{milestone.title}”进度{before}%→{progress}%" + (f"：{note}" if note else ""),
               data={"milestone": milestone.pk, "progress": progress, "before": before})
    return milestone


def resolve_problem(problem: Problem, *, actor, reply: str) -> Problem:
    """整改完成: the problem is fixed; its reply answers every linked appeal (and those
    merged into them), each with its own resolve event, so each resident can rate it."""
    reply = require_text(reply, "reply", "统一答复", REPLY_MAX)
    with transaction.atomic():
        problem = _locked(problem)
        _require_rectifier(actor, problem)
        _require_status(problem, {ProblemStatus.OPEN}, "答复")
        if problem.owner_unit_id is None:
            raise InvalidInput("请先指定牵头单位", "owner_unit")
        now = timezone.now()
        problem.status = ProblemStatus.RESOLVED
        problem.reply, problem.resolved_at = reply, now
        problem.save()
        linked = (Appeal.objects.select_for_update()
                  .filter(problem=problem, state__in=LINKABLE_STATES | {State.MERGED})
                  .order_by("collected_at", "id"))
        answered: list[str] = []
        for appeal in linked:
            answered += _answer(appeal, actor=actor, reply=reply, unit=problem.owner_unit,
                                now=now, note=f"随共性问题{problem.code}统一答复：{reply}",
                                data={"via_problem": problem.code})
        _event(problem, ProblemAction.RESOLVE, actor=actor, note=reply,
               data={"appeals": answered})
    return problem
