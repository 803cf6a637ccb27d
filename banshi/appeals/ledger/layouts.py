"""The two spreadsheet layouts the importer reads, and the lookups their cells name.

LEDGER is the ledger export's own layout (see export.HEADERS); BOARD is a government message
board's export (留言编号, 留言用户, 留言主题, 留言时间, 留言详情, ...).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from banshi.lib.spreadsheet import Row, header_names
from banshi.org.choices import RegionLevel
from banshi.org.models import Region

from ..choices import Channel
from ..models import Aspect, Category

CATEGORY_COLUMNS = ("一级分类", "二级分类", "三级分类")


@dataclass(frozen=True)
class Layout:
    """Which header holds what, and the channel rows of this layout come through."""

    kind: str
    title: str
    content: str
    when: str
    name: str
    channel: str
    external_id: str = ""
    phone: str = ""

    def column_for(self, field_name: str | None) -> str:
        """The header an action's error field refers to."""
        columns = {"title": self.title, "content": self.content, "collected_at": self.when,
                   "contact_name": self.name, "external_id": self.external_id,
                   "contact_phone": self.phone,
                   "channel": "渠道", "region_code": "所在社区"}
        return columns.get(field_name or "", "") or "整行"

    def records(self, header: Row, rows: Iterable[tuple[int, Row]]
                ) -> Iterator[tuple[int, dict[str, object]]]:
        """(row number, {header: value}) per data row; a repeated header keeps its first column."""
        positions: dict[str, int] = {}
        for index, name in enumerate(header_names(header)):
            if name:
                positions.setdefault(name, index)
        for number, row in rows:
            yield number, {name: row[i] if i < len(row) else None
                           for name, i in positions.items()}


LEDGER = Layout(kind="ledger", title="标题", content="内容", when="收到时间", name="诉求人",
                channel=Channel.IMPORT, phone="联系电话")
BOARD = Layout(kind="board", title="留言主题", content="留言详情", when="留言时间",
               name="留言用户", channel=Channel.PLATFORM, external_id="留言编号")


def detect_layout(header: Row) -> tuple[Layout | None, str]:
    """The layout a header row belongs to, or None and what is missing."""
    names = set(header_names(header))
    for layout in (BOARD, LEDGER):
        own = {layout.title, layout.content, layout.when, layout.external_id} - {""}
        if not names & own:
            continue
        missing = [] if layout.when in names else [layout.when]
        if not names & {layout.title, layout.content}:
            missing.append(f"{layout.title}或{layout.content}")
        if missing:
            return None, "缺少必需的列：" + "、".join(missing)
        return layout, ""
    return None, ("无法识别的表头：台账格式须有“标题”或“内容”及“收到时间”列，"
                  "留言板格式须有“留言主题”或“留言详情”及“留言时间”列")


def _index(items, *keys) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    for item in items:
        for key in keys:
            value = getattr(item, key)
            if item not in found[value]:
                found[value].append(item)
    return found


class Lookups:
    """Regions, channels, categories and aspects by the names and codes a sheet may use."""

    def __init__(self):
        regions = list(Region.objects.filter(
            level__in=[RegionLevel.STREET, RegionLevel.COMMUNITY]))
        self.streets = _index([r for r in regions if r.level == RegionLevel.STREET],
                              "code", "name")
        self.communities = _index([r for r in regions if r.level == RegionLevel.COMMUNITY],
                                  "code", "name")
        self.channels = {key: value for value, label in Channel.choices
                         for key in (value, label)}
        self.categories = {c.path_name: c for c in Category.objects.all()}
        self.aspects = _index(Aspect.objects.all(), "code", "name")

    def resolve(self, check, layout: Layout) -> dict:
        """Model instances for the row's named cells; problems are recorded on `check`."""
        if layout is BOARD:
            label = check.line("一级标签")
            category = self.categories.get(label) if label else None
            return {"category": category} if category and category.level == 1 else {}
        fields = {"region": self.region(check), "category": self.category(check),
                  "aspect": self.aspect(check)}
        channel = check.line("渠道")
        if channel:
            fields["channel"] = self.channels.get(channel)
            if fields["channel"] is None:
                check.fail("渠道", f"未知的渠道“{channel}”")
        return fields

    def _street(self, check):
        name = check.line("街道")
        matches = self.streets.get(name, []) if name else []
        if name and len(matches) != 1:
            check.fail("街道", f"未知的街道“{name}”" if not matches
                       else f"有多个名为“{name}”的街道，请填写街道代码")
            return False
        return matches[0] if matches else None

    def region(self, check) -> Region | None:
        name = check.line("所在社区")
        street = self._street(check)
        if not name or street is False:
            return None
        matches = self.communities.get(name, [])
        if street is not None and matches:
            matches = [m for m in matches if m.parent_id == street.pk]
            if not matches:
                check.fail("街道", f"社区“{name}”不属于“{street.name}”")
                return None
        if len(matches) == 1:
            return matches[0]
        check.fail("所在社区", f"未知的社区“{name}”" if not matches
                   else f"有多个名为“{name}”的社区，请同时填写街道或填写社区代码")
        return None

    def category(self, check) -> Category | None:
        levels = [check.line(column) for column in CATEGORY_COLUMNS]
        depth = max((i + 1 for i, name in enumerate(levels) if name), default=0)
        path, category = "", None
        for column, name in zip(CATEGORY_COLUMNS[:depth], levels[:depth], strict=True):
            if not name:
                check.fail(column, f"填写了下级分类时{column}不能为空")
                return None
            path = f"{path}/{name}" if path else name
            category = self.categories.get(path)
            if category is None:
                parent = path.rsplit("/", 1)[0] if "/" in path else ""
                where = f"“{parent}”下没有" if parent else "未知的"
                check.fail(column, f"{where}{column}“{name}”")
                return None
        return category

    def aspect(self, check) -> Aspect | None:
        name = check.line("办实事方向")
        if not name:
            return None
        matches = self.aspects.get(name, [])
        if len(matches) != 1:
            check.fail("办实事方向", f"未知的办实事方向“{name}”")
            return None
        return matches[0]
