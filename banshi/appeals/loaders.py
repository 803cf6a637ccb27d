"""Load the taxonomy, the campaign's aspects and deadline policies from files.

The taxonomy file has three columns (一级分类, 二级分类, 三级分类) as CSV or xlsx. A node
is matched by its parent and name, so loading twice, or loading a second taxonomy on top,
never renames or duplicates an existing category; a new node gets the next free code
under its parent: level 1 "01", "02", ...; level 2 parent code + 2 digits; level 3 the same.
"""

from collections import Counter
from pathlib import Path

from django.db import transaction

from banshi.lib.spreadsheet import UnreadableFile, clean_line
from banshi.lib.spreadsheet import read_rows as read_table
from banshi.org.loaders import LoadError, read_rows, upsert

from .choices import Urgency
from .models import Aspect, Category, DeadlinePolicy

DATA_DIR = Path(__file__).parent / "data"
HEADER_MARK = "分类"


def read_taxonomy(path: Path) -> list[tuple[str, str, str]]:
    """(level 1, level 2, level 3) names from a CSV or spreadsheet file, header skipped.

    A blank level-1 or level-2 cell under a filled deeper cell repeats the row above (as
    merged cells in a spreadsheet read); rows of blanks are skipped.
    """
    path = Path(path)
    try:
        raw = read_table(path)
    except UnreadableFile as exc:
        raise LoadError(f"{path.name}: {exc.message}") from exc
    rows, above = [], ["", "", ""]
    for index, (number, cells) in enumerate(raw):
        names = [clean_line(c) for c in (list(cells) + ["", "", ""])[:3]]
        if index == 0 and HEADER_MARK in names[0]:
            continue
        if not any(names):
            continue
        for level in (0, 1):
            same_branch = level == 0 or names[0] == above[0]
            if not names[level] and any(names[level + 1:]) and same_branch:
                names[level] = above[level]
        if not names[0] or (names[2] and not names[1]):
            raise LoadError(f"{path.name} 第{number}行: 缺少上级分类")
        too_long = [n for n in names if len(n) > 100]
        if too_long:
            raise LoadError(f"{path.name} 第{number}行: 分类名称超过100个字符")
        rows.append((names[0], names[1], names[2]))
        above = names
    return rows


class _Tree:
    """The categories in the database, indexed by (parent id, name), handing out codes."""

    def __init__(self):
        nodes = list(Category.objects.all())
        self.by_key = {(c.parent_id, c.name): c for c in nodes}
        self.codes = {c.code for c in nodes}
        self.created = 0

    def next_code(self, parent: Category | None) -> str:
        prefix = parent.code if parent else ""
        taken = [int(code[len(prefix):]) for code in self.codes
                 if code.startswith(prefix) and len(code) == len(prefix) + 2
                 and code[len(prefix):].isdigit()]
        number = max(taken, default=0) + 1
        while f"{prefix}{number:02d}" in self.codes:
            number += 1
        if number > 99:
            raise LoadError(f"“{parent or '一级分类'}”下的分类超过99个")
        return f"{prefix}{number:02d}"

    def node(self, name: str, parent: Category | None) -> Category:
        key = (parent.pk if parent else None, name)
        if key not in self.by_key:
            level = parent.level + 1 if parent else 1
            code = self.next_code(parent)
            self.by_key[key] = Category.objects.create(
                code=code, name=name, level=level, parent=parent
            )
            self.codes.add(code)
            self.created += 1
        return self.by_key[key]


@transaction.atomic
def load_taxonomy(path: Path = DATA_DIR / "taxonomy.csv") -> Counter:
    """Create the missing categories of a 3-column taxonomy file; never renames or deletes."""
    tree = _Tree()
    for names in read_taxonomy(path):
        parent = None
        for name in names:
            if not name:
                break
            parent = tree.node(name, parent)
    return Counter(created=tree.created)


@transaction.atomic
def load_aspects(path: Path = DATA_DIR / "aspects.csv") -> Counter:
    """The campaign's aspects from `code,name,description[,confirmed]`, matched by code.

    `confirmed` (yes/no, 是/否) marks an aspect 待确认 when no; left empty or absent, a new
    aspect is confirmed and an existing one keeps its mark.
    """
    counts: Counter = Counter()
    where = Path(path).name
    for row in read_rows(path, ["code", "name", "description"], optional=("confirmed",)):
        if not row["code"] or not row["name"]:
            raise LoadError(f"{where} 第{row['_line']}行: code 和 name 不能为空")
        values = {"name": row["name"], "description": row["description"]}
        if row.get("confirmed"):
            values["confirmed"] = _yes_no(row, "confirmed", where)
        _, status = upsert(Aspect, {"code": row["code"]}, values)
        counts[status] += 1
    return counts


YES, NO = {"yes", "y", "true", "1", "是"}, {"no", "n", "false", "0", "否"}


def _yes_no(row: dict, field: str, where: str) -> bool:
    value = row[field].lower()
    if value not in YES | NO:
        raise LoadError(f"{where} 第{row['_line']}行: {field} 须为 yes/no(是/否)")
    return value in YES


def _policy_category(row: dict, where: str) -> Category | None:
    if row["category"] == "*":
        return None
    category = Category.objects.filter(level=1, name=row["category"]).first()
    if category is None:
        raise LoadError(f"{where} 第{row['_line']}行: 一级分类“{row['category']}”不存在")
    return category


def _positive(row: dict, field: str, where: str) -> int:
    try:
        value = int(row[field])
    except ValueError:
        value = 0
    if value < 1:
        raise LoadError(f"{where} 第{row['_line']}行: {field} 须为正整数")
    return value


@transaction.atomic
def load_deadline_policies(path: Path = DATA_DIR / "deadline_policies.csv") -> Counter:
    """Policies from `category,urgency,response_hours,handling_days`; category `*` is the
    default for its urgency, otherwise a first-level category's name."""
    counts: Counter = Counter()
    columns = ["category", "urgency", "response_hours", "handling_days"]
    for row in read_rows(path, columns):
        if row["urgency"] not in Urgency.values:
            raise LoadError(f"{path.name} 第{row['_line']}行: 未知紧急程度 {row['urgency']}")
        _, status = upsert(
            DeadlinePolicy,
            {"category": _policy_category(row, path.name), "urgency": row["urgency"]},
            {"response_hours": _positive(row, "response_hours", path.name),
             "handling_days": _positive(row, "handling_days", path.name)},
        )
        counts[status] += 1
    return counts
