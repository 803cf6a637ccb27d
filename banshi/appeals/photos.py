"""Photos: judged by their bytes, stored under the data directory, and shown to residents
only through short-lived signed links.

Staff open a photo at its staff URL, behind the appeal's access check. A resident has no
account: after proving the number and query code, the tracking page (and the tracking API)
hands out one link per photo they may see, `/h5/photos/<token>/`, whose token is signed with
the secret key, bound to that photo and valid for `limits.PHOTO_LINK_SECONDS`. Nothing in it
can be altered or guessed, and a photo residents may not see has no link that works.
"""

import hashlib
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.urls import reverse
from PIL import Image, UnidentifiedImageError

from . import limits
from .errors import InvalidInput
from .models import Appeal, AppealEvent, Attachment

PHOTO_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
               "WEBP": ("image/webp", "webp")}
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
SUPPORTED = "支持jpg/png/heic/webp"
# One photo as sent: (file name, bytes); once checked: (bytes, content type, extension).
Photo = tuple[str, bytes]
CheckedPhoto = tuple[bytes, str, str]


def sniff_photo(data: bytes, name: str = "", field: str = "photos") -> tuple[str, str]:
    """(content type, extension) of an image judged by its bytes; InvalidInput otherwise."""
    label = f"照片“{name}”" if name else "照片"
    if len(data) > limits.PHOTO_BYTES_MAX:
        raise InvalidInput(f"{label}超过{limits.PHOTO_BYTES_MAX // (1024 * 1024)}MB", field)
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "image/heic", "heic"
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"{label}不是有效的图片({SUPPORTED})", field) from exc
    if kind not in PHOTO_TYPES:
        raise InvalidInput(f"{label}格式不支持({SUPPORTED})", field)
    return PHOTO_TYPES[kind]


def check_photos(photos: Sequence[Photo], field: str = "photos") -> list[CheckedPhoto]:
    """Every photo checked (count, size, kind) before anything is written."""
    if len(photos) > limits.PHOTOS_MAX:
        raise InvalidInput(f"最多上传{limits.PHOTOS_MAX}张照片", field)
    return [(data, *sniff_photo(data, name, field)) for name, data in photos]


# The files written inside the innermost photo_transaction() block, to delete on failure.
_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("photo_files", default=None)


@contextmanager
def photo_transaction() -> Iterator[None]:
    """The transaction of an action that stores photos: if the block raises (the action is
    refused, or fails after the photos were written), the rows roll back and the files
    save_photos wrote are deleted, so no stray file stays under the data directory. Files
    of a block that succeeds inside an outer photo_transaction() go with the outer one."""
    written: list[tuple[Storage, str]] = []
    outer = _written.get()
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)


def save_photos(appeal: Appeal, photos: Iterable[CheckedPhoto], *, kind: str,
                event: AppealEvent | None, public: bool) -> list[Attachment]:
    """Store checked photos with the event they came with; call inside the action's
    photo_transaction() (a failed action leaves neither row nor file)."""
    written = _written.get()
    if written is None:
        raise RuntimeError("save_photos() runs inside an action's photo_transaction()")
    saved = []
    for data, content_type, extension in photos:
        attachment = Attachment(appeal=appeal, kind=kind, event=event, public=public,
                                content_type=content_type, extension=extension,
                                size=len(data), sha256=hashlib.sha256(data).hexdigest())
        attachment.file.save(f"photo.{extension}", ContentFile(data), save=False)
        written.append((attachment.file.storage, attachment.file.name))
        attachment.save()
        saved.append(attachment)
    return saved


# ---------- the resident's links ----------

_SALT = "banshi.resident-photo"


def resident_token(attachment: Attachment) -> str:
    """A signed, time-stamped token naming this photo (and its content, so a token stays
    bound to the bytes it was made for)."""
    payload = {"a": attachment.pk, "h": attachment.sha256[:16]}
    return signing.dumps(payload, salt=_SALT, compress=True)


def resident_url(attachment: Attachment) -> str:
    return reverse("web:resident-photo", args=[resident_token(attachment)])


def resident_photo(token: str) -> Attachment | None:
    """The photo a valid, unexpired token names, if residents may see it; None otherwise."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=limits.PHOTO_LINK_SECONDS)
    except signing.BadSignature:  # tampered, made with another key, or expired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int):
        return None
    attachment = Attachment.objects.for_resident().filter(pk=payload["a"]).first()
    if attachment is None or attachment.sha256[:16] != payload.get("h"):
        return None
    return attachment
