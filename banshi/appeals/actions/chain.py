"""The chain below the district: a street (or a department with sub-units) 转派s a case to
one of its communities and 审核s the community's answer before it reaches the resident;
in `street_first` routing a new appeal goes straight into its community's street's queue."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from banshi.org.choices import RegionLevel, UnitKind
from banshi.org.models import Unit

from .. import clock, deadlines
from ..choices import Action, State
from ..limits import NOTE_MAX
from ..models import Appeal
from ..transitions import APPEAL
from .base import InvalidInput, locked, optional_text, record, require_text
from .workflow import _dispatch, answer_merged, policy_for

CENTRAL, STREET_FIRST = "central", "street_first"
STREET_FIRST_LABEL = "系统(街道先行)"


def street_unit_for(appeal: Appeal) -> Unit | None:
    """The active street office of the appeal's community, if it has one."""
    region = appeal.region
    if region is None or region.level != RegionLevel.COMMUNITY or region.parent_id is None:
        return None
    return (Unit.objects.filter(kind=UnitKind.STREET, region_id=region.parent_id,
                                is_active=True).order_by("path").first())


def route_new_appeal(appeal: Appeal) -> Appeal:
    """街道先行: in `street_first` routing a new appeal whose community is known is
    dispatched by the platform to that community's street, which 接单s it, handles it,
    转派s it down or 退单s it to the district dispatcher. In `central` routing (or with no
    community or street office) it waits for the dispatcher."""
    if settings.BANSHI_ROUTING != STREET_FIRST:
        return appeal
    street = street_unit_for(appeal)
    if street is None:
        return appeal
    return _dispatch(appeal, unit=street, actor=None, label=STREET_FIRST_LABEL, source="",
                     transition="route_to_street", note="街道先行：按诉求所在社区派至街道",
                     data={"routing": STREET_FIRST})


def _delegation_due(appeal: Appeal, due: dt.date | None) -> dt.date:
    """The community's due date: today at the earliest, the case's own handling deadline at
    the latest (that deadline when none is given)."""
    limit = timezone.localdate(appeal.handling_due_at) if appeal.handling_due_at else None
    if due is None:
        if limit is None:
            raise InvalidInput("请填写转派办理期限", "due")
        return limit
    if due < clock.localdate():
        raise InvalidInput("转派办理期限不能早于今天", "due")
    if limit is not None and due > limit:
        raise InvalidInput(f"转派办理期限不能晚于本单位的办理期限({limit:%Y-%m-%d})", "due")
    return due


def delegate(appeal: Appeal, *, actor: User, unit: Unit | None, note: str,
             due: dt.date | None = None) -> Appeal:
    """转派: the unit holding the case passes it to one of its sub-units, which must accept
    it; the case's handling deadline stays, the sub-unit gets its own due date inside it."""
    note = require_text(note, "note", "转派说明", NOTE_MAX)
    if unit is None:
        raise InvalidInput("请选择转派单位", "unit_code")
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("delegate", actor, appeal)
        holder = appeal.unit
        assert holder is not None, "an appeal in progress has a unit"
        if not unit.is_active or not holder.is_above(unit):
            raise InvalidInput(f"“{unit.name}”不是{holder.name}的下级单位，不能转派", "unit_code")
        due = _delegation_due(appeal, due)
        appeal.delegated_by, appeal.unit, appeal.delegation_due = holder, unit, due
        appeal.state = State.DISPATCHED
        appeal.response_due_at = deadlines.response_due(clock.now(), policy_for(appeal)[0])
        appeal.save()
        record(appeal, Action.DELEGATE, actor=actor, from_state=State.IN_PROGRESS, unit=unit,
               note=f"转派至{unit.name}，期限{due:%Y-%m-%d}：{note}",
               data={"from": holder.code, "to": unit.code, "due": due.isoformat()})
    return appeal


def review(appeal: Appeal, *, actor: User, approve: bool, note: str = "") -> Appeal:
    """审核: the delegating unit approves its sub-unit's answer (it reaches the resident) or
    sends it back to the sub-unit with a note."""
    if approve:
        note = optional_text(note, "note", "审核意见", NOTE_MAX)
    else:
        note = require_text(note, "note", "退回意见", NOTE_MAX)
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("review", actor, appeal)
        reviewer = appeal.delegated_by
        if approve:
            appeal.state = State.RESOLVED
            appeal.resolved_at = clock.now()
            text = "审核通过，答复送达群众" + (f"：{note}" if note else "")
        else:
            appeal.state = State.IN_PROGRESS
            appeal.reply = ""
            text = f"审核退回{appeal.unit.name if appeal.unit else ''}重新办理：{note}"
        appeal.save()
        answer = (appeal.events.filter(action=Action.RESOLVE, to_state=State.PENDING_REVIEW)
                  .order_by("-at", "-id").first())
        record(appeal, Action.REVIEW, actor=actor, from_state=State.PENDING_REVIEW,
               unit=reviewer, note=text, data={"approved": approve})
        if approve and answer is not None:
            # the answer's photos reach the resident with it; a refused answer's never do
            appeal.attachments.filter(event=answer).update(public=True)
            answer_merged(appeal, actor=actor, reply=appeal.reply, unit=appeal.unit,
                          now=appeal.resolved_at)
    return appeal

