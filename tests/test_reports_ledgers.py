"""The ledgers (台账): each .xlsx opened with openpyxl and checked — title, period line,
frozen header, widths, header, rows — against records built here; per role (a street's staff
get their subtree only, never another street's records), masking, hostile text kept as text,
the period and the unit narrowing, and the ledgers page itself."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from banshi.appeals import actions
from banshi.appeals.choices import ProblemStatus, Rating
from banshi.appeals.models import Appeal, Milestone, Problem
from banshi.campaign.choices import (
    ActionKind,
    MatterStatus,
    RectificationStatus,
    SpeakerKind,
    StudyKind,
    VisitRating,
)
from banshi.campaign.models import (
    Campaign,
    GuidanceGroup,
    GuidanceVisit,
    PracticalMatter,
    Rectification,
    Speaker,
    StudyActivity,
    StudySignIn,
    Venue,
)
from banshi.reports.ledgers import MODULES, appeals, matters, problems, study, supervision

from .factories import add_other_street, login, submitted
from .shared import layer

D = dt.date
START, END = D(2026, 3, 5), D(2026, 3, 31)
FORMULA = "=cmd|' /C calc'!A0"
SCRIPT = "<script>alert('x')</script>"
EMOJI = "路灯不亮😡🙏 请尽快修复！！"
LONG = "长" * 10000
SIBLING = "西里"  # every record of the other street carries it


def wall(*parts: int) -> dt.datetime:
    """A date cell as openpyxl reads it back: a naive datetime (wall-clock, Asia/Shanghai)."""
    return dt.datetime(*parts)  # noqa: DTZ001


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@layer("d")
def ledgers_world(d):
    """The records below, built once and shared (tests/shared.py)."""
    other = add_other_street(d)
    Campaign.objects.create(name="测试活动", started_on=START, goals="学史明理")
    # appeals: one per level in the period, one of the other street, one before the period
    community_case = actions.dispatch(
        submitted(d, title=FORMULA, content=LONG, collected_at=at(D(2026, 3, 10))),
        actor=d.dispatcher, unit=d.community_unit, category=d.cat_city_3, aspect=d.aspect)
    closed = actions.dispatch(
        submitted(d, title="已办结的诉求", content=SCRIPT + EMOJI, contact_name="李四",
                  contact_phone="13900001111", collected_at=at(D(2026, 3, 12))),
        actor=d.dispatcher, unit=d.cgj, category=d.cat_city_3, aspect=d.aspect)
    closed = actions.accept(closed, actor=d.cgj_staff)
    closed = actions.resolve(closed, actor=d.cgj_staff, reply="已修复")
    closed = actions.record_feedback(closed, rating=Rating.SATISFIED, solved="solved",
                                    actor=d.dispatcher)
    district_case = submitted(d, title="待派单诉求", contact_name="王五",
                              collected_at=at(D(2026, 3, 20)))
    sibling_case = actions.dispatch(
        submitted(d, title=f"{SIBLING}社区诉求", region=other.community,
                  collected_at=at(D(2026, 3, 15))),
        actor=d.dispatcher, unit=other.community_unit, category=d.cat_city_3, aspect=d.aspect)
    early = submitted(d, title="期前诉求", collected_at=at(D(2026, 2, 20)))
    # shared problems: the street's (open, 包联), the other street's, one resolved before
    # the period, one only proposed
    street_problem = Problem.objects.create(
        code="P-001", title=SCRIPT, owner_unit=d.street_unit, status=ProblemStatus.OPEN,
        places=["百花路"], plan=FORMULA, created_at=at(D(2026, 3, 11)))
    street_problem.regions.set([d.community])
    street_problem.leaders.set([d.leader])
    Milestone.objects.create(problem=street_problem, title="排查", due_date=D(2026, 3, 20),
                             progress=100)
    Milestone.objects.create(problem=street_problem, title="改造", due_date=D(2026, 4, 30),
                             progress=40, note="施工中")
    Appeal.objects.filter(pk=community_case.pk).update(problem=street_problem)
    Problem.objects.create(code="P-002", title=f"{SIBLING}停车难", owner_unit=other.street_unit,
                           status=ProblemStatus.OPEN, created_at=at(D(2026, 3, 12)))
    Problem.objects.create(code="P-003", title="早已解决", owner_unit=d.street_unit,
                           status=ProblemStatus.RESOLVED, created_at=at(D(2026, 1, 5)),
                           resolved_at=at(D(2026, 2, 1)))
    Problem.objects.create(code="P-004", title="候选问题", owner_unit=d.street_unit,
                           status=ProblemStatus.CANDIDATE, created_at=at(D(2026, 3, 12)))
    # supervision
    campaign = Campaign.objects.get()
    group = GuidanceGroup.objects.create(campaign=campaign, unit=d.district_unit, name="第一组")
    group.covered_units.set([d.street_unit, other.street_unit])
    visit = GuidanceVisit.objects.create(group=group, unit=d.street_unit,
                                         visited_on=D(2026, 3, 20), findings=FORMULA,
                                         highlights=EMOJI, rating=VisitRating.FAIR)
    Rectification.objects.create(visit=visit, unit=d.street_unit, item="完善台账",
                                 due_on=D(2026, 4, 30), status=RectificationStatus.DONE,
                                 done_on=D(2026, 3, 28), result="已补齐")
    Rectification.objects.create(visit=visit, unit=d.community_unit, item="公开栏更新",
                                 due_on=D(2026, 4, 15))
    GuidanceVisit.objects.create(group=group, unit=other.street_unit,
                                 visited_on=D(2026, 3, 21), findings=f"{SIBLING}督导发现")
    GuidanceVisit.objects.create(group=group, unit=d.street_unit, visited_on=D(2026, 4, 5),
                                 findings="期后督导")
    # study
    speaker = Speaker.objects.create(name="书记甲", kind=SpeakerKind.SECRETARY)
    lecture = StudyActivity.objects.create(
        unit=d.street_unit, kind=StudyKind.LECTURE, title=FORMULA, held_on=D(2026, 3, 11),
        speaker=speaker, place="街道会议室", person_times=100, summary=LONG)
    for name in ("甲", "乙"):
        StudySignIn.objects.create(activity=lecture, name=name)
    StudyActivity.objects.create(unit=d.community_unit, kind=StudyKind.VENUE_VISIT,
                                 title="参观纪念馆", held_on=D(2026, 3, 13), person_times=40,
                                 venue=Venue.objects.create(name="黄河博物馆"))
    StudyActivity.objects.create(unit=other.street_unit, kind=StudyKind.THREE_ONE,
                                 title=f"{SIBLING}学习", held_on=D(2026, 3, 14), person_times=9)
    StudyActivity.objects.create(unit=d.street_unit, kind=StudyKind.THREE_ONE, title="期后学习",
                                 held_on=D(2026, 4, 2), person_times=10)
    # practical matters
    PracticalMatter.objects.create(
        unit=d.street_unit, title="清理沿街违规户外广告", measure=SCRIPT,
        kind=ActionKind.REQUIRED, aspect=d.aspect, target_count=50, done_count=50,
        count_unit="处", committed_on=D(2026, 3, 6), due_on=D(2026, 3, 31),
        status=MatterStatus.CLOSED, closed_on=D(2026, 3, 20), evidence=EMOJI)
    PracticalMatter.objects.create(unit=d.community_unit, title="加装电梯", target_count=3,
                                   done_count=1, count_unit="部", committed_on=D(2026, 3, 7))
    PracticalMatter.objects.create(unit=other.street_unit, title=f"{SIBLING}实事",
                                   committed_on=D(2026, 3, 8))
    PracticalMatter.objects.create(unit=d.street_unit, title="期前实事",
                                   committed_on=D(2026, 2, 28))
    return {"other": other, "community_case": community_case.number,
            "closed": closed.number, "district_case": district_case.number,
            "sibling_case": sibling_case.number, "early": early.number}


def download(user, kind: str, **params):
    client = login(Client(), user.username)
    query = {"start": START.isoformat(), "end": END.isoformat()} | params
    return client.get(reverse(f"web:reports-ledger-{kind}"), query)


def book(user, kind: str, **params):
    response = download(user, kind, **params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows(sheet) -> list[list]:
    """The data rows (below the title, period and header rows)."""
    return [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def texts(workbook) -> str:
    return "\n".join(str(value) for sheet in workbook.worksheets
                     for row in sheet.iter_rows(values_only=True) for value in row
                     if value is not None)


TITLES = {
    "appeals": "中原区“我为群众办实事”群众诉求台账（村(社区)级）",
    "problems": "中原区“我为群众办实事”共性问题整改台账",
    "supervision": "中原区“我为群众办实事”督导检查台账",
    "study": "中原区党史学习教育学习活动台账",
    "matters": "中原区“我为群众办实事”实践活动项目清单台账",
}
COLUMNS = {"appeals": appeals.COLUMNS, "problems": problems.COLUMNS,
           "supervision": supervision.COLUMNS, "study": study.COLUMNS,
           "matters": matters.COLUMNS}


@pytest.mark.parametrize("kind", list(MODULES))
def test_each_ledger_has_the_offices_layout(d, ledgers_world, kind):
    sheet = book(d.dispatcher, kind).worksheets[0]
    assert sheet["A1"].value == TITLES[kind]
    assert sheet["A1"].font.bold
    assert sheet["A2"].value.startswith("统计期间：2026年03月05日至2026年03月31日　范围：中原区")
    assert sheet.freeze_panes == "B4"
    header = [cell.value for cell in sheet[3]]
    assert header == ["序号", *(title for title, _width in COLUMNS[kind])]
    widths = [sheet.column_dimensions[chr(ord("B") + i)].width for i in range(len(header) - 1)]
    assert widths == [float(width) for _title, width in COLUMNS[kind]]
    assert {str(r) for r in sheet.merged_cells.ranges} >= {f"A1:{sheet[3][-1].column_letter}1"}
    first = rows(sheet)[0]
    assert first[0] == 1
    assert sheet.cell(row=4, column=2).alignment.wrap_text


def test_appeals_ledger_by_level_with_cancel_marks(d, ledgers_world):
    w = ledgers_world
    workbook = book(d.dispatcher, "appeals")
    assert workbook.sheetnames == ["村(社区)", "街道(局委)", "区"]
    header = [title for title, _w in appeals.COLUMNS]
    by_sheet = {sheet.title: {row[1]: dict(zip(header, row[1:], strict=True))
                              for row in rows(sheet)} for sheet in workbook.worksheets}
    assert set(by_sheet["村(社区)"]) == {w["community_case"], w["sibling_case"]}
    assert set(by_sheet["街道(局委)"]) == {w["closed"]}
    assert set(by_sheet["区"]) == {w["district_case"]}  # not yet dispatched
    case = by_sheet["村(社区)"][w["community_case"]]
    assert case["诉求标题"] == FORMULA and case["诉求内容"] == LONG
    assert case["收集日期"] == wall(2026, 3, 10, 10, 0)
    assert case["诉求类别"] == "城乡建设/市政管理/路灯"
    assert case["办实事方向"] == d.aspect.name
    assert case["承办单位"] == "百花社区居委会" and case["办理层级"] == "社区"
    assert case["办理状态"] == "已派单" and case["销号"] == "未销号"
    assert case["诉求人"] == "张三" and case["联系电话"] == "13812341234"  # the dispatcher
    assert case["地点"].startswith("林山寨街道 百花社区 百花路12号院")
    done = by_sheet["街道(局委)"][w["closed"]]
    assert done["办理状态"] == "已办结" and done["销号"] == "已销号"
    assert done["群众评价"] == "满意" and done["答复内容"] == "已修复"
    assert done["问题是否解决"] == "解决" and not case["问题是否解决"] and not case["群众评价"]
    assert done["诉求内容"] == SCRIPT + EMOJI
    assert isinstance(done["答复日期"], dt.datetime)
    assert w["early"] not in texts(workbook)


def test_hostile_text_stays_text(d, ledgers_world):
    for kind, sheet_index, column in [("appeals", 0, 7), ("supervision", 0, 5),
                                      ("study", 0, 5), ("problems", 0, 13)]:
        sheet = book(d.dispatcher, kind).worksheets[sheet_index]
        cells = [row[column - 1] for row in sheet.iter_rows(min_row=4)
                 if row[column - 1].value == FORMULA]
        assert cells, kind
        assert all(cell.data_type == "s" for cell in cells), kind
        assert all(cell.quotePrefix for cell in cells), kind
    workbook = book(d.dispatcher, "matters")
    assert SCRIPT in texts(workbook) and EMOJI in texts(workbook)
    study_rows = rows(book(d.dispatcher, "study").worksheets[0])
    assert any(row[-1] == LONG for row in study_rows)


@pytest.mark.parametrize("role", ["street_staff", "leader", "cgj_staff"])
def test_names_and_phones_are_masked_for_those_who_may_not_see_them(d, ledgers_world, role):
    workbook = book(getattr(d, role), "appeals")
    content = texts(workbook)
    assert "13812341234" not in content and "张三" not in content
    if role == "cgj_staff":  # the handling unit sees its own resident in full
        assert "李四" in content and "13900001111" in content
    else:
        assert "李四" not in content and "13900001111" not in content
        # the leader sees the 城管局's case masked; the street does not see it at all
        assert ("李*" in content and "139****1111" in content) == (role == "leader")
    if role == "street_staff":
        row = next(r for r in rows(workbook["村(社区)"])
                   if r[1] == ledgers_world["community_case"])
        assert row[8:10] == ["张*", "138****1234"]


def test_the_handling_unit_sees_its_residents_unmasked(d, ledgers_world):
    content = texts(book(d.community_staff, "appeals"))
    assert "张三" in content and "13812341234" in content
    assert "李四" not in content  # the 城管局's case is not theirs to see


@pytest.mark.parametrize("kind", list(MODULES))
def test_a_street_gets_its_subtree_never_another_street(d, ledgers_world, kind):
    street = texts(book(d.street_staff, kind))
    assert SIBLING not in street
    assert "范围：林山寨街道办事处" in street
    assert SIBLING in texts(book(d.dispatcher, kind))
    sibling = texts(book(ledgers_world["other"].street_staff, kind))
    assert SIBLING in sibling and "林山寨" not in sibling.replace("范围：", "")


def test_what_each_role_sees_row_by_row(d, ledgers_world):
    def column(user, kind, index):
        return sorted(str(row[index]) for sheet in book(user, kind).worksheets
                      for row in rows(sheet))
    assert column(d.street_staff, "study", 4) == sorted([FORMULA, "参观纪念馆"])
    assert column(d.community_staff, "study", 4) == ["参观纪念馆"]
    assert column(d.dispatcher, "study", 4) == sorted([FORMULA, "参观纪念馆", f"{SIBLING}学习"])
    lecture = next(r for r in rows(book(d.street_staff, "study").worksheets[0])
                   if r[4] == FORMULA)
    assert lecture[1:4] == [wall(2026, 3, 11), "林山寨街道办事处", "宣讲"]
    assert lecture[5:10] == ["书记甲", "街道会议室", 100, 2, "否"]
    assert column(d.street_staff, "matters", 2) == ["加装电梯", "清理沿街违规户外广告"]
    assert column(d.community_staff, "matters", 2) == ["加装电梯"]
    matter = next(r for r in rows(book(d.street_staff, "matters").worksheets[0])
                  if r[2] == "清理沿街违规户外广告")
    assert matter[4:9] == ["规定动作", d.aspect.name, 50, 50, "处"]
    assert matter[11:14] == ["已销号", wall(2026, 3, 20), EMOJI]
    # supervision: a row per rectification item; the community sees its own item only
    items = rows(book(d.street_staff, "supervision").worksheets[0])
    assert [(r[1], r[7], r[10]) for r in items] == [
        (wall(2026, 3, 20), "公开栏更新", "整改中"),
        (wall(2026, 3, 20), "完善台账", "已整改")]
    assert items[1][6:] == ["较好", "完善台账", "林山寨街道办事处", wall(2026, 4, 30),
                            "已整改", wall(2026, 3, 28), "已补齐"]
    assert rows(book(d.community_staff, "supervision").worksheets[0]) == []
    # problems: open in the period, confirmed; the candidate and the one solved before never
    problem_rows = rows(book(d.street_staff, "problems").worksheets[0])
    assert [r[1] for r in problem_rows] == ["P-001"]
    assert problem_rows[0][2:12] == [
        SCRIPT, "百花路、百花社区", 1, "林山寨街道办事处", "整改中", "70%",
        "排查(计划2026-03-20) 100%\n改造(计划2026-04-30) 40%：施工中", "leader",
        wall(2026, 4, 30), None]
    assert [r[1] for r in rows(book(d.dispatcher, "problems").worksheets[0])] == [
        "P-001", "P-002"]


def test_the_period_filters_every_ledger(d, ledgers_world):
    later = {"start": "2026-02-01", "end": "2026-04-30"}
    assert "期前诉求" in texts(book(d.dispatcher, "appeals", **later))
    assert "期前诉求" not in texts(book(d.dispatcher, "appeals"))
    for kind, outside in [("supervision", "期后督导"), ("study", "期后学习"),
                          ("matters", "期前实事"), ("problems", "早已解决")]:
        assert outside not in texts(book(d.dispatcher, kind)), kind
    for kind, outside in [("supervision", "期后督导"), ("study", "期后学习"),
                          ("matters", "期前实事")]:
        assert outside in texts(book(d.dispatcher, kind, **later)), kind
    assert "早已解决" in texts(book(d.dispatcher, "problems", start="2026-01-10",
                                    end="2026-04-30"))
    # a period with nothing: the layout with no rows
    empty = book(d.dispatcher, "study", start="2025-01-01", end="2025-01-31").worksheets[0]
    assert rows(empty) == [] and empty["A1"].value == TITLES["study"]


def test_a_unit_narrows_and_one_outside_the_scope_is_404(d, ledgers_world):
    other = ledgers_world["other"]
    narrowed = book(d.dispatcher, "study", unit=other.street_unit.code)
    assert [r[4] for r in rows(narrowed.worksheets[0])] == [f"{SIBLING}学习"]
    assert narrowed.worksheets[0]["A1"].value == "中原西路街道办事处党史学习教育学习活动台账"
    sibling_appeals = book(d.dispatcher, "appeals", unit=other.street_unit.code)
    assert [r[1] for sheet in sibling_appeals.worksheets for r in rows(sheet)] == [
        ledgers_world["sibling_case"]]
    own = book(d.street_staff, "matters", unit=d.community_unit.code)
    assert [r[2] for r in rows(own.worksheets[0])] == ["加装电梯"]
    for kind in MODULES:
        assert download(d.street_staff, kind, unit=other.street_unit.code).status_code == 404
        assert download(d.street_staff, kind, unit="no-such-unit").status_code == 404
    page = login(Client(), d.street_staff.username)
    assert page.get(reverse("web:reports-ledgers"),
                    {"unit": other.street_unit.code}).status_code == 404


def test_the_page_lists_the_five_with_the_campaign_period(d, ledgers_world):
    client = login(Client(), d.street_staff.username)
    response = client.get(reverse("web:reports-ledgers"))
    assert response.status_code == 200
    html = response.content.decode()
    today = timezone.localdate().isoformat()
    for kind, module in MODULES.items():
        assert module.NAME in html
        assert f'{reverse(f"web:reports-ledger-{kind}")}?start=2026-03-05&amp;end={today}' in html
    # the unit picker offers the street's subtree only
    assert d.community_unit.code in html and ledgers_world["other"].street_unit.code not in html
    narrowed = client.get(reverse("web:reports-ledgers"),
                          {"start": "2026-03-05", "end": "2026-03-31",
                           "unit": d.community_unit.code}).content.decode()
    assert "unit=linshanzhai-01" in narrowed and "百花社区居委会" in narrowed


@pytest.mark.parametrize("name", ["web:reports-ledgers", "web:reports-ledger-appeals",
                                  "web:reports-ledger-study"])
@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-13-40", "end": "2026-03-31"}, "统计期起"),
    ({"start": "2026-03-05", "end": FORMULA}, "统计期止"),
    ({"start": SCRIPT, "end": "2026-03-31"}, "统计期起"),
    ({"start": "2026-03-31", "end": "2026-03-05"}, "统计期止"),
    ({"start": "２０２６－０３－０５", "end": LONG}, "统计期止"),
    ({"start": "2026-03-05\x00", "end": "2026-03-31"}, "“start”"),  # the NUL guard's words
])
def test_bad_periods_are_a_400_naming_the_field(d, ledgers_world, name, params, field):
    response = login(Client(), d.dispatcher.username).get(reverse(name), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert (f"{field}：" in html or field.startswith("“")) and field in html
    assert "<script>alert" not in html


def test_hostile_unit_codes_are_404_not_500(d, ledgers_world):
    client = login(Client(), d.dispatcher.username)
    for code in [SCRIPT, "' OR 1=1 --", EMOJI, LONG]:
        assert client.get(reverse("web:reports-ledger-matters"),
                          {"unit": code}).status_code == 404


def test_a_call_back_s_answers_fill_in_marked(d):
    from banshi.appeals.choices import Rating, Solved
    from banshi.reports.ledgers.appeals import answer

    assert answer("", "unsolved", Solved) == "未解决(回访)"
    assert answer("solved", "unsolved", Solved) == "解决"  # the resident's own answer wins
    assert answer("", "", Rating) == ""
    assert answer("", "basically_satisfied", Rating) == "基本满意(回访)"
