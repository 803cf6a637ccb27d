"""The one-click briefing (工作简报) as a Word document: a title, the period, then one section
per builder in SECTIONS, each written as Chinese sentences filled from the statistics (the
very functions behind /api/v1/stats/…, for the same period, user and unit), with ranking
tables and charts.

A builder is `build(briefing: Briefing) -> None`: it calls `briefing.heading("…")` (numbered
一、二、… in the order the builders run), then adds paragraphs, tables and pictures through
`briefing`'s helpers. To add a section (the handling metrics, 三率), write one more builder
and put it in SECTIONS where it belongs — nothing else changes.
"""

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from banshi.appeals.access import visible_problems
from banshi.appeals.choices import ProblemStatus
from banshi.campaign import stats as campaign_stats
from banshi.campaign.choices import MeetingKind, StoryStatus
from banshi.campaign.models import GoodPractice
from banshi.collection import stats as collection_stats
from banshi.org import permissions
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit
from banshi.reports import metrics

from . import charts
from .sentences import SENTENCES, render

logger = logging.getLogger(__name__)

NUMERALS = "一二三四五六七八九十"
BODY_FONT, TITLE_FONT = "仿宋", "黑体"
TOP_PROBLEMS = 5
SUMMARY_CHARS = 120


def percent(rate: float | None) -> str:
    """A fraction as the briefing writes a percentage: one decimal, "—" when undefined."""
    return "—" if rate is None else f"{rate * 100:.1f}"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def template_texts() -> dict[str, str]:
    """The sentence templates: the admin's rows, created with the defaults on first use."""
    from banshi.reports.models import BriefingTemplate

    texts = dict(BriefingTemplate.objects.values_list("key", "text"))
    missing = [s for key, s in SENTENCES.items() if key not in texts]
    if missing:
        BriefingTemplate.objects.bulk_create(
            [BriefingTemplate(key=s.key, text=s.default) for s in missing],
            ignore_conflicts=True)
        texts |= {s.key: s.default for s in missing}
    return texts


def area_names(user, unit: Unit | None) -> tuple[str, str]:
    """(the title's name, the sentences' scope): ("中原区", "全区") for the district, the
    unit's name for both when narrowed to a unit or for unit staff."""
    if unit is None and permissions.sees_everything(user):
        district = Region.objects.filter(level=RegionLevel.DISTRICT).order_by("id").first()
        return (district.name if district else "全区"), "全区"
    named = unit or permissions.unit_of(user)
    if named is None or named.kind == "district":
        district = Region.objects.filter(level=RegionLevel.DISTRICT).order_by("id").first()
        return (district.name if district else "全区"), "全区"
    return named.name, named.name


def campaign_values(figures: dict) -> dict:
    """The campaign figures as the templates name them: meetings by kind flattened to
    meetings_<kind>, the coverage as a percentage."""
    values = {k: v for k, v in figures.items() if k != "meetings"}
    for kind, label in MeetingKind.choices:
        values[f"meetings_{kind}"] = figures["meetings"].get(str(label), 0)
    values["supervision_coverage"] = percent(figures["supervision_coverage"])
    return values


def handling_values(figures: dict) -> dict:
    """The handling figures as the templates name them: rates as percentages, the average
    handling time with one decimal ("—" when nothing was answered)."""
    values = {k: v for k, v in figures.items() if k != "by_unit"}
    for rate in ("response_rate", "resolution_rate", "solve_rate", "satisfaction_rate"):
        values[rate] = percent(figures[rate])
    days = figures["avg_handling_days"]
    values["avg_handling_days"] = "—" if days is None else f"{days:.1f}"
    return values


def collection_values(figures: dict) -> dict:
    values = {k: v for k, v in figures.items() if k != "appeals_by_channel"}
    values["survey_return_rate"] = percent(figures["survey_return_rate"])
    return values


