"""The ledger (台账) Excel export and `banshi export-ledger`."""

import datetime as dt
import zipfile
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from banshi.appeals import actions
from banshi.appeals.choices import State
from banshi.appeals.ledger import HEADERS, write_ledger
from banshi.appeals.models import Appeal

from .factories import HOSTILE, dispatched, in_progress, resolved, submitted

COL = {name: index for index, name in enumerate(HEADERS)}


def read_sheet(target) -> list[tuple]:
    book = load_workbook(target)
    assert book.sheetnames == ["台账", "分层级统计"]
    return list(book["台账"].iter_rows(values_only=True))


def by_number(rows: list[tuple]) -> dict[str, tuple]:
    return {row[COL["编号"]]: row for row in rows[1:]}


def local_naive(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def close_to(cell: dt.datetime, expected: dt.datetime) -> bool:
    """Excel keeps milliseconds at best."""
    return abs(cell - local_naive(expected)) < dt.timedelta(seconds=1)


def closed(d):
    appeal = resolved(d)
    return actions.record_feedback(appeal, solved="solved", rating="satisfied", actor=d.dispatcher)


def test_header_row_is_exact_bold_and_frozen(d, tmp_path):
    submitted(d)
    path = tmp_path / "ledger.xlsx"
    assert write_ledger(Appeal.objects.all(), path) == 1
    book = load_workbook(path)
    sheet = book["台账"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["H"].width >= 40  # 内容 is wide


def test_known_closed_appeal_row(d):
    appeal = closed(d)
    buffer = BytesIO()
    write_ledger(Appeal.objects.all(), buffer)
    row = by_number(read_sheet(BytesIO(buffer.getvalue())))[appeal.number]
    expected = {
        "渠道": "H5表单", "诉求人": "张*", "所在社区": "百花社区", "街道": "林山寨街道",
        "标题": "百花路路灯不亮", "内容": "百花路中段三盏路灯连续一周不亮。",
        "一级分类": "城乡建设", "二级分类": "市政管理", "三级分类": "路灯",
        "办实事方向": "破解城市建设管理难题办实事", "承办单位": "区城市管理局",
        "状态": "已办结", "是否超期": "否", "答复": "已修复路灯。", "评价": "满意",
        "问题是否解决": "解决",
    }
    assert {name: row[COL[name]] for name in expected} == expected
    appeal.refresh_from_db()
    for name, value in [("收到时间", appeal.collected_at), ("响应期限", appeal.response_due_at),
                        ("办理期限", appeal.handling_due_at), ("办结时间", appeal.resolved_at)]:
        assert isinstance(row[COL[name]], dt.datetime), name
        assert close_to(row[COL[name]], value), name


def test_answers_are_the_residents_else_the_call_backs(d):
    """评价 and 问题是否解决 as the metrics count them: the resident's own answers; where the
    resident gave none, the dispatcher's call-back's, marked (回访)."""
    own = closed(d)
    called = actions.call_back(resolved(d), actor=d.dispatcher, solved="partly_solved",
                               rating="basically_satisfied")
    silent = resolved(d)
    buffer = BytesIO()
    write_ledger(Appeal.objects.all(), buffer)
    rows = by_number(read_sheet(BytesIO(buffer.getvalue())))
    answers = {number: (row[COL["评价"]], row[COL["问题是否解决"]])
               for number, row in rows.items()}
    assert answers[own.number] == ("满意", "解决")
    assert answers[called.number] == ("基本满意(回访)", "部分解决(回访)")
    assert answers[silent.number] == (None, None)  # empty cells


def test_dates_are_local_excel_datetimes_with_minute_format(d, tmp_path):
    collected = dt.datetime(2024, 5, 1, 23, 30, tzinfo=dt.UTC)  # 07:30 next day in Shanghai
    appeal = submitted(d, collected_at=collected)
    path = tmp_path / "ledger.xlsx"
    write_ledger(Appeal.objects.all(), path)
    cell = load_workbook(path)["台账"].cell(row=2, column=COL["收到时间"] + 1)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm"
    assert cell.value == dt.datetime(2024, 5, 2, 7, 30)  # noqa: DTZ001
    assert appeal.number == load_workbook(path)["台账"]["A2"].value


def test_contact_name_is_always_masked(d, tmp_path):
    names = {"张三": "张*", "欧阳娜娜": "欧***", "": ""}
    numbers = {submitted(d, contact_name=name).number: masked for name, masked in names.items()}
    path = tmp_path / "ledger.xlsx"
    write_ledger(Appeal.objects.all(), path)
    rows = by_number(read_sheet(path))
    assert {number: rows[number][COL["诉求人"]] or "" for number in numbers} == numbers
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist())
    assert "张三".encode() not in xml and "欧阳娜娜".encode() not in xml


def test_overdue_flag(d, tmp_path):
    on_time = closed(d)
    flagged = dispatched(d, title="超期未接单")
    actions.mark_overdue(now=timezone.now() + dt.timedelta(days=60))
    late = in_progress(d, title="超期后才答复")
    Appeal.objects.filter(pk=late.pk).update(  # a deadline already past when it was answered
        handling_due_at=timezone.now() - dt.timedelta(days=1))
    late = actions.resolve(late, actor=d.cgj_staff, reply="已处理")
    path = tmp_path / "ledger.xlsx"
    write_ledger(Appeal.objects.all(), path)
    rows = by_number(read_sheet(path))
    flags = {number: rows[number][COL["是否超期"]]
             for number in (on_time.number, flagged.number, late.number)}
    assert flags == {on_time.number: "否", flagged.number: "是", late.number: "是"}


def test_formula_looking_text_stays_text(d, tmp_path):
    titles = ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(1,1)", "=HYPERLINK(\"http://x\",\"y\")"]
    for title in titles:
        submitted(d, title=title, content=title)
    path = tmp_path / "ledger.xlsx"
    write_ledger(Appeal.objects.all(), path)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(path)["台账"]
    cells = [sheet.cell(row=r, column=COL["标题"] + 1) for r in range(2, 2 + len(titles))]
    assert sorted(cell.value for cell in cells) == sorted(titles)
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.quotePrefix for cell in cells)


