"""Liaisons (联络员结对): pairings imported from Excel, contacts logged against a pairing,
and the appeal a contact may raise. Households' names and addresses are personal data:
never logged, never in an error message (errors name the row and column only)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone

from banshi.appeals import actions as appeal_actions
from banshi.appeals.choices import Channel
from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.appeals.models import Appeal
from banshi.appeals.validators import normalise_phone
from banshi.lib.spreadsheet import (
    CellError,
    UnreadableFile,
    clean_line,
    header_names,
    parse_datetime,
    read_rows,
)
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit

from ..choices import RecordAction
from ..models import Liaison, LiaisonContact, LiaisonPairing, RecordEvent
from ..permissions import may_record_for
from .common import record_event

# The import's columns: header → key (the header row may hold them in any order).
COLUMNS = {"联络员姓名": "name", "联系电话": "phone", "所在党支部": "branch",
           "所在社区": "community", "户主": "household_name", "住址": "address",
           "结对日期": "paired_on"}
REQUIRED = ("联络员姓名", "所在社区", "住址", "结对日期")
IMPORT_ROWS_MAX = 50_000


@dataclass
class PairingImport:
    """What an import did: rows read, pairings and liaisons created, errors
    (row, column, message) — and whether the whole file was refused (all or nothing)."""

    total: int = 0
    paired: int = 0
    liaisons: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    rolled_back: bool = False


def _communities(unit: Unit) -> dict[str, Region]:
    """The communities a unit's liaisons may be in, by name and by code."""
    regions = Region.objects.filter(level=RegionLevel.COMMUNITY)
    if unit.region_id and unit.region.level != RegionLevel.DISTRICT:
        regions = regions.filter(code__startswith=unit.region.code)
    found: dict[str, Region] = {}
    for region in regions:
        found.setdefault(region.name, region)
        found[region.code] = region
    return found


def _read_row(number: int, cells: dict[str, Any], communities: dict[str, Region],
              report: PairingImport) -> dict[str, Any] | None:
    row: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for header in REQUIRED:
        if not cells.get(header):
            problems.append((header, "不能为空"))
    try:
        row["phone"] = normalise_phone(cells.get("联系电话", ""))
    except ValueError as exc:
        problems.append(("联系电话", str(exc)))
    region = communities.get(cells.get("所在社区", ""))
    if cells.get("所在社区") and region is None:
        problems.append(("所在社区", "不是本单位辖区内的社区"))
    try:
        paired = parse_datetime(cells.get("结对日期", "")).date() if cells.get("结对日期") \
            else None
    except CellError as exc:
        problems.append(("结对日期", exc.message))
        paired = None
    if paired is not None and paired > timezone.localdate():
        problems.append(("结对日期", "不能晚于今天"))
    for header, limit in (("联络员姓名", 100), ("户主", 100), ("住址", 255), ("所在党支部", 200)):
        if len(cells.get(header, "")) > limit:
            problems.append((header, f"不能超过{limit}字"))
    for header, message in problems:
        report.errors.append({"row": number, "column": header, "message": message})
    if problems:
        return None
    return row | {"name": cells["联络员姓名"], "branch": cells.get("所在党支部", ""),
                  "region": region, "household_name": cells.get("户主", ""),
                  "address": cells["住址"], "paired_on": paired}


def _rows(upload: BinaryIO, filename: str, report: PairingImport
          ) -> Iterable[tuple[int, dict[str, Any]]]:
    rows = read_rows(upload, filename)
    _, header = next(rows, (0, None))
    if header is None:
        raise UnreadableFile("文件为空")
    names = header_names(header)
    missing = [h for h in REQUIRED if h not in names]
    if missing:
        raise UnreadableFile("缺少列：" + "、".join(missing))
    for number, cells in rows:
        report.total += 1
        if report.total > IMPORT_ROWS_MAX:
            raise UnreadableFile(f"一次最多导入{IMPORT_ROWS_MAX}行")
        yield number, {name: value if name == "结对日期" and not isinstance(value, str)
                       else clean_line(value)
                       for name, value in zip(names, cells, strict=False) if name in COLUMNS}


