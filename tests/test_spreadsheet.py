"""banshi.lib.spreadsheet on its own: formats, encodings, cleaning, dates, writing, no Django."""

import datetime as dt
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from banshi.lib.spreadsheet import (
    EXCEL_CELL_LIMIT,
    CellError,
    SheetWriter,
    UnreadableFile,
    cell_count,
    cell_text,
    clean_line,
    clean_text,
    header_names,
    headline,
    parse_datetime,
    read_rows,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROWS = [["标题", "点赞数", "时间"], ["路灯不亮", 3, "2019/4/25 9:32:09"]]


def naive(*args) -> dt.datetime:
    return dt.datetime(*args)  # noqa: DTZ001


# --- reading ---------------------------------------------------------------------------------

def xlsx(path: Path, rows: dict[int, list]) -> Path:
    """An xlsx with the given {row number: values}; other rows stay empty."""
    book = Workbook()
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            book.active.cell(row=number, column=column, value=value)
    book.save(path)
    return path


def ods(path: Path, rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves), written by hand."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def cell(value) -> str:
        kind = (f'office:value-type="float" office:value="{value}"'
                if isinstance(value, int) else 'office:value-type="string"')
        return f"<table:table-cell {kind}><text:p>{value}</text:p></table:table-cell>"

    body = "".join("<table:table-row>" + ("".join(map(cell, row)) or "<table:table-cell/>")
                   + "</table:table-row>" for row in rows)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
               f'office:version="1.2"><office:body><office:spreadsheet><table:table '
               f'table:name="S">{body}</table:table></office:spreadsheet></office:body>'
               f"</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def test_xlsx_rows_keep_the_sheets_numbers_and_types(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", {
        3: ROWS[0], 5: [*ROWS[1][:2], naive(2019, 4, 25, 9, 32)], 6: ["\u3000", None, " "],
        7: ["尾行", True, dt.date(2020, 1, 2)]})
    expected = [(3, ROWS[0]), (5, ["路灯不亮", 3.0, naive(2019, 4, 25, 9, 32)]),
                (7, ["尾行", True, dt.date(2020, 1, 2)])]
    assert list(read_rows(path)) == expected
    assert list(read_rows(str(path))) == expected
    assert list(read_rows(BytesIO(path.read_bytes()), "上传.XLSX")) == expected


def test_ods_is_read(tmp_path):
    path = ods(tmp_path / "a.ods", [["标题", "点赞数"], [], ["路灯", 3]])
    assert list(read_rows(path)) == [(1, ["标题", "点赞数"]), (3, ["路灯", 3.0])]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    text = "标题,点赞数,时间\r\n\r\n\"路灯\n不亮\",3,2019/4/25 9:32:09\r\n"
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode(encoding))  # Python's utf-16 writes a BOM, as Excel does
    assert list(read_rows(path)) == [(1, ROWS[0]), (3, ["路灯\n不亮", "3", "2019/4/25 9:32:09"])]