def test_hostile_strings_round_trip(d, tmp_path):
    numbers = {}
    for text in HOSTILE:
        appeal = submitted(d, title=text[:200], content=text, contact_name=text[:100])
        numbers[appeal.number] = text
    path = tmp_path / "ledger.xlsx"
    assert write_ledger(Appeal.objects.all(), path) == len(HOSTILE)
    rows = by_number(read_sheet(path))
    for number, text in numbers.items():
        assert rows[number][COL["标题"]] == text[:200]
        assert rows[number][COL["内容"]] == text
        assert rows[number][COL["诉求人"]] == text[0] + "***"
    calamine_rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert sorted(row[COL["内容"]] for row in calamine_rows[1:]) == sorted(HOSTILE)


def test_export_reads_related_rows_in_constant_queries(d, tmp_path,
                                                       django_assert_max_num_queries):
    for _ in range(6):
        closed(d)
    with django_assert_max_num_queries(3):  # the rows; the 分层级统计 counts and aspects
        assert write_ledger(Appeal.objects.all(), tmp_path / "ledger.xlsx") == 6


def run_export(tmp_path, *args) -> tuple[list[tuple], str]:
    path = tmp_path / "out.xlsx"
    out = StringIO()
    call_command("export_ledger", str(path), *args, stdout=out)
    return read_sheet(path)[1:], out.getvalue()


@pytest.fixture
def mixed(d):
    """One appeal in each of several states, channels, categories and dates."""
    return {
        "closed": closed(d),
        "submitted": submitted(d, channel="hotline", collected_at=dt.datetime(
            2024, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))),
        "dispatched_env": actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.zjj,
                                           category=d.cat_env),
    }


def test_command_filters_by_state(d, tmp_path, mixed):
    rows, output = run_export(tmp_path, "--state", "closed")
    assert [row[COL["编号"]] for row in rows] == [mixed["closed"].number]
    assert {row[COL["状态"]] for row in rows} == {State.CLOSED.label}
    assert "导出 1 条" in output and "out.xlsx" in output


def test_command_filters_combine(d, tmp_path, mixed):
    rows, _ = run_export(tmp_path, "--state", "submitted", "dispatched", "--channel", "hotline")
    assert [row[COL["编号"]] for row in rows] == [mixed["submitted"].number]
    rows, _ = run_export(tmp_path, "--category", "01")  # level 1 includes its descendants
    assert [row[COL["编号"]] for row in rows] == [mixed["closed"].number]
    rows, _ = run_export(tmp_path, "--unit", "zjj")
    assert [row[COL["编号"]] for row in rows] == [mixed["dispatched_env"].number]
    rows, _ = run_export(tmp_path, "--from", "2024-02-28", "--to", "2024-03-01")
    assert [row[COL["编号"]] for row in rows] == [mixed["submitted"].number]
    rows, _ = run_export(tmp_path, "--street", "410102001", "--aspect", "a4", "--overdue", "no")
    assert [row[COL["编号"]] for row in rows] == [mixed["closed"].number]
    rows, _ = run_export(tmp_path)
    assert len(rows) == 3


@pytest.mark.parametrize(("args", "option"), [
    (["--state", "bogus"], "--state"),
    (["--channel", "pigeon"], "--channel"),
    (["--from", "2024-13-01"], "--from"),
    (["--to", "yesterday"], "--to"),
    (["--aspect", "nope"], "--aspect"),
    (["--street", "000"], "--street"),
    (["--category", "99"], "--category"),
    (["--unit", "nobody"], "--unit"),
])
def test_command_names_the_bad_option(d, tmp_path, args, option):
    with pytest.raises(CommandError, match=option):
        call_command("export_ledger", str(tmp_path / "out.xlsx"), *args)
    assert not (tmp_path / "out.xlsx").exists()


def test_command_refuses_missing_directory_and_wrong_suffix(db, tmp_path):
    with pytest.raises(CommandError, match="目录不存在"):
        call_command("export_ledger", str(tmp_path / "missing" / "out.xlsx"))
    with pytest.raises(CommandError, match=".xlsx"):
        call_command("export_ledger", str(tmp_path / "out.csv"))


def test_emoji_text_is_cut_to_excels_limit_in_utf16_units(d, tmp_path):
    # 20,000 emoji pass the 20,000-character limit but are 40,000 UTF-16 units: over the
    # 32,767 Excel allows in a cell, so Excel would refuse the file.
    emoji = "😀" * 20000
    submitted(d, content=emoji)
    path = tmp_path / "ledger.xlsx"
    write_ledger(Appeal.objects.all(), path)
    content = read_sheet(path)[1][COL["内容"]]
    assert len(content.encode("utf-16-le")) // 2 <= 32767
    assert content.endswith("😀…") and set(content[:-1]) == {"😀"}
