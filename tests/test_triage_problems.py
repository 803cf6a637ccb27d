"""Shared-problem detection (共性问题): places, clustering, heat, files and the command."""

import datetime as dt
import json
import math
import random
import re
from io import StringIO
from multiprocessing import get_context

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from banshi.appeals import actions
from banshi.appeals.learning.detection import resident
from banshi.triage import problem_corpus
from banshi.triage.messages_io import (
    DETAIL_HEADERS,
    PROBLEM_HEADERS,
    MessageFileError,
    parse_time,
    read_messages,
    read_report,
    write_problem_tables,
)
from banshi.triage.places import PlaceExtractor, aliases, place_key
from banshi.triage.problems import (
    HeatWeights,
    Message,
    detect_problems,
    heat_components,
    heat_formula_zh,
)
from banshi.triage.text import normalise

from .datasets import messageboard

# The project's own fixture: (id, user, title, body, "MM-DD HH:MM" in 2024, likes).
NOISE = [  # one compound's late-night noise, March
    ("n1", "u01", "A3区翠湖花园小区楼下烧烤店深夜噪音扰民",
     "翠湖花园小区临街烧烤店每天营业到凌晨两点，噪音太大，居民无法休息。", "03-02 22:10", 3),
    ("n2", "u02", "翠湖花园小区底层商铺夜宵摊噪音扰民",
     "A市A3区翠湖花园小区一楼商铺开夜宵摊，深夜喧哗，噪音扰民严重。", "03-04 23:05", 1),
    ("n3", "u03", "投诉翠湖花园小区烧烤摊油烟噪音",
     "翠湖花园小区楼下烧烤摊油烟直排，半夜还很吵，严重影响休息。", "03-06 21:40", 0),
    ("n4", "u04", "翠湖花园小区夜间噪音严重影响休息",
     "每天晚上翠湖花园小区门口的烧烤店吵到凌晨，老人小孩睡不着。", "03-09 08:15", 2),
    ("n5", "u05", "A市翠湖花园小区烧烤店扰民何时管",
     "翠湖花园小区临街烧烤店噪音扰民，多次投诉无果。", "03-12 19:30", 0),
    ("n6", "u06", "翠湖花园小区楼下夜宵店太吵了",
     "翠湖花园小区楼下的夜宵店深夜噪音不断，烧烤吵闹，请城管处理。", "03-15 23:50", 5),
    ("n7", "u07", "反映翠湖花园小区商铺深夜经营噪音扰民",
     "翠湖花园小区底层商铺深夜经营烧烤，噪音和油烟扰民。", "03-19 22:20", 1),
    ("n8", "u08", "翠湖花园小区烧烤噪音扰民",
     "A3区翠湖花园小区烧烤店晚上噪音很大，希望尽快整治。", "03-24 21:00", 0),
]
LIGHTS = [  # one road's street lights, April
    ("l1", "u11", "A1区建设路路灯不亮",
     "建设路中段路灯已经一个星期不亮了，晚上出行很不安全。", "04-02 20:00", 1),
    ("l2", "u12", "建设路路灯坏了没人修",
     "A市A1区建设路上好几盏路灯不亮，夜间行人看不清路。", "04-03 21:10", 0),
    ("l3", "u13", "反映建设路夜间照明问题",
     "建设路路灯长期不亮，晚上一片漆黑，存在安全隐患。", "04-05 19:45", 0),
    ("l4", "u14", "A1区建设路路灯全部熄灭",
     "最近建设路的路灯全部熄灭，骑电动车回家很危险。", "04-08 22:30", 2),
    ("l5", "u15", "建设路路灯不亮何时修复",
     "建设路路灯不亮已经半个月，请尽快修复照明。", "04-12 20:20", 0),
    ("l6", "u16", "请修复建设路的路灯",
     "建设路一段路灯晚上不亮，希望相关部门尽快维修路灯。", "04-15 21:05", 0),
]
LIFTS = [  # the same compound, another issue, the same month
    ("e1", "u21", "翠湖花园小区电梯经常故障",
     "翠湖花园小区5栋电梯经常停运，多次困人，物业不维修。", "03-08 09:00", 0),
    ("e2", "u22", "翠湖花园小区电梯困人物业不管",
     "翠湖花园小区电梯三天两头坏，上周又困人，请督促物业维修电梯。", "03-20 10:30", 1),
]
AUTUMN = [  # the same issue in another period
    ("a1", "u31", "翠湖花园小区烧烤店又开始噪音扰民",
     "翠湖花园小区楼下烧烤店十月又开始营业到深夜，噪音扰民。", "10-05 23:00", 0),
    ("a2", "u32", "翠湖花园小区夜宵摊噪音再次扰民",
     "翠湖花园小区一楼夜宵摊深夜噪音扰民，烧烤油烟也大。", "10-09 22:40", 0),
    ("a3", "u33", "翠湖花园小区楼下烧烤噪音",
     "翠湖花园小区楼下烧烤店半夜还在营业，噪音太吵。", "10-12 23:30", 0),
]
SINGLES = [  # unrelated, each on its own
    ("s1", "u41", "A2区幸福村自来水浑浊", "幸福村最近自来水发黄浑浊，无法饮用。", "03-10 10:00", 0),
    ("s2", "u42", "育英中学门口交通拥堵",
     "每天早上育英中学门口接送学生的车辆堵塞道路。", "03-11 07:50", 0),
    ("s3", "u43", "A5区金沙公司拖欠农民工工资",
     "金沙公司拖欠我们三个月工资，至今未发。", "03-14 15:00", 0),
    ("s4", "u44", "咨询社保卡办理流程", "请问社保卡补办需要带什么材料？", "03-16 11:20", 0),
    ("s5", "u45", "建议增加公交线路", "希望增加开往火车站的公交线路，方便出行。", "03-18 09:40", 0),
    ("s6", "u46", "A4区滨江公园厕所脏乱差", "滨江公园公共厕所无人打扫，气味难闻。",
     "03-21 16:00", 0),
    ("s7", "u47", "新能源车主充电难", "小区没有充电桩，新能源车主充电很不方便。", "03-22 18:00", 0),
    ("s8", "u48", "A1区解放路路灯不亮",
     "解放路北段路灯不亮，晚上出行不安全，希望尽快维修。", "04-06 20:30", 0),
    ("s9", "u49", "春华镇金鼎村道路破损", "金鼎村村道坑洼不平，雨天积水。", "04-10 14:00", 0),
]
FIXTURE = NOISE + LIGHTS + LIFTS + AUTUMN + SINGLES


