"""Load regions and units from CSV or spreadsheet files (the package data or an admin's file).

Loading is idempotent: rows are matched by `code`, created when missing, saved only when
a value differs, and parents are always written before their children.
"""

from collections import Counter
from pathlib import Path
from typing import TypeVar

from django.db import models, transaction

from banshi.lib.spreadsheet import UnreadableFile, clean_line, header_names
from banshi.lib.spreadsheet import read_rows as read_table

from .choices import RegionLevel, UnitKind
from .models import Region, Unit

M = TypeVar("M", bound=models.Model)

DATA_DIR = Path(__file__).parent / "data"


class LoadError(ValueError):
    """A data file is malformed; the message names the file and line."""


def read_rows(path: Path, columns: list[str], optional: tuple[str, ...] = ()) -> list[dict]:
    """The non-blank rows of a file with a header (CSV or spreadsheet, see banshi.lib.spreadsheet),
    each {column: cleaned text} with its row number under "_line". An `optional` column the
    file lacks is left out of the rows."""
    path = Path(path)
    try:
        rows = read_table(path)
    except UnreadableFile as exc:
        raise LoadError(f"{path.name}: {exc.message}") from exc
    _, header = next(rows, (0, []))
    names = header_names(header)
    missing = [c for c in columns if c not in names]
    if missing:
        raise LoadError(f"{path.name}: 缺少列 {', '.join(missing)}")
    positions = {c: names.index(c) for c in [*columns, *optional] if c in names}
    found = []
    for line, row in rows:
        cells = {c: clean_line(row[i]) if i < len(row) else "" for c, i in positions.items()}
        if any(cells.values()):
            found.append(cells | {"_line": line})
    return found


def upsert(model: type[M], lookup: dict, values: dict) -> tuple[M, str | None]:
    """Create or update one row; return it with "created", "updated" or None (unchanged)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if not changed:
        return obj, None
    for key, value in changed.items():
        setattr(obj, key, value)
    obj.save()
    return obj, "updated"


def parents_first(rows: list[dict], where: str) -> list[dict]:
    """Order rows so every row comes after the row of its parent_code (if in the file)."""
    in_file = {row["code"] for row in rows}
    done: set[str] = set()
    ordered, pending = [], list(rows)
    while pending:
        ready = [r for r in pending
                 if not r["parent_code"] or r["parent_code"] in done
                 or r["parent_code"] not in in_file]
        if not ready:
            raise LoadError(f"{where}: 上级关系有循环(第{pending[0]['_line']}行)")
        ordered += ready
        done |= {r["code"] for r in ready}
        pending = [r for r in pending if r["code"] not in done]
    return ordered


def _require(row: dict, where: str, *names: str) -> None:
    for name in names:
        if not row[name]:
            raise LoadError(f"{where} 第{row['_line']}行: {name} 不能为空")


def _parent(model, row: dict, known: dict, where: str):
    code = row["parent_code"]
    if not code:
        return None
    parent = known.get(code) or model.objects.filter(code=code).first()
    if parent is None:
        raise LoadError(f"{where} 第{row['_line']}行: 上级 {code} 不存在")
    return parent


@transaction.atomic
def load_regions(path: Path = DATA_DIR / "regions.csv") -> Counter:
    """Regions from `code,name,level,parent_code`; returns counts of created/updated rows."""
    rows = read_rows(path, ["code", "name", "level", "parent_code"])
    known: dict[str, Region] = {}
    counts: Counter = Counter()
    for row in parents_first(rows, path.name):
        _require(row, path.name, "code", "name", "level")
        if row["level"] not in RegionLevel.values:
            raise LoadError(f"{path.name} 第{row['_line']}行: 未知层级 {row['level']}")
        parent = _parent(Region, row, known, path.name)
        region, status = upsert(Region, {"code": row["code"]}, {
            "name": row["name"], "level": row["level"],
            "parent_id": parent.pk if parent else None,
        })
        known[region.code] = region
        counts[status] += 1
    return counts


@transaction.atomic
def load_units(path: Path = DATA_DIR / "units.csv") -> Counter:
    """Units from `code,name,kind,parent_code,region_code`, after the regions are loaded."""
    rows = read_rows(path, ["code", "name", "kind", "parent_code", "region_code"])
    regions = {r.code: r for r in Region.objects.all()}
    known: dict[str, Unit] = {}
    counts: Counter = Counter()
    for row in parents_first(rows, path.name):
        _require(row, path.name, "code", "name", "kind")
        if row["kind"] not in UnitKind.values:
            raise LoadError(f"{path.name} 第{row['_line']}行: 未知类型 {row['kind']}")
        region = regions.get(row["region_code"]) if row["region_code"] else None
        if row["region_code"] and region is None:
            raise LoadError(f"{path.name} 第{row['_line']}行: 辖区 {row['region_code']} 不存在")
        parent = _parent(Unit, row, known, path.name)
        unit, status = upsert(Unit, {"code": row["code"]}, {
            "name": row["name"], "kind": row["kind"],
            "parent_id": parent.pk if parent else None,
            "region_id": region.pk if region else None,
            "path": (parent.path if parent else "") + row["code"] + "/",
        })
        known[unit.code] = unit
        counts[status] += 1
    return counts