@pytest.mark.parametrize(("name", "text"), [
    ("a.tsv", "标题\t点赞数\n路灯, 不亮\t3\n"),
    ("a.txt", "标题\t点赞数\n路灯, 不亮\t3\n"),  # Excel's "Unicode text": tabs, no commas
])
def test_tab_separated(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert [row for _, row in read_rows(path)] == [["标题", "点赞数"], ["路灯, 不亮", "3"]]


def test_nul_in_a_csv_cell_is_read_and_cleaned_away(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("标题\n路灯\x00不亮\n".encode())
    [_, (_, [cell])] = list(read_rows(path))
    assert clean_line(cell) == "路灯不亮"


@pytest.mark.parametrize(("name", "data", "words"), [
    ("a.pdf", b"%PDF-1.4", "不支持的文件类型“.pdf”"),
    ("noext", b"", "不支持的文件类型“noext”"),
    ("a.xlsx", b"not a zip", "无法读取表格文件"),
    ("a.ods", b"PK\x03\x04broken", "无法读取表格文件"),
    ("a.csv", b"\xff\xfe\xff", "无法识别CSV文件的编码"),  # a UTF-16 BOM, then half a unit
    ("a.csv", b"\x81\x30", "无法识别CSV文件的编码"),  # a GB18030 sequence cut short
])
def test_unreadable_files_say_why_in_chinese(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as caught:
        list(read_rows(path))
    assert words in caught.value.message


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(UnreadableFile, match="文件不存在"):
        read_rows(tmp_path / "none.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    assert list(read_rows(tmp_path / "empty.csv")) == []


def test_a_sheet_spanning_the_grid_is_refused_before_calamine_lays_it_out(tmp_path):
    huge = xlsx(tmp_path / "huge.xlsx", {1: ["x"]})
    book = load_workbook(huge)
    book.active["ZZ20000"] = "y"  # 702 columns × 20,000 rows = 14 million cells
    book.save(huge)
    with pytest.raises(UnreadableFile, match="第20000行、第702列"):
        read_rows(BytesIO(huge.read_bytes()), "huge.xlsx")
    styled = load_workbook(huge)
    styled.active["ZZ20000"] = None  # an empty, merely styled cell does not count
    styled.active["ZZ20000"].style = "Note"
    styled.save(huge)
    assert [row[0] for _, row in read_rows(huge)] == ["x"]


def crafted_sheet(tmp_path, sheet_data: str) -> Path:
    """An xlsx whose first sheet's <sheetData> is `sheet_data` (the x: prefix declared)."""
    plain = xlsx(tmp_path / "plain.xlsx", {1: ["x"]})
    crafted = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(crafted, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start, end = text.index("<sheetData"), text.index("</sheetData>") + 12
                text = text[:start] + sheet_data + text[end:]
                data = text.replace("<worksheet ", '<worksheet xmlns:x="http://schemas.'
                                    'openxmlformats.org/spreadsheetml/2006/main" ').encode()
            target.writestr(item, data)
    return crafted


def test_cells_without_a_reference_count_at_their_rows_number(tmp_path):
    """Cells may leave out r=; they sit in their row, which may be far down (any prefix)."""
    crafted = crafted_sheet(tmp_path, (
        '<x:sheetData><x:row r="1"><x:c r="ZZ1" t="inlineStr"><x:is><x:t>x</x:t>'
        '</x:is></x:c></x:row><x:row r="1000000"><x:c t="inlineStr"><x:is><x:t>y'
        '</x:t></x:is></x:c></x:row></x:sheetData>'))
    with pytest.raises(UnreadableFile, match="第1000000行、第702列"):
        read_rows(crafted)


@pytest.mark.parametrize("empty", ['<x:c r="ZZ1000000" s="1"/>',
                                   '<x:c r="ZZ1000000" s="1" t="n"></x:c>',
                                   '<x:c s="1" t="n">\n</x:c>'])
def test_empty_styled_cells_far_out_do_not_count(tmp_path, empty):
    """Excel and openpyxl without lxml write an empty styled cell self-closing; openpyxl
    through lxml writes it open and closed at once. Neither is content."""
    crafted = crafted_sheet(tmp_path, (
        '<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>x</x:t></x:is>'
        f'</x:c></x:row><x:row r="1000000">{empty}</x:row></x:sheetData>'))
    assert [row[0] for _, row in read_rows(crafted)] == ["x"]


# --- cleaning --------------------------------------------------------------------------------

def test_cell_text():
    assert [cell_text(v) for v in (None, 2549.0, 0.5, True, False, 7, "x")] == [
        "", "2549", "0.5", "是", "否", "7", "x"]
    assert cell_text(naive(2019, 4, 25, 9, 32)) == "2019-04-25 09:32:00"
    assert cell_text(dt.date(2019, 4, 25)) == "2019-04-25"


def test_clean_line_and_text():
    assert clean_line(" a\u3000\u3000b\xa0\n c\u200b ") == "a b c"
    dirty = "\n\t第一段\t\t正文\r\n\r\n\u3000\u3000第二段\u2028第三段\n"
    assert clean_text(dirty) == "第一段 正文\n第二段\n第三段"
    assert headline("\n  " + "一二三四五六七八九十" * 4, 12) == "一二三四五六七八九十一二"


def test_emoji_and_full_width_text_are_kept_as_written():
    text = "ＡＢＣ１２３，小区😀👨‍👩‍👧 噪音"
    assert clean_line(text) == text and clean_text(text) == text


def test_nul_controls_and_lone_surrogates_are_removed():
    dirty = "路\x00灯\x07不\x1b亮\x7f\ud800"
    assert clean_line(dirty) == clean_text(dirty) == "路灯不亮"
    clean_line(dirty).encode("utf-8")  # a database can store it


def test_header_names():
    names = header_names([" * 留言 主题", "＊标题\u3000", None, 3.0])
    assert names == ["留言主题", "标题", "", "3"]


@pytest.mark.parametrize(("value", "count"), [
    (None, 0), ("", 0), ("abc", 0), ("nan", 0), (float("nan"), 0), ("-5", 0), (5.0, 5),
    (" 12 ", 12), ("3.7", 3), ("inf", 2**31 - 1), ("1e400", 2**31 - 1), ("9" * 30, 2**31 - 1),
])
def test_cell_count(value, count):
    assert cell_count(value) == count


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("2019/4/25 9:32:09", naive(2019, 4, 25, 9, 32, 9)),
    ("2019-04-25  09:32", naive(2019, 4, 25, 9, 32)),
    ("2019-04-25\u300009:32:09.5", naive(2019, 4, 25, 9, 32, 9)),
    ("2019.4.5", naive(2019, 4, 5)),
    ("2019年4月25日", naive(2019, 4, 25)),
    (" 2019 年 4 月 25 日 ", naive(2019, 4, 25)),
    ("2019年4月25日 9时32分", naive(2019, 4, 25, 9, 32)),
    ("2019年4月25日9点32分05秒", naive(2019, 4, 25, 9, 32, 5)),
    ("2019-04-25T09:32:00", naive(2019, 4, 25, 9, 32)),
    ("2019-04-25T09:32:00+00:00", naive(2019, 4, 25, 9, 32)),  # wall clock as written
    (43580.25, naive(2019, 4, 25, 6)),
    (43580, naive(2019, 4, 25)),
    (dt.date(2019, 4, 25), naive(2019, 4, 25)),
    (naive(2019, 4, 25, 9, 32), naive(2019, 4, 25, 9, 32)),
    (dt.datetime(2019, 4, 25, 9, 32, tzinfo=dt.UTC), naive(2019, 4, 25, 9, 32)),
])
def test_parse_datetime_shapes(value, expected):
    assert parse_datetime(value) == expected


def test_parse_datetime_with_a_time_zone():
    assert parse_datetime("2019-04-25 09:32", tz=SHANGHAI) == dt.datetime(
        2019, 4, 25, 9, 32, tzinfo=SHANGHAI)
    converted = parse_datetime("2019-04-25T09:32:00+00:00", tz=SHANGHAI)
    assert (converted.tzinfo, converted.hour) == (SHANGHAI, 17)
    assert parse_datetime(43580.5, tz=SHANGHAI).utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize("value", [
    None, "", " \u3000", "2019/2/30", "2019-13-01", "25/4/2019", "明天", "2019-04-25 下午3点",
    "2019-04-25 09:32 星期四", 7.0, 12, 90000, float("nan"), float("inf"), True, dt.time(9, 30),
    "0001-01-01", "9999-12-31 23:59:59", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59-12:00",
    naive(1, 1, 1), dt.datetime.max.replace(tzinfo=dt.UTC), dt.date(9999, 12, 31),
    "1899-12-31", "2101-01-01",
])
@pytest.mark.parametrize("tz", [None, SHANGHAI])
def test_parse_datetime_refuses_with_a_cell_error(value, tz):
    with pytest.raises(CellError) as caught:
        parse_datetime(value, tz=tz)
    assert caught.value.message


# --- writing ---------------------------------------------------------------------------------

def write(tmp_path, rows: list[list], **options) -> Path:
    book = Workbook(write_only=True)
    writer = SheetWriter(book.create_sheet("表"), **options)
    writer.header(["标题", "时间"])
    for row in rows:
        writer.append(row)
    path = tmp_path / "out.xlsx"
    book.save(path)
    return path


def test_formula_starts_stay_text(tmp_path):
    texts = ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(1,1)", "\t=1", "\r=1",
             "=HYPERLINK(\"http://x\",\"y\")"]
    path = write(tmp_path, [[text] for text in texts])
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cells = [row[0] for row in load_workbook(path)["表"].iter_rows(min_row=2)]
    # A bare \r comes back as \n when openpyxl writes plain XML, as &#13; when it writes
    # through lxml (installed with python-docx); either way the text is kept.
    assert [cell.value.replace("\r", "\n") for cell in cells] == [
        t.replace("\r", "\n") for t in texts]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_plain_values_headers_and_layout(tmp_path):
    when = dt.datetime(2024, 5, 1, 1, 30, tzinfo=dt.UTC)
    path = write(tmp_path, [["路灯😀ＡＢＣ", when, 3, None, dt.date(2024, 5, 2)]],
                 tz=SHANGHAI, widths=[30, 17])
    sheet = load_workbook(path)["表"]
    header = sheet[1][:2]
    assert [c.value for c in header] == ["标题", "时间"] and all(c.font.b for c in header)
    assert (sheet.freeze_panes, sheet.column_dimensions["A"].width) == ("A2", 30)
    title, at, count, empty, day = sheet[2]
    assert (title.value, title.quotePrefix, count.value, empty.value) == (
        "路灯😀ＡＢＣ", False, 3, None)
    assert (at.value, at.number_format) == (naive(2024, 5, 1, 9, 30), "yyyy-mm-dd hh:mm")
    assert (day.value, day.number_format) == (naive(2024, 5, 2), "yyyy-mm-dd")


def test_characters_xml_cannot_hold_are_dropped_and_length_kept(tmp_path):
    long = "长" * 40000
    emoji = "😀" * 20000
    path = write(tmp_path, [["a\x00b\x1bc\ud800d"], [long], [emoji]])
    cells = [row[0].value for row in load_workbook(path)["表"].iter_rows(min_row=2)]
    assert cells[0] == "abcd"
    assert cells[1] == "长" * (EXCEL_CELL_LIMIT - 1) + "…"
    assert len(cells[2].encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert set(cells[2][:-1]) == {"😀"}


# --- no Django -------------------------------------------------------------------------------

IMPORT_ALL = """
import importlib, pkgutil, sys

class NoDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError(f"{name} is imported")

sys.meta_path.insert(0, NoDjango())
names = []
for package_name in sys.argv[1:]:
    package = importlib.import_module(package_name)
    names.append(package_name)
    for module in pkgutil.walk_packages(getattr(package, "__path__", []), package_name + "."):
        importlib.import_module(module.name)
        names.append(module.name)
assert not [m for m in sys.modules if m == "django" or m.startswith("django.")]
print(" ".join(names))
"""


def import_without_django(*packages: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", IMPORT_ALL, *packages], capture_output=True,
                          text=True, timeout=300, check=False)


def test_lib_and_triage_import_nothing_from_django():
    done = import_without_django("banshi.lib", "banshi.triage")
    assert done.returncode == 0, done.stderr
    imported = set(done.stdout.split())
    assert {"banshi.lib.spreadsheet", "banshi.triage.messages_io", "banshi.triage.datasets",
            "banshi.triage.problems", "banshi.triage.cli"} <= imported


def test_the_django_block_does_block():
    done = import_without_django("banshi.appeals.ledger.export")
    assert done.returncode != 0 and "django" in done.stderr
