"""Importing appeals from spreadsheets (`banshi import-appeals`)."""

import csv
import datetime as dt
import re
import time
from io import BytesIO, StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from openpyxl import Workbook

from banshi.appeals import actions
from banshi.appeals.choices import Channel, State
from banshi.appeals.ledger import HEADERS, import_appeals, write_ledger
from banshi.appeals.ledger import importer as importer_module
from banshi.appeals.ledger.importer import parse_when
from banshi.appeals.models import Appeal, AppealEvent, DailyCounter
from banshi.lib.spreadsheet import CellError, clean_line, clean_text
from banshi.org.choices import RegionLevel
from banshi.org.models import Region

from .datasets import messageboard
from .factories import HOSTILE, resolved

SHANGHAI = ZoneInfo("Asia/Shanghai")
BOARD_HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间"]
LEDGER_HEADER = ["收到时间", "诉求人", "所在社区", "街道", "标题", "内容", "渠道",
                 "一级分类", "二级分类", "三级分类", "办实事方向"]


def shanghai(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def write_xlsx(path: Path, header: list, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, header: list, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def ledger_row(title="百花路路灯不亮", content="路灯连续一周不亮", when="2024-05-01 09:30",
               name="张三", community="百花社区", street="林山寨街道", channel="座谈会",
               levels=("城乡建设", "市政管理", "路灯"), aspect="a4") -> list:
    return [when, name, community, street, title, content, channel, *levels, aspect]


def ten_rows_with_three_bad() -> list[list]:
    rows = [ledger_row(title=f"诉求{n}", content=f"内容{n}") for n in range(10)]
    rows[2] = ledger_row(title="", content="  \t ")  # sheet row 4
    rows[5] = ledger_row(title="日期不对", when="2019/13/45 10:00")  # sheet row 7
    rows[7] = ledger_row(title="社区不对", community="不存在社区")  # sheet row 9
    return rows


def test_ten_rows_three_bad(d, tmp_path):
    path = write_xlsx(tmp_path / "appeals.xlsx", LEDGER_HEADER, ten_rows_with_three_bad())
    report = import_appeals(path, filename=path.name)
    assert (report.total, report.imported, report.skipped, report.rolled_back) == (10, 7, [], False)
    assert [(e.row, e.column) for e in report.errors] == [(4, "标题"), (7, "收到时间"),
                                                          (9, "所在社区")]
    assert "不存在社区" in report.errors[2].message
    appeals = Appeal.objects.order_by("id")
    assert sorted(report.numbers) == sorted(a.number for a in appeals)
    assert [a.title for a in appeals] == [f"诉求{n}" for n in (0, 1, 3, 4, 6, 8, 9)]
    first = appeals[0]
    assert (first.state, first.channel, first.region, first.category, first.aspect) == (
        State.SUBMITTED, Channel.SYMPOSIUM, d.community, d.cat_city_3, d.aspect)
    assert (first.contact_name, first.collected_at) == ("张三", shanghai(2024, 5, 1, 9, 30))
    event = AppealEvent.objects.get(appeal=first)
    assert (event.actor, event.actor_label, event.to_state) == (None, "批量导入", "submitted")


def test_all_or_nothing_writes_nothing(d, tmp_path):
    path = write_xlsx(tmp_path / "appeals.xlsx", LEDGER_HEADER, ten_rows_with_three_bad())
    report = import_appeals(path, filename=path.name, all_or_nothing=True)
    assert (report.imported, report.rolled_back, report.numbers) == (0, True, [])
    assert len(report.errors) == 3
    assert not Appeal.objects.exists()


@pytest.fixture
def fail_third_submit(monkeypatch):
    """The real submit_appeal, except that the third call fails the way the caller says."""
    real, calls = actions.submit_appeal, []

    def install(error: Exception):
        def submit(**kwargs):
            calls.append(kwargs["title"])
            if len(calls) == 3:
                raise error
            return real(**kwargs)
        monkeypatch.setattr(importer_module.actions, "submit_appeal", submit)
    return install


def test_all_or_nothing_rolls_back_a_failure_while_writing(d, tmp_path, fail_third_submit):
    fail_third_submit(actions.InvalidInput("标题含有敏感内容", "title"))
    rows = [ledger_row(title=f"诉求{n}") for n in range(5)]
    path = write_xlsx(tmp_path / "appeals.xlsx", LEDGER_HEADER, rows)
    report = import_appeals(path, filename=path.name, all_or_nothing=True)
    assert (report.imported, report.rolled_back) == (0, True)
    errors = [(e.row, e.column, e.message) for e in report.errors]
    assert errors == [(4, "标题", "标题含有敏感内容")]
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()
    assert not DailyCounter.objects.filter(last__gt=0).exists()


def test_a_failing_row_while_writing_keeps_the_others(d, tmp_path, fail_third_submit):
    fail_third_submit(actions.InvalidInput("标题含有敏感内容", "title"))
    rows = [ledger_row(title=f"诉求{n}") for n in range(5)]
    path = write_xlsx(tmp_path / "appeals.xlsx", LEDGER_HEADER, rows)
    report = import_appeals(path, filename=path.name)
    assert (report.imported, report.rolled_back) == (4, False)
    assert [(e.row, e.column) for e in report.errors] == [(4, "标题")]
    assert Appeal.objects.count() == 4


def test_a_database_failure_rolls_back_its_batch(d, tmp_path, fail_third_submit, monkeypatch):
    fail_third_submit(DatabaseError("disk full"))
    monkeypatch.setattr(importer_module, "BATCH", 2)
    rows = [ledger_row(title=f"诉求{n}") for n in range(5)]
    path = write_xlsx(tmp_path / "appeals.xlsx", LEDGER_HEADER, rows)
    report = import_appeals(path, filename=path.name)
    # Batches: rows 2-3 kept, rows 4-5 rolled back (row 4 failed), row 6 kept.
    assert sorted(Appeal.objects.values_list("title", flat=True)) == ["诉求0", "诉求1", "诉求4"]
    assert report.imported == 3 and len(report.numbers) == 3
    assert [(e.row, e.column) for e in report.errors] == [(4, "数据库")]
    assert "disk full" not in report.errors[0].message


@pytest.mark.parametrize(("cells", "column", "words"), [
    ({"levels": ("城乡建设", "不存在", "")}, "二级分类", "城乡建设"),
    ({"levels": ("不存在", "", "")}, "一级分类", "不存在"),
    ({"levels": ("", "市政管理", "")}, "一级分类", "不能为空"),
    ({"levels": ("城乡建设", "", "路灯")}, "二级分类", "不能为空"),
    ({"street": "不存在街道"}, "街道", "不存在街道"),
    ({"street": "另一街道"}, "街道", "不属于"),
    ({"community": "同名社区", "street": ""}, "所在社区", "多个"),
    ({"channel": "飞鸽传书"}, "渠道", "飞鸽传书"),
    ({"aspect": "不存在方向"}, "办实事方向", "不存在方向"),
    ({"title": "长" * 201}, "标题", "200"),
    ({"name": "名" * 101}, "诉求人", "100"),
    ({"when": ""}, "收到时间", "不能为空"),
    ({"when": "2099-01-01"}, "收到时间", "晚于"),
    ({"when": "上周三"}, "收到时间", "无法识别"),
])
def test_each_bad_cell_is_named(d, tmp_path, cells, column, words):
    other = Region.objects.create(code="410102002", name="另一街道", level=RegionLevel.STREET,
                                  parent=d.district)
    for street in (d.street, other):
        Region.objects.create(code=f"{street.code}099", name="同名社区",
                              level=RegionLevel.COMMUNITY, parent=street)
    path = write_xlsx(tmp_path / "a.xlsx", LEDGER_HEADER, [ledger_row(**cells)])
    report = import_appeals(path, filename=path.name)
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert words in report.errors[0].message
    assert report.imported == 0


def test_ledger_lookups_by_code_and_partial_category(d, tmp_path):
    twin = Region.objects.create(code="410102002", name="另一街道", level=RegionLevel.STREET,
                                 parent=d.district)
    other_baihua = Region.objects.create(code="410102002001", name="百花社区",
                                         level=RegionLevel.COMMUNITY, parent=twin)
    rows = [
        ledger_row(community="410102001002", street="", channel="hotline",
                   levels=("城乡建设", "", ""), aspect="破解城市建设管理难题办实事"),
        ledger_row(community="百花社区", street="另一街道", channel="", levels=("", "", ""),
                   aspect=""),
    ]
    path = write_xlsx(tmp_path / "a.xlsx", LEDGER_HEADER, rows)
    report = import_appeals(path, filename=path.name)
    assert report.errors == [] and report.imported == 2
    first, second = Appeal.objects.order_by("id")
    assert (first.region, first.channel, first.category, first.aspect) == (
        d.community2, Channel.HOTLINE, d.cat_city, d.aspect)
    assert (second.region, second.channel, second.category, second.aspect) == (
        other_baihua, Channel.IMPORT, None, None)


def test_title_or_content_may_stand_in_for_the_other(d, tmp_path):
    body = "百花路中段三盏路灯连续一周不亮，晚上出行很不方便，希望有关部门尽快修复，谢谢！"
    rows = [ledger_row(title="", content=body), ledger_row(title="只有标题", content="")]
    path = write_xlsx(tmp_path / "a.xlsx", LEDGER_HEADER, rows)
    assert import_appeals(path, filename=path.name).imported == 2
    first, second = Appeal.objects.order_by("id")
    assert (first.title, first.content) == (body[:30], body)
    assert (second.title, second.content) == ("只有标题", "只有标题")


DIRTY = ("\n\t\t\t\t\t\n\t\t\t\t\t您好!\xa0针对小区\u3000改建  架空层"
         "\r\n\u3000\u3000第二段。\n\t\t\t\t\t\n\t\t")


def test_dirty_whitespace_and_mixed_date_cells_are_cleaned(d, tmp_path):
    whens = ["2019/4/25 9:32:09", "2019/4/25  9:32:09", "2019-04-25 09:32", "2019-04-25",
             dt.datetime(2019, 4, 8, 8, 37, 20), dt.date(2019, 4, 9), " 2019年4月25日 "]  # noqa: DTZ001
    rows = [[1000 + n, "A0001", f"\u3000主题 {n}\t", when, DIRTY, "", ""]
            for n, when in enumerate(whens)]
    path = write_xlsx(tmp_path / "board.xlsx", BOARD_HEADER, rows)
    report = import_appeals(path, filename=path.name)
    assert report.errors == [] and report.imported == len(whens)
    appeals = list(Appeal.objects.order_by("id"))
    assert [a.collected_at for a in appeals] == [
        shanghai(2019, 4, 25, 9, 32, 9), shanghai(2019, 4, 25, 9, 32, 9),
        shanghai(2019, 4, 25, 9, 32), shanghai(2019, 4, 25), shanghai(2019, 4, 8, 8, 37, 20),
        shanghai(2019, 4, 9), shanghai(2019, 4, 25)]
    assert {a.content for a in appeals} == {"您好! 针对小区 改建 架空层\n第二段。"}
    assert [a.title for a in appeals] == [f"主题 {n}" for n in range(len(whens))]


@pytest.mark.parametrize(("value", "expected"), [
    ("2019/4/25 9:32:09", shanghai(2019, 4, 25, 9, 32, 9)),
    ("2019-04-25\u300009:32", shanghai(2019, 4, 25, 9, 32)),
    ("2019.4.5", shanghai(2019, 4, 5)),
    ("2019-04-25T09:32:00+00:00", shanghai(2019, 4, 25, 17, 32)),
    (43580.5, shanghai(2019, 4, 25, 12, 0)),
])
def test_parse_when_shapes(value, expected):
    assert parse_when(value) == expected


@pytest.mark.parametrize("value", ["", None, "2019/2/30", "25/4/2019", "明天", 7.0, "2999-1-1"])
def test_parse_when_refuses(value):
    with pytest.raises(CellError):
        parse_when(value)


def test_cleaning_functions():
    assert clean_line(" a\u3000\u3000b\xa0\n c ") == "a b c"
    assert clean_line(2549.0) == "2549"
    dirty = "\n\t第一段\t\t正文\r\n\r\n\u3000\u3000第二段\u200b \n"
    assert clean_text(dirty) == "第一段 正文\n第二段"


def board_rows() -> list[list]:
    return [
        [2549, "A00045581", "景蓉华苑物业管理有问题", "2019/4/25 9:32:09", "物业扬言要退出小区",
         "已转物业科处理", "2019/5/10 14:56:53"],
        [2554, "A00023583", "", "2019/4/24 16:03:40",
         "潇楚南路从2018年开始修，到现在都快一年了，路挖得稀烂用围栏围起，一直不怎么动工", "", ""],
        [2555, "A00031618", "幼儿园教师待遇", "2019/4/24 15:40:04", "\n\t\t\n", "", ""],
    ]


def test_message_board_format(d, tmp_path):
    path = write_xlsx(tmp_path / "board.xlsx", BOARD_HEADER, board_rows())
    report = import_appeals(path, filename=path.name)
    assert (report.imported, report.errors, report.skipped) == (3, [], [])
    first, second, third = Appeal.objects.order_by("id")
    assert (first.external_id, first.contact_name, first.channel, first.title, first.content,
            first.collected_at, first.state, first.reply) == (
        "2549", "A00045581", Channel.PLATFORM, "景蓉华苑物业管理有问题", "物业扬言要退出小区",
        shanghai(2019, 4, 25, 9, 32, 9), State.SUBMITTED, "")
    assert second.title == "潇楚南路从2018年开始修，到现在都快一年了，路挖得稀烂用围"  # 30 chars
    assert (third.title, third.content) == ("幼儿园教师待遇", "幼儿园教师待遇")


def test_message_board_first_level_label_sets_a_known_category(d, tmp_path):
    header = ["留言编号", "留言主题", "留言时间", "留言详情", "一级标签", "点赞数"]
    rows = [[1, "路灯", "2020-01-02", "路灯坏了", "城乡建设", 3],
            [2, "学校", "2020-01-02", "学校太远", "教育文体", 0]]
    path = write_xlsx(tmp_path / "board.xlsx", header, rows)
    assert import_appeals(path, filename=path.name).imported == 2
    assert list(Appeal.objects.order_by("id").values_list("category", flat=True)) == [
        d.cat_city.pk, None]
    assert list(Appeal.objects.order_by("id").values_list("likes", flat=True)) == [3, 0]


def test_duplicate_message_numbers_are_skipped(d, tmp_path):
    rows = board_rows()
    same_text = list(rows[0])
    same_text[0] = 9999  # identical text under another number is a different message
    rows += [list(rows[0]), same_text]
    path = write_xlsx(tmp_path / "board.xlsx", BOARD_HEADER, rows)
    report = import_appeals(path, filename=path.name)
    assert (report.total, report.imported, report.errors) == (5, 4, [])
    assert [(s.row, s.column) for s in report.skipped] == [(5, "留言编号")]
    assert "第2行" in report.skipped[0].message

    again = import_appeals(path, filename=path.name, all_or_nothing=True)
    assert (again.imported, again.errors, again.rolled_back) == (0, [], False)
    assert sorted(s.row for s in again.skipped) == [2, 3, 4, 5, 6]
    assert Appeal.objects.count() == 4


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv(d, tmp_path, encoding):
    rows = [ledger_row(title="CSV诉求", when="2024/5/1 9:30"), ledger_row(community="无此社区")]
    path = write_csv(tmp_path / "appeals.csv", LEDGER_HEADER, rows, encoding)
    report = import_appeals(path, filename=path.name)
    assert report.imported == 1
    assert [(e.row, e.column) for e in report.errors] == [(3, "所在社区")]
    appeal = Appeal.objects.get()
    assert (appeal.title, appeal.region, appeal.collected_at) == (
        "CSV诉求", d.community, shanghai(2024, 5, 1, 9, 30))


def test_file_objects_are_read(d, tmp_path):
    path = write_xlsx(tmp_path / "board.xlsx", BOARD_HEADER, board_rows())
    report = import_appeals(BytesIO(path.read_bytes()), filename="上传.XLSX")
    assert report.imported == 3
    text = "留言编号,留言主题,留言时间,留言详情\r\n7,标题,2020-01-01,内容\r\n"
    report = import_appeals(BytesIO(text.encode("gb18030")), filename="upload.csv")
    assert report.imported == 1


def test_unreadable_files_and_headers_are_reported(d, tmp_path):
    cases = [
        (BytesIO(b"not a zip"), "a.xlsx", (0, "文件")),
        (BytesIO(b"%PDF-1.4"), "a.pdf", (0, "文件")),
        (BytesIO("姓名,电话\n张三,1\n".encode()), "a.csv", (1, "表头")),
        (BytesIO("标题,内容\n甲,乙\n".encode()), "a.csv", (1, "表头")),
        (BytesIO(b""), "a.csv", (1, "表头")),
    ]
    for source, filename, where in cases:
        report = import_appeals(source, filename=filename)
        assert [(e.row, e.column) for e in report.errors] == [where], filename
        assert report.imported == 0
    assert "收到时间" in import_appeals(
        BytesIO("标题,内容\n甲,乙\n".encode()), filename="a.csv").errors[0].message


def test_nul_and_control_characters_never_reach_the_database(d, tmp_path):
    # PostgreSQL refuses NUL in text; a CSV may carry it, and Python's csv module keeps it.
    rows = [ledger_row(title="路灯\x00不亮", content="第一段\x00\x1b\n第二段", name="张\x00三")]
    path = write_csv(tmp_path / "nul.csv", LEDGER_HEADER, rows)
    report = import_appeals(path, filename=path.name)
    assert (report.imported, report.errors) == (1, [])
    appeal = Appeal.objects.get()
    assert (appeal.title, appeal.content, appeal.contact_name) == ("路灯不亮", "第一段\n第二段",
                                                                  "张三")


@pytest.mark.parametrize("when", ["0001-01-01", "0001-01-01 00:00", "9999-12-31 23:59",
                                  "0001-01-01T00:00:00+14:00", "1899-12-31"])
def test_years_out_of_range_are_a_cell_error(d, tmp_path, when):
    path = write_csv(tmp_path / "years.csv", LEDGER_HEADER, [ledger_row(when=when)])
    report = import_appeals(path, filename=path.name)
    assert [(e.row, e.column) for e in report.errors] == [(2, "收到时间")]
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("likes", ["inf", "1e400", "-inf", "nan", "-5", "9" * 30])
def test_unreadable_like_counts_are_bounded(d, tmp_path, likes):
    header = ["留言编号", "留言主题", "留言时间", "留言详情", "点赞数"]
    path = write_csv(tmp_path / "board.csv", header, [[1, "路灯", "2020-01-02", "路灯坏了", likes]])
    assert import_appeals(path, filename=path.name).imported == 1
    assert 0 <= Appeal.objects.get().likes <= 2**31 - 1


def test_a_sheet_spanning_the_whole_grid_is_refused_not_a_crash(d, tmp_path):
    # calamine allocates the sheet's whole extent: 1,048,576 × 16,384 cells would abort the
    # server process. The 5 kB file is refused with a message instead.
    book = Workbook()
    sheet = book.active
    sheet.append(["收到时间", "标题"])
    sheet["XFD1048576"] = "x"
    path = tmp_path / "huge.xlsx"
    book.save(path)
    report = import_appeals(BytesIO(path.read_bytes()), filename=path.name)
    assert [(e.row, e.column) for e in report.errors] == [(0, "文件")]
    assert "范围过大" in report.errors[0].message


def test_a_title_line_above_the_header_is_passed_over(d, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["2024年5月群众诉求台账"])
    sheet.append([])
    for row in [LEDGER_HEADER, ledger_row(), ledger_row(when="不是日期")]:
        sheet.append(row)
    book.save(tmp_path / "titled.xlsx")
    report = import_appeals(tmp_path / "titled.xlsx", filename="titled.xlsx")
    assert (report.total, report.imported) == (2, 1)
    assert [(e.row, e.column) for e in report.errors] == [(5, "收到时间")]


def test_a_user_without_entry_rights_is_refused(d, tmp_path):
    path = write_xlsx(tmp_path / "board.xlsx", BOARD_HEADER, board_rows())
    with pytest.raises(actions.NotPermitted):
        import_appeals(path, filename=path.name, actor=d.leader)
    report = import_appeals(path, filename=path.name, actor=d.community_staff)
    assert report.imported == 3
    appeal = Appeal.objects.first()
    assert (appeal.created_by, appeal.collector_unit) == (d.community_staff, d.community_unit)
    assert AppealEvent.objects.filter(actor=d.community_staff).count() == 3


def test_hostile_strings_through_import(d, tmp_path):
    rows = [ledger_row(title=text, content=text, name=text[:100]) for text in HOSTILE]
    path = write_xlsx(tmp_path / "hostile.xlsx", LEDGER_HEADER, rows)
    report = import_appeals(path, filename=path.name)
    long_rows = [n + 2 for n, text in enumerate(HOSTILE) if len(text) > 200]
    assert [(e.row, e.column) for e in report.errors] == [(row, "标题") for row in long_rows]
    stored = {a.title: a for a in Appeal.objects.all()}
    for text in HOSTILE:
        if len(text) <= 200:
            appeal = stored[clean_line(text)]
            assert (appeal.content, appeal.contact_name) == (clean_text(text), clean_line(text))
    assert stored["<script>alert('x')</script>"].content == "<script>alert('x')</script>"


def test_exported_ledger_imports_back(d, tmp_path):
    original = actions.record_feedback(resolved(d), solved="solved",
                                       rating="satisfied", actor=d.dispatcher)
    path = tmp_path / "ledger.xlsx"
    write_ledger(Appeal.objects.all(), path)
    assert HEADERS[0] == "编号"
    report = import_appeals(path, filename=path.name)
    assert (report.imported, report.errors) == (1, [])
    copy = Appeal.objects.get(number=report.numbers[0])
    assert (copy.title, copy.content, copy.region, copy.category, copy.aspect, copy.channel) == (
        original.title, original.content, original.region, original.category, original.aspect,
        original.channel)
    assert copy.contact_name == "张*"  # the ledger never carries the full name
    assert copy.collected_at.replace(second=0, microsecond=0) == original.collected_at.replace(
        second=0, microsecond=0)
    assert (copy.state, copy.unit, copy.reply) == (State.SUBMITTED, None, "")


def run(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("import_appeals", *map(str, args), stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_command_output_and_exit_status(d, tmp_path):
    path = write_xlsx(tmp_path / "appeals.xlsx", LEDGER_HEADER, ten_rows_with_three_bad())
    output, failure = run(path)
    assert failure is None
    lines = output.splitlines()
    assert lines[0] == "导入 7 条，跳过 0 条，错误 3 条"
    assert lines[1] == "第4行 标题: 标题和内容不能都为空"
    assert lines[2].startswith("第7行 收到时间: ") and lines[3].startswith("第9行 所在社区: ")

    output, failure = run(path, "--all-or-nothing")
    assert failure is not None and "回滚" in str(failure)
    assert output.startswith("导入 0 条，跳过 0 条，错误 3 条")
    assert Appeal.objects.count() == 7


def test_command_fails_when_nothing_was_imported(d, tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", LEDGER_HEADER, [ledger_row(when="昨天")] * 205)
    output, failure = run(path)
    assert failure is not None
    lines = output.splitlines()
    assert lines[0] == "导入 0 条，跳过 0 条，错误 205 条"
    assert len(lines) == 1 + 200 + 1 and lines[-1] == "……另有 5 条错误未列出"


def test_command_user_option(d, tmp_path):
    path = write_xlsx(tmp_path / "board.xlsx", BOARD_HEADER, board_rows())
    assert run(path, "--user", "nobody")[1] is not None
    assert "不能录入" in str(run(path, "--user", "leader")[1])
    output, failure = run(path, "--user", "dispatcher")
    assert failure is None and output.startswith("导入 3 条")
    assert set(Appeal.objects.values_list("created_by__username", flat=True)) == {"dispatcher"}
    output, failure = run(path)
    assert failure is None and output.startswith("导入 0 条，跳过 3 条，错误 0 条")
    assert run(tmp_path / "missing.xlsx")[1] is not None


@pytest.mark.slow
def test_real_message_board_file_imports_completely(db):
    dataset = messageboard("messages_with_replies.xlsx")
    started = time.perf_counter()
    report = import_appeals(dataset, filename=dataset.name)
    elapsed = time.perf_counter() - started
    print(f"imported {report.imported} of {report.total} in {elapsed:.1f}s; "
          f"skipped {len(report.skipped)}; errors: {[str(e) for e in report.errors]}")
    assert report.total == 2816
    assert report.imported + len(report.skipped) + len(report.error_rows) == report.total
    assert report.errors == []
    assert Appeal.objects.count() == report.imported
    dirty = re.compile(r"^\s|\s$|[\t\r\u3000\xa0]|  ")
    assert not [c for c in Appeal.objects.values_list("content", flat=True) if dirty.search(c)]