def import_pairings(upload: BinaryIO, *, filename: str, unit: Unit, actor,
                    all_or_nothing: bool = False) -> PairingImport:
    """Liaisons and their paired households from a table (COLUMNS). A liaison is matched by
    name and phone within `unit`; bad rows are reported by row and column; good rows are
    kept unless `all_or_nothing`. UnreadableFile when the file cannot be read."""
    if not may_record_for(actor, unit):
        raise NotPermitted("不能为该单位导入结对")
    report = PairingImport()
    communities = _communities(unit)
    good = [(n, row) for n, cells in _rows(upload, filename, report)
            if (row := _read_row(n, cells, communities, report)) is not None]
    if report.errors and all_or_nothing:
        report.rolled_back = True
        return report
    with transaction.atomic():
        _save(good, unit=unit, actor=actor, report=report)
    return report


def _save(good, *, unit: Unit, actor, report: PairingImport) -> None:
    known = {(one.name, one.phone): one for one in Liaison.objects.filter(unit=unit)}
    created: set[int] = set()
    pairings = []
    for _number, row in good:
        key = (row["name"], row["phone"])
        liaison = known.get(key)
        if liaison is None:
            liaison = known[key] = Liaison.objects.create(
                unit=unit, created_by=actor, name=row["name"], phone=row["phone"],
                branch=row["branch"], region=row["region"], appointed_on=row["paired_on"])
            created.add(liaison.pk)
            report.liaisons += 1
        pairings.append(LiaisonPairing(liaison=liaison, region=row["region"],
                                       household_name=row["household_name"],
                                       address=row["address"], paired_on=row["paired_on"]))
    LiaisonPairing.objects.bulk_create(pairings, batch_size=2000)
    report.paired = len(pairings)
    _log_import(pairings, actor=actor, report=report, created=created)


def _log_import(pairings: list[LiaisonPairing], *, actor, report: PairingImport,
                created: set[int]) -> None:
    """One event per import for each liaison it touched (the log is the liaison's): how
    many households were paired with them, and the import's totals. No names, no addresses."""
    counts: dict[int, int] = {}
    liaisons: dict[int, Liaison] = {}
    for pairing in pairings:
        counts[pairing.liaison.pk] = counts.get(pairing.liaison.pk, 0) + 1
        liaisons[pairing.liaison.pk] = pairing.liaison
    totals = {"rows": report.total, "paired": report.paired, "liaisons": report.liaisons,
              "refused_rows": len({error["row"] for error in report.errors})}
    events = [record_event(liaison, RecordAction.IMPORT_PAIRINGS, actor=actor, defer=True,
                           data={"households": counts[pk], "new_liaison": pk in created,
                                 "import": totals})
              for pk, liaison in liaisons.items()]
    RecordEvent.objects.bulk_create(events, batch_size=2000)


@transaction.atomic
def log_contact(pairing: LiaisonPairing, *, actor, contacted_on: dt.date, note: str,
                solved: bool = False, appeal: dict[str, Any] | None = None
                ) -> tuple[LiaisonContact, Appeal | None]:
    """A contact with a paired household; with `appeal` (title, content, …) an appeal is
    raised from it (channel liaison, source the contact) in the same transaction."""
    if not may_record_for(actor, pairing.liaison.unit):
        raise NotPermitted("不能为该联络员登记联系")
    if contacted_on > timezone.localdate():
        raise InvalidInput("联系日期不能晚于今天", "contacted_on")
    if contacted_on < pairing.paired_on:
        raise InvalidInput("联系日期不能早于结对日期", "contacted_on")
    if not note.strip():
        raise InvalidInput("请填写联系内容", "note")
    contact = LiaisonContact.objects.create(pairing=pairing, contacted_on=contacted_on,
                                            note=note.strip(), solved=solved)
    event = {"pairing": pairing.pk, "contact": contact.pk, "solved": solved,
             "contacted_on": contacted_on.isoformat()}
    raised = None
    if appeal:
        noon = timezone.make_aware(dt.datetime.combine(contacted_on, dt.time(12, 0)))
        raised, _code = appeal_actions.submit_appeal(
            channel=Channel.LIAISON, actor=actor, source=contact,
            collected_at=min(noon, timezone.now()),
            region=appeal.get("region") or pairing.region,
            title=appeal.get("title", ""), content=appeal.get("content", ""),
            contact_name=appeal.get("contact_name", ""),
            contact_phone=appeal.get("contact_phone", ""), address=appeal.get("address", ""))
        event["appeals"] = [raised.number]
    record_event(pairing.liaison, RecordAction.CONTACT, actor=actor, data=event)
    return contact, raised