@dataclass
class Briefing:
    """What the builders share: the request (user, period, unit), the templates, the
    figures (each computed once, on first use) and the document being written."""

    user: permissions.Person
    start: dt.date
    end: dt.date
    unit: Unit | None
    document: Any = None  # a docx Document (python-docx has no type information)
    texts: dict[str, str] = field(default_factory=dict)
    area: str = ""
    scope: str = ""
    sections: int = 0
    notes: list[str] = field(default_factory=list)
    _cache: dict = field(default_factory=dict)

    # ----- figures -----
    def cached(self, name: str, compute: Callable[[], object]):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @property
    def collection(self) -> dict:
        return self.cached("collection", lambda: collection_stats.collection_figures(
            self.user, self.start, self.end, self.unit))

    @property
    def handling(self) -> dict:
        return self.cached("handling", lambda: metrics.handling_figures(
            self.user, self.start, self.end, self.unit))

    @property
    def campaign(self) -> dict:
        return self.cached("campaign", lambda: campaign_stats.campaign_figures(
            self.user, self.start, self.end, self.unit))

    # ----- writing -----
    def sentence(self, key: str, **values) -> str:
        return render(self.texts.get(key, SENTENCES[key].default), key,
                      {"scope": self.scope} | values)

    def heading(self, text: str) -> None:
        numeral = NUMERALS[self.sections] if self.sections < len(NUMERALS) else str(
            self.sections + 1)
        self.sections += 1
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(12)
        self.run(paragraph, f"{numeral}、{text}", size=16, bold=True, font=TITLE_FONT)

    def paragraph(self, text: str, *, indent: bool = True, bold_lead: str = "") -> None:
        paragraph = self.document.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.paragraph_format.line_spacing = Pt(28)
        if bold_lead:
            self.run(paragraph, bold_lead, bold=True)
        self.run(paragraph, text)

    def run(self, paragraph, text: str, *, size: float = 16, bold: bool = False,
            font: str = BODY_FONT):
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        return run

    def table(self, header: list[str], rows: list[list[object]],
              widths: list[float] | None = None) -> None:
        """A bordered table, numbers right-aligned; `widths` in cm per column."""
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.run(cell.paragraphs[0], text, size=10.5, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for n, (cell, value) in enumerate(zip(cells, row, strict=True)):
                if n == 0:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif isinstance(value, int):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self.run(cell.paragraphs[0], str(value), size=10.5)
        if widths:  # the grid (LibreOffice reads it) and every cell (Word reads those)
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Cm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)

    def chart(self, png: bytes | None) -> None:
        if png is None:
            if charts.cjk_font() is None and charts.NO_FONT_NOTE not in self.notes:
                self.notes.append(charts.NO_FONT_NOTE)
                self.paragraph(charts.NO_FONT_NOTE, indent=False)
            return
        self.document.add_picture(io.BytesIO(png), width=Cm(15))
        self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


# ---------- the sections ----------

def collection_section(b: Briefing) -> None:
    b.heading("征集群众诉求情况")
    values = collection_values(b.collection)
    b.paragraph(b.sentence("collection", **values))
    b.paragraph(b.sentence("collection_more", **values))
    table = collection_stats.per_street(b.user, b.start, b.end, b.unit)
    streets = [row for row in table["rows"] if row["unit"] is not None]
    if not streets:
        return
    streets.sort(key=lambda r: (-r["appeals_collected"], -r["symposiums"], r["unit"].path))
    b.paragraph(b.sentence("ranking_intro"))
    rows: list[list[object]] = [
        [rank, row["unit"].name, row["symposiums"], row["surveys_distributed"],
         row["surveys_returned"], row["opinion_boxes"], row["household_visit_person_times"],
         row["appeals_collected"]] for rank, row in enumerate(streets, 1)]
    other = next((row for row in table["rows"] if row["unit"] is None), None)
    if other is not None:
        rows.append(["—", "其他(区直单位等)", other["symposiums"], other["surveys_distributed"],
                     other["surveys_returned"], other["opinion_boxes"],
                     other["household_visit_person_times"], other["appeals_collected"]])
    b.table(["排名", "街道", "座谈会(场)", "发放问卷(份)", "收回问卷(份)", "意见箱(个)",
             "走访群众(人次)", "征集诉求(条)"], rows,
            widths=[1.0, 3.4, 1.9, 1.9, 1.9, 1.9, 1.9, 1.9])
    b.chart(charts.bar_chart(
        "各街道征集群众诉求和召开座谈会情况", [row["unit"].name for row in streets],
        [("征集诉求(条)", [row["appeals_collected"] for row in streets]),
         ("座谈会(场)", [row["symposiums"] for row in streets])], "数量"))


HANDLING_UNITS = 10  # the units of the handling table: the most appeals received first


def handling_section(b: Briefing) -> None:
    b.heading("群众诉求办理情况")
    b.paragraph(b.sentence("handling", **handling_values(b.handling)))
    units = sorted((row for row in b.handling["by_unit"] if row["received"]),
                   key=lambda row: (-row["received"], row["unit_code"]))[:HANDLING_UNITS]
    if not units:
        return
    b.paragraph(b.sentence("handling_ranking"))
    b.table(["序号", "单位", "收到(件)", "响应率(%)", "办结率(%)", "解决率(%)", "满意率(%)",
             "超期(件)"],
            [[n, row["unit_name"], row["received"], percent(row["response_rate"]),
              percent(row["resolution_rate"]), percent(row["solve_rate"]),
              percent(row["satisfaction_rate"]), row["overdue"]]
             for n, row in enumerate(units, 1)],
            widths=[1.0, 4.2, 1.8, 1.8, 1.8, 1.8, 1.8, 1.6])


