"""办理进展: the handling unit records how the work is going, with photos, for the case's
file and, when it says so, for the resident's tracking page. No state changes."""

from collections.abc import Sequence

from django.contrib.auth.models import User

from ..choices import Action, PhotoKind
from ..limits import NOTE_MAX
from ..models import Appeal
from ..photos import Photo, check_photos, photo_transaction, save_photos
from ..transitions import APPEAL
from .base import locked, record, require_text


def add_progress(appeal: Appeal, *, actor: User, note: str, public: bool,
                 photos: Sequence[Photo] = ()) -> Appeal:
    """办理进展: a note (and photos) from the unit holding the case while it is in progress
    (after 接单, before 答复). `public`: the resident sees the note and its photos when
    tracking; otherwise only staff who may open the case do."""
    note = require_text(note, "note", "办理进展", NOTE_MAX)
    checked = check_photos(photos)
    with photo_transaction():
        appeal = locked(appeal)
        APPEAL.check("progress", actor, appeal)
        event = record(appeal, Action.PROGRESS, actor=actor, from_state=appeal.state,
                       unit=appeal.unit, note=note,
                       data={"public": bool(public), "photos": len(checked)})
        save_photos(appeal, checked, kind=PhotoKind.PROGRESS, event=event, public=bool(public))
    return appeal