def when(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(f"2024-{stamp}", "%Y-%m-%d %H:%M")  # noqa: DTZ007


def messages(rows=FIXTURE) -> list[Message]:
    return [Message(id=i, user=u, title=t, content=c, at=when(s), likes=likes)
            for i, u, t, c, s, likes in rows]


def ids(rows) -> set[str]:
    return {row[0] for row in rows}


@pytest.fixture(scope="module")
def clusters():
    return detect_problems(messages())


def cluster_of(clusters, message_id: str):
    found = [c for c in clusters if message_id in c.message_ids]
    return found[0] if found else None


# --- places ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extractor():
    return PlaceExtractor()


@pytest.mark.parametrize(("text", "expected"), [
    ("A市A5区劳动东路魅力之城小区一楼的夜宵摊", [("劳动东路", "road"), ("魅力之城", "site")]),
    ("投诉A2区丽发新城附近建搅拌站噪音扰民", [("丽发新城", "site")]),
    ("坚决反对伊景园滨河苑强制捆绑销售车位", [("伊景园滨河苑", "site")]),
    ("请书记关注A市A4区58车贷案", [("58车贷", "org")]),
    ("A市涉外经济学院组织学生外出打工", [("涉外经济学院", "institution")]),
    ("西地省A市A7县春华镇金鼎村七里组村民", [("春华镇金鼎村", "site")]),
    ("A市万家丽路与黄兴路交叉口红绿灯", [("万家丽路", "road"), ("黄兴路", "road")]),
    ("A市暮云街道丽发新城社区搅拌站", [("暮云街道", "area"), ("丽发新城", "site")]),
    ("新能源车主充电难，外地务工人员子女入学难", [("新能源车主", "crowd"),
                                               ("外来务工人员", "crowd")]),
    ("广铁集团职工购房", [("广铁集团", "org"), ("广铁集团职工", "crowd")]),
    ("我们小区的道路坑坑洼洼，该小区没有公园", []),
    ("A7县普惠性幼儿园招生", []),
])
def test_place_extraction(extractor, text, expected):
    assert [(p.key, p.kind) for p in extractor.extract(text)] == expected


def test_same_place_written_differently_has_one_key(extractor):
    written = ["A2区丽发新城社区搅拌站", "丽发新城小区附近搅拌站", "西地省A市丽发新城搅拌站",
               "Ａ２区丽发新城 小区"]
    assert {extractor.extract(text)[0].key for text in written} == {"丽发新城"}


def test_display_keeps_the_admin_prefix(extractor):
    place = extractor.extract("西地省A市A5区魅力之城小区油烟扰民")[0]
    assert place.key == "魅力之城"
    assert place.display == "西地省A市A5区魅力之城小区"


def test_place_key_strips_prefix_and_generic_tail():
    assert place_key("a市a2区丽发新城社区") == "丽发新城"
    assert place_key("绿地海外滩二期") == "绿地海外滩"


def test_aliases_link_longer_names_to_names_seen_alone():
    found = aliases(["万科魅力之城", "魅力之城", "伊景园滨河苑", "滨河苑", "新城"])
    assert found["万科魅力之城"] == {"万科魅力之城", "魅力之城"}
    assert found["伊景园滨河苑"] == {"伊景园滨河苑", "滨河苑"}
    assert found["魅力之城"] == {"魅力之城"}


def test_user_dictionary_and_admin_words():
    custom = PlaceExtractor(user_words=["百花社区"], admin_words=["中原区"])
    places = custom.extract("中原区百花社区门口垃圾堆放")
    assert [(p.key, p.prefix) for p in places] == [("百花", "中原区")]


# --- clustering --------------------------------------------------------------------------

def test_the_two_problems_are_found_whole(clusters):
    noise, lights = cluster_of(clusters, "n1"), cluster_of(clusters, "l1")
    assert noise is not None and set(noise.message_ids) == ids(NOISE)
    assert lights is not None and set(lights.message_ids) == ids(LIGHTS)
    assert "翠湖花园" in noise.place and "翠湖花园" in noise.title
    assert "建设路" in lights.place
    assert (noise.start, noise.end) == (when("03-02 22:10"), when("03-24 21:00"))
    assert noise.count == 8 and lights.count == 6


def test_unrelated_messages_are_not_merged(clusters):
    noise = set(cluster_of(clusters, "n1").message_ids)
    lights = set(cluster_of(clusters, "l1").message_ids)
    assert not noise & (ids(LIFTS) | ids(AUTUMN) | ids(SINGLES))  # same compound, other issue
    assert "s8" not in lights  # same issue, another road
    for single in ids(SINGLES):
        assert cluster_of(clusters, single) is None, single
    texts = {row[0]: normalise(row[2] + row[3]) for row in FIXTURE}
    for cluster in clusters:  # every cluster is about its one place
        key = place_key(cluster.place.lower())
        assert all(key in texts[i] for i in cluster.message_ids), cluster.place
        assert len(cluster.message_ids) == cluster.count == len(set(cluster.message_ids))


def test_same_issue_in_another_period_is_another_problem(clusters):
    autumn = cluster_of(clusters, "a1")
    assert autumn is not None and set(autumn.message_ids) == ids(AUTUMN)
    assert autumn is not cluster_of(clusters, "n1")
    assert autumn.start.month == autumn.end.month == 10


def test_ranked_by_heat_with_visible_components(clusters):
    assert [c.rank for c in clusters] == list(range(1, len(clusters) + 1))
    assert [c.heat for c in clusters] == sorted((c.heat for c in clusters), reverse=True)
    assert clusters[0] is cluster_of(clusters, "n1")  # 8 residents beat 6
    components = clusters[0].components
    assert {"heat", "appeals", "residents", "likes", "dislikes", "concentration",
            "growth"} <= set(components)
    assert components["appeals"] == 8 and components["residents"] == 8
    assert components["likes"] == 12


def test_message_ids_are_hottest_first(clusters):
    noise = cluster_of(clusters, "n1")
    likes = {row[0]: row[5] for row in NOISE}
    assert [likes[i] for i in noise.message_ids] == sorted(likes.values(), reverse=True)


def test_top_limits_the_list():
    assert [c.rank for c in detect_problems(messages(), top=2)] == [1, 2]


def test_no_messages_no_problems():
    assert detect_problems([]) == []


# --- heat --------------------------------------------------------------------------------

def heat(users, day_offsets, likes=0, reference=100.0):
    batch = [Message(id=str(i), user=u, title="", content="", at=when("03-01 00:00"),
                     likes=likes if i == 0 else 0) for i, u in enumerate(users)]
    return heat_components(batch, np.array(day_offsets, dtype=float), reference, 30.0)


def test_more_residents_is_hotter():
    many = heat(["a", "b", "c", "d"], [1, 2, 3, 4])
    one = heat(["a", "a", "a", "a"], [1, 2, 3, 4])
    assert many["residents"] == 4 and one["residents"] == 1
    assert many["heat"] > one["heat"]


def test_more_likes_is_hotter():
    assert heat(["a", "b", "c"], [1, 2, 3], likes=200)["heat"] > heat(["a", "b", "c"],
                                                                       [1, 2, 3])["heat"]


def test_concentration_in_time_is_hotter():
    burst = heat(["a", "b", "c", "d"], [1, 2, 3, 4])
    trickle = heat(["a", "b", "c", "d"], [1, 60, 120, 180])
    assert burst["concentration"] == 1.0 and trickle["concentration"] == 0.25
    assert burst["heat"] > trickle["heat"]


def test_lasting_a_year_is_not_what_ranks_a_problem_lower():
    """Twelve residents over a year (one a month, none lately) against six in one week
    just now: the long-running problem, twice the size, stays hotter."""
    long = heat([f"r{i}" for i in range(12)], [i * 34.0 for i in range(12)],
                reference=404.0)
    short = heat([f"s{i}" for i in range(6)], [399, 400, 401, 402, 403, 404],
                 reference=404.0)
    assert long["persistence"] == 1.0 and long["concentration"] < 0.2
    assert short["concentration"] == 1.0 and short["growth"] == 1.0 and long["growth"] == -1.0
    assert long["heat"] > short["heat"]
    # Without the persistence part it would not be: the old formula ranked it lower.
    old = 10 * (2 * math.log1p(12) + math.log1p(12) + long["concentration"]
                + 0.5 * long["growth"])
    assert old < short["heat"]


def test_growth_near_the_reference_time_is_hotter():
    growing = heat(["a", "b", "c", "d"], [50, 80, 90, 95])  # 3 in the last 30 days
    fading = heat(["a", "b", "c", "d"], [45, 50, 55, 95])
    assert growing["growth"] > 0 > fading["growth"]
    assert growing["heat"] > fading["heat"]


# --- determinism -------------------------------------------------------------------------

def test_heat_formula_text_is_written_from_the_weights():
    assert heat_formula_zh() == ("热度 = 10 ×(2×ln(1+涉及群众) + ln(1+诉求件数)"
                                 " + 0.3×ln(1+点赞−反对) + max(时间集中度,持续度) + 0.5×增长趋势)")
    other = HeatWeights(scale=5, residents=1, appeals=0, likes=-0.25, growth=1.5)
    assert heat_formula_zh(other) == ("热度 = 5 ×(ln(1+涉及群众) − 0.25×ln(1+点赞−反对)"
                                      " + max(时间集中度,持续度) + 1.5×增长趋势)")


def test_deterministic_and_independent_of_input_order(clusters):
    again = detect_problems(messages(), seed=7)
    assert [c.as_dict() for c in again] == [c.as_dict() for c in clusters]
    shuffled = messages()
    random.Random(3).shuffle(shuffled)
    other = detect_problems(shuffled)
    assert [(c.rank, set(c.message_ids), c.heat) for c in other] == [
        (c.rank, set(c.message_ids), c.heat) for c in clusters]


def test_worker_processes_give_the_same_result(clusters, monkeypatch):
    forked = []

    def context(method):
        forked.append(method)
        return get_context(method)

    monkeypatch.setattr(problem_corpus, "PARALLEL_FROM", 1)
    monkeypatch.setattr(problem_corpus, "get_context", context)
    # Other tests may leave threads behind (live servers); this test forks regardless.
    monkeypatch.setattr(problem_corpus.threading, "active_count", lambda: 1)
    parallel = detect_problems(messages(), workers=2)
    assert forked == ["fork", "fork"]  # texts, then known names
    assert [c.as_dict() for c in parallel] == [c.as_dict() for c in clusters]


def test_a_threaded_process_is_not_forked(clusters, monkeypatch):
    forked = []
    monkeypatch.setattr(problem_corpus, "PARALLEL_FROM", 1)
    monkeypatch.setattr(problem_corpus, "get_context", lambda method: forked.append(method))
    monkeypatch.setattr(problem_corpus.threading, "active_count", lambda: 3)
    alone = detect_problems(messages(), workers=2)
    assert forked == []
    assert [c.as_dict() for c in alone] == [c.as_dict() for c in clusters]


# --- files -------------------------------------------------------------------------------

HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "反对数", "点赞数"]


