"""Where an appeal came from: `source_link(appeal)` → (label, url) for the staff case page.

Each kind of collection record has one staff page, named here by model label; the URL
takes the record's pk, except an opinion box's (its code). A message from an online group
links to its group's page. A record kind whose page does not exist yet gets a plain label
(url None).
"""

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

# model label → (URL name, attribute passed to it, the record that owns the page)
PAGES = {
    "collection.symposium": ("web:symposium", "pk", None),
    "collection.questionnaire": ("web:questionnaire", "pk", None),
    "collection.response": ("web:questionnaire", "pk", "questionnaire"),
    "collection.opinionbox": ("web:opinion-box", "code", None),
    "collection.boxopening": ("web:opinion-box", "code", "box"),
    "collection.householdvisit": ("web:household-visit", "pk", None),
    "collection.liaison": ("web:liaison", "pk", None),
    "collection.liaisonpairing": ("web:liaison", "pk", "liaison"),
    "collection.liaisoncontact": ("web:liaison", "pk", "pairing.liaison"),
    "collection.onlinegroup": ("web:online-group", "pk", None),
    "collection.groupmessage": ("web:online-group", "pk", "group"),
}


def _owner(record: Model, path: str | None) -> Model:
    for name in (path or "").split(".") if path else []:
        record = getattr(record, name)
    return record


def record_label(record: Model) -> str:
    """A group message names its group, sender alias and time; other records themselves."""
    group = getattr(record, "group", None)
    if group is not None and hasattr(record, "sender_alias"):
        sent = timezone.localtime(getattr(record, "sent_at"))  # noqa: B009 (any record type)
        return (f"{group.get_kind_display()}“{group.name}” · {record.sender_alias} · "
                f"{sent:%Y-%m-%d %H:%M}")
    return f"{record._meta.verbose_name}：{record}"


def source_link(appeal) -> tuple[str, str | None] | None:
    """(label, url) of the record `appeal` came from; url None when the record's page does
    not exist (yet); None when the appeal has no source."""
    record = appeal.source if appeal.source_type_id else None
    if record is None:
        return None
    page = PAGES.get(record._meta.label_lower)
    if page is None:
        return record_label(record), None
    name, attribute, owner_path = page
    owner = _owner(record, owner_path)
    try:
        url = reverse(name, args=[getattr(owner, attribute)])
    except NoReverseMatch:
        url = None
    return record_label(record), url
