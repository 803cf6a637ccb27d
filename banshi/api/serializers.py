"""Appeals as the API shows them, with personal data masked per caller."""

from django.urls import reverse

from banshi.appeals import masking
from banshi.appeals.access import hide_foreign_numbers
from banshi.appeals.choices import Action, State
from banshi.appeals.models import Appeal, Attachment


def appeal_out(user, appeal: Appeal) -> dict:
    region, street, unit = appeal.region, appeal.street, appeal.unit
    return {
        "number": appeal.number,
        "channel": appeal.channel,
        "collected_at": appeal.collected_at,
        "title": appeal.title,
        "content": appeal.content,
        "contact": masking.contact(user, appeal),
        "region_code": region.code if region else None,
        "region": region.name if region else None,
        "street": street.name if street else None,
        "category_code": appeal.category.code if appeal.category_id else None,
        "category": appeal.category.path_name if appeal.category_id else None,
        "aspect_code": appeal.aspect.code if appeal.aspect_id else None,
        "unit_code": unit.code if unit else None,
        "unit": unit.name if unit else None,
        "delegated_by_code": appeal.delegated_by.code if appeal.delegated_by_id else None,
        "delegation_due": appeal.delegation_due,
        "urgency": appeal.urgency,
        "level": appeal.level,
        "state": appeal.state,
        "state_label": State(appeal.state).label,
        "response_due_at": appeal.response_due_at,
        "handling_due_at": appeal.handling_due_at,
        "is_overdue": appeal.is_overdue,
        "reply": appeal.reply,
        "resolved_at": appeal.resolved_at,
        "rating": appeal.rating,
    }


def photo_out(appeal: Appeal, photo: Attachment) -> dict:
    return {"id": photo.pk, "kind": photo.kind, "public": photo.public,
            "content_type": photo.content_type, "size": photo.size,
            "url": reverse("api:get_photo", args=[appeal.number, photo.pk]),
            "web_url": reverse("web:photo", args=[appeal.number, photo.pk])}


def appeal_detail(user, appeal: Appeal) -> dict:
    pending = appeal.pending_extension()
    events = list(appeal.events.select_related("unit").order_by("at", "id"))
    attachments = list(appeal.attachments.order_by("id"))
    photos = [photo_out(appeal, p) for p in attachments]
    by_event: dict[int | None, list[dict]] = {}
    for photo, row in zip(attachments, photos, strict=True):
        by_event.setdefault(photo.event_id, []).append(row)
    # notes name no appeal the caller may not open ("合并至ZY…")
    notes = hide_foreign_numbers(user, [e.note for e in events])
    return appeal_out(user, appeal) | {
        "events": [
            {
                "at": e.at,
                "actor": e.actor_label,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "unit_code": e.unit.code if e.unit_id else None,
                "note": note,
            }
            for e, note in zip(events, notes, strict=True)
        ],
        "supervisions": [
            {
                "instruction": s.instruction,
                "due_date": s.due_date,
                "issued_at": s.issued_at,
                "answer": s.answer,
                "answered_at": s.answered_at,
            }
            for s in appeal.supervisions.order_by("issued_at")
        ],
        "pending_extension_days": pending.days if pending else None,
        "photos": photos,
        "progress": [
            {"at": e.at, "actor": e.actor_label, "note": note,
             "public": bool(e.data.get("public")), "photos": by_event.get(e.pk, [])}
            for e, note in zip(events, notes, strict=True) if e.action == Action.PROGRESS
        ],
    }
