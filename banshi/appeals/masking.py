"""Residents' personal data: shown in full only to the handling unit and the dispatcher."""

import re

from .models import Appeal
from .permissions import may_see_personal


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, min(len(name) - 1, 3))


def mask_phone(phone: str) -> str:
    """138****1234 for a full number; a shorter one keeps at most its last 4 digits, so that
    at least 4 digits are always hidden (67181234 -> ****1234)."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) >= 8:
        return "****" + digits[-4:]
    return "*" * len(digits)


def mask_address(address: str) -> str:
    address = (address or "").strip()
    if not address:
        return ""
    keep = min(6, max(1, len(address) // 3))
    return address[:keep] + "****"


def contact(user, appeal: Appeal) -> dict[str, str]:
    """The appeal's contact fields as `user` may see them."""
    if may_see_personal(user, appeal):
        return {"name": appeal.contact_name, "phone": appeal.contact_phone,
                "address": appeal.address}
    return {"name": mask_name(appeal.contact_name), "phone": mask_phone(appeal.contact_phone),
            "address": mask_address(appeal.address)}