def board_file(path, rows=FIXTURE, times=None):
    """The fixture as a message-board export with the usual dirt."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for index, (_, user, title, body, stamp, likes) in enumerate(rows):
        at = when(stamp)
        styles = [f"{at:%Y/%-m/%-d %-H:%M:%S}", f"{at:%Y-%m-%d}  {at:%H:%M}", at]
        cell = times[index] if times else styles[index % 3]
        sheet.append([f"{100000 + index}", user, title, cell,
                      f"\n\t\t\t\t\t\n\t\t\t\t\t\u3000\u3000{body}\u00a0\n", 0, float(likes)])
    book.save(path)
    return path


def test_read_messages_copes_with_dirty_cells(tmp_path):
    times = ["2019/4/25 9:32:09", "2019-04-25  09:32", dt.datetime(2019, 4, 25, 9, 32),  # noqa: DTZ001
             dt.date(2019, 4, 25), 43580.25, "2019年4月25日", "not a date"]
    rows = [(f"x{i}", "u", "标题", "内容", "01-01 00:00", 0) for i in range(len(times))]
    report = read_report(board_file(tmp_path / "dirty.xlsx", rows, times))
    read = report.messages
    assert [m.at for m in read] == [
        dt.datetime(2019, 4, 25, 9, 32, 9), dt.datetime(2019, 4, 25, 9, 32),  # noqa: DTZ001
        dt.datetime(2019, 4, 25, 9, 32), dt.datetime(2019, 4, 25),  # noqa: DTZ001
        dt.datetime(2019, 4, 25, 6), dt.datetime(2019, 4, 25)]  # noqa: DTZ001
    assert report.skipped == [8]
    assert read[0].id == "100000" and read[0].content == "内容"


def test_read_messages_float_ids_likes_and_csv(tmp_path):
    csv_path = tmp_path / "board.csv"
    lines = [",".join(HEADER), '188006.0,A0001,"A3区一米阳光","2019/2/28 11:25:05",'
             '"\n\t\t座落在\u3000A市",1.0,5.0']
    csv_path.write_bytes("\n".join(lines).encode("gb18030"))
    [message] = read_messages(csv_path)
    assert (message.id, message.user, message.title) == ("188006", "A0001", "A3区一米阳光")
    assert (message.content, message.likes, message.dislikes) == ("座落在 A市", 5, 1)
    assert message.at == dt.datetime(2019, 2, 28, 11, 25, 5)  # noqa: DTZ001


def test_row_numbers_are_the_sheets_and_counts_are_bounded(tmp_path):
    book = Workbook()
    sheet = book.active
    rows = {3: HEADER, 4: ["1", "u", "标题", "2019/4/25 9:32", "内容", 0, "inf"],
            6: ["2", "u", "标题", "不是日期", "内容", 0, 1]}  # rows 1, 2 and 5 are empty
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    path = tmp_path / "board.xlsx"
    book.save(path)
    report = read_report(path)
    assert report.skipped == [6]
    assert [(m.id, m.likes) for m in report.messages] == [("1", 2**31 - 1)]


def test_parse_time_rejects_what_is_not_a_time():
    assert parse_time(None) is None and parse_time("") is None and parse_time(12) is None
    assert parse_time("2019/2/30 10:00") is None


def test_missing_columns_and_unknown_types_are_errors(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("编号,标题\n1,x\n", encoding="utf-8")
    with pytest.raises(MessageFileError, match="留言编号"):
        read_messages(path)
    with pytest.raises(MessageFileError, match="不支持"):
        read_messages(tmp_path / "board.pdf")


def test_fixture_file_clusters_like_the_messages(tmp_path):
    read = read_messages(board_file(tmp_path / "board.xlsx"))
    assert all(not set(m.content) & set("\n\t\u3000\u00a0") for m in read)
    assert read[0].content == NOISE[0][3] and read[0].id == "100000"
    found = detect_problems(read)
    assert len(found[0].message_ids) == 8 and found[0].message_ids[0] == "100005"


def test_problem_tables_are_text_safe(tmp_path):
    rows = [("=1+1", "u9", "=HYPERLINK(\"x\")", "@body", "03-01 10:00", 0)]
    batch = messages(NOISE) + messages(rows)
    found = detect_problems(batch)
    found[0].message_ids.append("=1+1")
    path = tmp_path / "tables.xlsx"
    write_problem_tables(found, batch, path)
    detail = load_workbook(path)["热点问题留言明细表"]
    last = [cell for cell in list(detail.iter_rows())[-1]]
    assert last[1].value == "=1+1" and last[1].data_type == "s"
    assert last[3].value == "=HYPERLINK(\"x\")" and last[3].data_type == "s"


# --- the command -------------------------------------------------------------------------

def run(*args) -> str:
    out = StringIO()
    call_command("detect_problems", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_json_on_a_file(tmp_path):
    path = board_file(tmp_path / "board.xlsx")
    result = json.loads(run("--data", str(path), "--json", "--top", "3"))
    assert [row["rank"] for row in result] == [1, 2, 3]
    first = result[0]
    assert list(first) == ["rank", "heat", "title", "place", "group", "start", "end",
                           "count", "message_ids"]
    assert first["start"] == "2024-03-02" and first["end"] == "2024-03-24"
    assert first["count"] == 8 and len(first["message_ids"]) == 8
    assert all(isinstance(i, int) for i in first["message_ids"])  # 留言编号 as numbers
    assert set(first["message_ids"]) == {100000 + i for i in range(8)}


def test_command_xlsx_has_the_two_tables(tmp_path):
    path = board_file(tmp_path / "board.xlsx")
    out = tmp_path / "hot.xlsx"
    text = run("--data", str(path), "--xlsx", str(out), "--top", "2")
    assert "翠湖花园" in text and "共性问题" in text
    book = load_workbook(out)
    assert book.sheetnames == ["热点问题表", "热点问题留言明细表"]
    problems = list(book["热点问题表"].iter_rows(values_only=True))
    details = list(book["热点问题留言明细表"].iter_rows(values_only=True))
    assert list(problems[0]) == PROBLEM_HEADERS == [
        "热度排名", "问题ID", "热度指数", "时间范围", "地点/人群", "问题描述"]
    assert list(details[0]) == DETAIL_HEADERS == [
        "问题ID", "留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "点赞数", "反对数"]
    assert problems[1][:2] == (1, 1) and problems[1][3] == "2024/03/02 至 2024/03/24"
    assert len(problems) == 3 and len(details) == 1 + 8 + 6
    assert {row[1] for row in details[1:9]} == {100000 + i for i in range(8)}
    assert isinstance(details[1][4], dt.datetime) and details[1][5].startswith("翠湖花园")


def test_command_errors(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        run("--data", str(tmp_path / "none.xlsx"))
    with pytest.raises(CommandError, match=".xlsx"):
        run("--data", str(board_file(tmp_path / "b.xlsx")), "--xlsx", str(tmp_path / "o.csv"))


def test_command_on_the_ledger(d):
    now = timezone.now()
    phones = {}
    for index, (identifier, _, title, body, _, likes) in enumerate(NOISE + LIGHTS + SINGLES):
        phone = f"1380000{index:04d}"
        appeal, _ = actions.submit_appeal(
            title=title, content=body, contact_phone=phone, contact_name="张三",
            collected_at=now - dt.timedelta(days=40, hours=index), likes=likes)
        phones[identifier] = (appeal.number, phone)
    old, _ = actions.submit_appeal(title="翠湖花园小区烧烤店噪音扰民",
                                   content="翠湖花园小区楼下烧烤店深夜噪音扰民。",
                                   collected_at=now - dt.timedelta(days=500))
    output = run("--json")
    result = json.loads(output)
    noise = {phones[i][0] for i in ids(NOISE)}
    assert set(result[0]["message_ids"]) == noise and result[0]["count"] == 8
    assert {phones[i][0] for i in ids(LIGHTS)} in [set(r["message_ids"]) for r in result]
    assert old.number not in output
    assert not any(phone in output for _, phone in phones.values()) and "张三" not in output
    wider = json.loads(run("--json", "--days", "600"))  # 460 days earlier: another period
    assert set(wider[0]["message_ids"]) == noise


def test_resident_is_a_stable_keyed_hash(d):
    first, _ = actions.submit_appeal(title="路灯不亮", content="建设路路灯不亮。",
                                     contact_phone="13800001111")
    second, _ = actions.submit_appeal(title="路灯还是不亮", content="建设路路灯不亮。",
                                      contact_phone="13800001111")
    anonymous, _ = actions.submit_appeal(title="路灯", content="建设路路灯不亮。")
    assert resident(first) == resident(second) != "13800001111"
    assert "1111" not in resident(first)
    assert resident(anonymous) == f"appeal:{anonymous.number}"


# --- the real message board --------------------------------------------------------------

@pytest.mark.slow
def test_real_board_top_five_are_real_problems():
    """Each of the top 5 is many messages sharing one place within one period, or one
    group of people and subject (which may last a year)."""
    board = read_messages(messageboard("messages_with_likes.xlsx"))
    by_id = {m.id: m for m in board}
    top = detect_problems(board, top=5)
    assert len(top) == 5
    for cluster in top:
        if cluster.group:
            cores = re.sub(r"^[A-Z]\d?[市区县]", "", cluster.group).split("/")
        else:
            core = place_key(cluster.place.lower())
            cores = [core[-4:] if len(core) > 4 else core]
        sharing = [i for i in cluster.message_ids
                   if any(c in normalise(by_id[i].title + by_id[i].content) for c in cores)]
        assert len(sharing) >= 3, (cluster.where, cluster.title)
        assert len(sharing) >= 0.8 * cluster.count, (cluster.where, cluster.title)
        assert (cluster.end - cluster.start).days <= (400 if cluster.group else 120), cluster.title


def test_real_board_group_problem_without_a_place():
    """The 人才 asking about 购房补贴 for over a year, with no place: one problem in the
    top ten, shown by its group, every message of it about that subject."""
    board = read_messages(messageboard("messages_with_likes.xlsx"))
    by_id = {m.id: m for m in board}
    top = detect_problems(board, top=10)
    groups = [c for c in top if c.group]
    assert len(groups) == 1, [(c.where, c.title) for c in top]
    talent = groups[0]
    assert talent.place == "" and talent.where == talent.group == "A市人才/高级技师"
    assert talent.count >= 20 and (talent.end - talent.start).days > 300
    for i in talent.message_ids:
        text = by_id[i].title + by_id[i].content
        assert any(w in text for w in ("补贴", "落户", "新政", "奖励")), by_id[i].title
        assert "人才" in text or "技师" in text, by_id[i].title


@pytest.mark.parametrize(("text", "expected"), [
    ("小区边上每天晚上有两拨人跳广场舞，音箱太吵", []),
    ("能不能引入个物业或者安排人打扫", []),
    ("上周我家因为电线短路着火了", []),
    ("希望街道督促物业整改", []),
    ("嵩山路早市占道经营", [("嵩山路", "road")]),
    ("碧沙岗公园健身步道破损", [("碧沙岗公园", "site")]),
    ("百花社区门口垃圾堆放", [("百花", "site")]),
    ("善化国际小区噪音大", [("善化国际", "site")]),
])
def test_sentence_fragments_are_not_places(text, expected):
    district = PlaceExtractor(user_words=["百花社区", "嵩山路"])
    assert [(p.key, p.kind) for p in district.extract(text)] == expected
