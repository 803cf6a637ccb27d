"""Appeals raised from a collection record, several at once: one per row, each through
`submit_appeal` (its own transaction and event), so a bad row is named and the good ones
are kept."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from banshi.appeals import actions as appeal_actions
from banshi.appeals.errors import ActionError
from banshi.appeals.models import Appeal


@dataclass
class RowsReport:
    """What became of the rows: the appeals made (row number → appeal) and the refusals
    (row number, field, message); row numbers count from 1 as the page shows them."""

    done: dict[int, Appeal] = field(default_factory=dict)
    errors: list[tuple[int, str | None, str]] = field(default_factory=list)


def raise_appeals(rows: list[tuple[int, dict[str, Any]]], *, source: Model, channel: str,
                  actor, collected_at=None) -> RowsReport:
    """Submit one appeal per (row number, fields) with `source` as its source record."""
    report = RowsReport()
    for number, fields in rows:
        try:
            appeal, _code = appeal_actions.submit_appeal(
                channel=channel, actor=actor, source=source, collected_at=collected_at,
                title=fields.get("title") or "", content=fields.get("content") or "",
                region=fields.get("region"), contact_name=fields.get("contact_name") or "",
                contact_phone=fields.get("contact_phone") or "",
                address=fields.get("address") or "")
        except ActionError as exc:
            report.errors.append((number, exc.field, exc.message))
        else:
            report.done[number] = appeal
    return report