def top_problems(b: Briefing) -> tuple[list[dict], int, int]:
    """The confirmed shared problems behind appeals of the period the user may see (narrowed
    to the unit like the collection figures): the hottest TOP_PROBLEMS (by heat, then
    appeals), how many there are, and how many such appeals they hold."""
    appeals = collection_stats.collected_appeals(b.user, b.start, b.end, b.unit)
    problems = (visible_problems(b.user)
                .filter(status__in=[ProblemStatus.OPEN, ProblemStatus.RESOLVED])
                .annotate(n=Count("appeals", filter=Q(appeals__in=appeals), distinct=True))
                .filter(n__gt=0).order_by("-heat", "-n", "code"))
    rows = list(problems.values("title", "heat", "status", "n"))
    labels = dict(ProblemStatus.choices)
    top = [{"rank": rank, "title": row["title"], "appeals": row["n"],
            "heat": f"{row['heat']:.1f}", "status": str(labels[row["status"]])}
           for rank, row in enumerate(rows[:TOP_PROBLEMS], 1)]
    return top, len(rows), sum(row["n"] for row in rows)


def problems_section(b: Briefing) -> None:
    b.heading("群众反映集中的共性问题")
    top, count, appeals = top_problems(b)
    if not top:
        b.paragraph(b.sentence("problems_none"))
        return
    b.paragraph(b.sentence("problems", problems=count, appeals=appeals))
    for row in top:
        b.paragraph(b.sentence("problem_item", **row))


def campaign_section(b: Briefing) -> None:
    b.heading("党史学习教育和“我为群众办实事”实践活动开展情况")
    values = campaign_values(b.campaign)
    b.paragraph(b.sentence("supervision", **values))
    b.paragraph(b.sentence("meetings", **values))
    b.paragraph(b.sentence("study", **values))
    speakers = campaign_stats.lectures_by_speaker_kind(b.user, b.start, b.end, b.unit)
    if speakers:
        items = [b.sentence("speaker_item", speaker_kind=row["label"], speakers=row["speakers"],
                            lectures=row["lectures"], person_times=row["person_times"])
                 for row in speakers]
        b.paragraph("；".join(items) + "。", bold_lead="宣讲：")
    venues = campaign_stats.venue_visits(b.user, b.start, b.end, b.unit)
    if venues:
        items = [b.sentence("venue_item", venue=row["venue"], visits=row["visits"],
                            person_times=row["person_times"]) for row in venues]
        b.paragraph("；".join(items) + "。", bold_lead="红色教育基地：")
    b.paragraph(b.sentence("matters", **values))
    if speakers:
        b.chart(charts.bar_chart(
            "宣讲场次和听众人次(按宣讲人类别)", [row["label"] for row in speakers],
            [("听众(人次)", [row["person_times"] for row in speakers])], "人次"))


def practices_section(b: Briefing) -> None:
    b.heading("好做法好经验")
    practices = list(GoodPractice.objects.visible_to(b.user).within(b.unit)
                     .filter(status=StoryStatus.PUBLISHED, published_on__gte=b.start,
                             published_on__lte=b.end)
                     .select_related("unit").order_by("-published_on", "-id"))
    if not practices:
        b.paragraph(b.sentence("practices_none"))
        return
    b.paragraph(b.sentence("practices", practices=len(practices)))
    for practice in practices:
        body = " ".join(practice.body.split())
        summary = body if len(body) <= SUMMARY_CHARS else body[:SUMMARY_CHARS] + "……"
        b.paragraph(summary, bold_lead=f"{practice.unit.name}：{practice.title}。")


# The builders, in the briefing's order.
SECTIONS: list[Callable[[Briefing], None]] = [
    collection_section, handling_section, problems_section, campaign_section,
    practices_section,
]


def build_briefing(user, start: dt.date, end: dt.date, unit: Unit | None = None,
                   *, sections: list[Callable[[Briefing], None]] | None = None) -> bytes:
    """The briefing of [start, end] for `user` (their scope, narrowed to `unit` — check it
    with collection.stats.stats_unit first) as the bytes of a .docx."""
    if end < start:
        raise ValueError("统计期止不能早于统计期起")
    briefing = Briefing(user=user, start=start, end=end, unit=unit, document=Document(),
                        texts=template_texts())
    briefing.area, briefing.scope = area_names(user, unit)
    section = briefing.document.sections[0]
    section.top_margin = section.bottom_margin = Cm(3.7 - 1.2)
    section.left_margin = section.right_margin = Cm(2.6)
    title = briefing.document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    briefing.run(title, briefing.sentence("title", area=briefing.area), size=22, bold=True,
                 font=TITLE_FONT)
    period = briefing.document.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    briefing.run(period, briefing.sentence(
        "period", start=chinese_date(start), end=chinese_date(end),
        issued=chinese_date(timezone.localdate())), size=12)
    for build in sections if sections is not None else SECTIONS:
        build(briefing)
    out = io.BytesIO()
    briefing.document.save(out)
    return out.getvalue()
