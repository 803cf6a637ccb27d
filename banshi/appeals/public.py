"""What a resident may read about an appeal's progress: no names, no internal notes, only
the photos marked for them (their own, public progress notes', delivered answers')."""

from collections import defaultdict

from .choices import Action, PhotoKind, Rating, Solved, State
from .models import Appeal, AppealEvent, Attachment

_PHRASES: dict[str, str] = {
    Action.SUBMIT: "诉求已受理",
    Action.ACCEPT: "承办单位已接单，正在办理",
    Action.RETURN: "正在重新分派承办单位",
    Action.ESCALATE: "已上报上级单位办理",
    Action.RESOLVE: "承办单位已答复",
    Action.REOPEN: "重新办理",
    Action.SUPERVISE: "已列入领导督办",
    Action.MERGE: "已与同类诉求合并办理",
    Action.LINK_PROBLEM: "已与同类诉求合并办理",
    Action.INVALIDATE: "经核实不予受理",
}


def public_note(event: AppealEvent) -> str | None:
    """The resident-facing line for an event, or None when it is internal only."""
    if event.action == Action.DISPATCH:
        return f"已转交{event.unit.name}办理" if event.unit_id else "已派单"
    if event.action == Action.FEEDBACK:
        rating, solved = event.data.get("rating"), event.data.get("solved")
        if rating not in Rating.values:
            return "已评价"
        answered = f"{Solved(solved).label}，" if solved in Solved.values else ""
        return f"已评价：{answered}{Rating(rating).label}"
    if event.action == Action.DELEGATE:
        return f"已转交{event.unit.name}办理" if event.unit_id else "已转交社区办理"
    if event.action == Action.RESOLVE and event.to_state == State.PENDING_REVIEW:
        return None  # the answer reaches the resident once the delegating unit approves it
    if event.action == Action.REVIEW:
        return "承办单位已答复" if event.data.get("approved") else None
    if event.action == Action.PROGRESS:  # the unit's own words, when it made them public
        return f"办理进展：{event.note}" if event.data.get("public") else None
    if event.action == Action.EXTEND_DECISION:
        return "办理期限已延长" if event.data.get("approved") else None
    return _PHRASES.get(event.action)


# The resolve event of an appeal answered with another's answer (merged into it) lists the
# ids of that answer's resident-visible photos under this key: the follower's resident sees
# them with the reply, stored once with the appeal that was answered.
ANSWER_PHOTOS = "answer_photos"


def answer_photo_ids(appeal: Appeal) -> list[int]:
    """Ids of the resident-visible photos of the appeal's current answer: those of its last
    答复 (once it reached the resident), or those it was answered with as a follower."""
    answer = appeal.events.filter(action=Action.RESOLVE).order_by("-at", "-id").first()
    if answer is None:
        return []
    if ANSWER_PHOTOS in answer.data:
        return [int(pk) for pk in answer.data[ANSWER_PHOTOS]]
    return list(answer.attachments.for_resident().order_by("id").values_list("pk", flat=True))


def _photos_by_event(appeal: Appeal, events: list[AppealEvent]
                     ) -> dict[int | None, list[Attachment]]:
    """The resident-visible photos per event: the appeal's own, and for an answer it got as
    a follower those of the answer it followed."""
    grouped: dict[int | None, list[Attachment]] = defaultdict(list)
    for photo in appeal.attachments.for_resident().order_by("id"):
        grouped[photo.event_id].append(photo)
    linked = {e.pk: e.data[ANSWER_PHOTOS] for e in events if e.data.get(ANSWER_PHOTOS)}
    if linked:
        wanted = {pk for ids in linked.values() for pk in ids}
        found = Attachment.objects.for_resident().in_bulk(wanted)
        for event_id, ids in linked.items():
            grouped[event_id] += [found[pk] for pk in ids if pk in found]
    return grouped


def public_timeline(appeal: Appeal) -> list[dict]:
    """[{at, state, state_label, note, kind, photos}] for the resident's tracking page and
    API, in time order. `kind` is "progress" for a public progress note, "answer" for an
    answer that reached the resident, "" otherwise; `photos` are those that came with it
    (an answer approved by 审核 carries the photos of the answer it approved; the answer of
    an appeal merged into another carries the public photos of the other's answer)."""
    events = list(appeal.events.select_related("unit").order_by("at", "id"))
    photos = _photos_by_event(appeal, events)
    timeline, awaiting_review = [], None
    for event in events:
        if event.action == Action.RESOLVE and event.to_state == State.PENDING_REVIEW:
            awaiting_review = event.pk
        note = public_note(event)
        if note is None:
            continue
        kind, shown = "", photos.get(event.pk, [])
        if event.action == Action.PROGRESS:
            kind = "progress"
        elif event.action == Action.RESOLVE or (event.action == Action.REVIEW
                                                and event.data.get("approved")):
            kind = "answer"
            if event.action == Action.REVIEW:
                shown = photos.get(awaiting_review, [])
        timeline.append({"at": event.at, "state": event.to_state,
                         "state_label": State(event.to_state).label, "note": note,
                         "kind": kind, "photos": shown})
    return timeline


def own_photos(appeal: Appeal) -> list[Attachment]:
    """The photos the resident sent with the appeal."""
    return list(appeal.attachments.for_resident().filter(kind=PhotoKind.RESIDENT))


def reply_photos(timeline: list[dict]) -> list[Attachment]:
    """The photos of the answer the resident has now (the last one that reached them)."""
    answers = [item for item in timeline if item["kind"] == "answer"]
    return answers[-1]["photos"] if answers else []


def public_reply(appeal: Appeal) -> str:
    """The reply, once given; a merged appeal shows the reply of the appeal it follows."""
    if appeal.state == State.MERGED and appeal.merged_into_id:
        return appeal.merged_into.reply
    return appeal.reply if appeal.state in {State.RESOLVED, State.CLOSED} else ""
