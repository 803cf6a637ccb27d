"""Problems defined by a group of people and a subject, with no place (人才 asking about
购房补贴 for a year), and developments named with a county code inside their name.

The fixture is the project's own: a year of 人才/高级技师 asking about the housing subsidy,
退伍/退役军人 about one card, teachers about three different things, two companies owing
migrant workers their wages, and two developments written two ways each."""

import datetime as dt

import pytest
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.learning.detection import detect_and_record
from banshi.appeals.models import Problem
from banshi.triage.places import PlaceExtractor
from banshi.triage.problems import Message, detect_problems

from .factories import candidate_pages

# (id, user, title, body, days after 2023-01-01, likes)
TALENT = [
    ("t1", "u01", "咨询A市人才购房补贴申请条件",
     "我是去年引进的人才，想咨询人才购房补贴的申请条件和需要的材料。", 0, 2),
    ("t2", "u02", "A市人才购房补贴申请为什么一直不通过",
     "按人才新政在网上申请购房补贴，提交了三次都不通过，也没有说明原因。", 45, 0),
    ("t3", "u03", "高级技师能否享受A市人才购房补贴",
     "本人取得高级技师证书，请问能否按人才新政申请购房补贴？", 100, 5),
    ("t4", "u04", "A市人才新政购房补贴迟迟未发放",
     "人才购房补贴审核通过已经三个月了，补贴一直没有发放。", 160, 1),
    ("t5", "u05", "关于高级技师申报人才购房补贴的疑问",
     "高级技师申报人才购房补贴时，社保缴纳地和单位注册地不一致怎么办？", 215, 0),
    ("t6", "u06", "A市人才购房补贴什么时候发",
     "人才购房补贴申请通过半年了还没有发，请问什么时候发放？", 270, 3),
    ("t7", "u07", "二手房能申请A市人才购房补贴吗",
     "在A市买了二手房，请问人才购房补贴是否可以申请？", 330, 0),
    ("t8", "u08", "A市人才购房补贴政策还执行吗",
     "听说人才购房补贴政策要调整，现在申请的购房补贴还能发吗？", 390, 1),
]
VETERANS = [
    ("v1", "u11", "退伍军人优待证什么时候可以办理",
     "请问退伍军人优待证什么时候开始办理，在哪里申领优待证？", 120, 0),
    ("v2", "u12", "退役军人优待证申领进度",
     "退役军人优待证申领已经两个月了，优待证还没有办下来。", 150, 0),
    ("v3", "u13", "咨询退役军人优待证办理",
     "退役军人优待证需要带什么材料办理，优待证多久能领到？", 175, 0),
]
TEACHERS = [  # one group, three subjects: three problems of one appeal each, not one
    ("e1", "u21", "A市教师工资待遇太低", "教师工资多年没有上涨，待遇偏低。", 60, 0),
    ("e2", "u22", "教师招聘考试报名时间太短", "今年教师招聘考试报名只有两天，来不及准备。", 80, 0),
    ("e3", "u23", "乡镇教师宿舍漏雨", "学校教师宿舍屋顶漏雨多年无人维修。", 95, 0),
]
WAGES = [  # two companies: their workers' wages are two problems, not one group's
    ("w1", "u31", "A5区金沙装饰公司拖欠农民工工资",
     "金沙装饰公司拖欠我们农民工三个月工资，至今未发。", 200, 0),
    ("w2", "u32", "金沙装饰公司拖欠农民工工资不给",
     "金沙装饰公司拖欠农民工工资，我们去要了多次都没有结果。", 205, 0),
    ("w3", "u33", "通达实业集团拖欠农民工工资",
     "通达实业集团拖欠农民工工资半年，农民工过年回不了家。", 210, 0),
    ("w4", "u34", "通达实业集团拖欠农民工工资半年",
     "通达实业集团拖欠我们农民工工资半年了，请帮忙追讨。", 212, 0),
]
DEVELOPMENTS = [  # a county code inside a name; a county-level city written two ways
    ("d1", "u41", "A市锦绣江南K3县房屋墙体开裂",
     "我是锦绣江南K3县的业主，交房不到一年房屋墙体开裂。", 240, 0),
    ("d2", "u42", "锦绣江南K3县新房墙体开裂严重",
     "A5区锦绣江南K3县新房多处墙体开裂，开发商不处理。", 246, 0),
    ("d3", "u43", "A市锦绣江南K3县负一楼面积缩水",  # another defect, other words
     "收到交房通知去验房，负一楼实际使用面积比合同少了十几平方米。", 250, 0),
    ("d4", "u44", "锦绣江南K3县门口垃圾站臭气熏天",  # the same development, not its housing
     "锦绣江南K3县大门旁的垃圾站夏天臭气熏天，蚊蝇很多。", 252, 0),
    ("g1", "u51", "B2县市金桂园房屋渗水",
     "B2县市金桂园小区交房后房屋渗水，楼板开裂。", 300, 0),
    ("g2", "u52", "B2县金桂园新房渗水开裂",
     "B2县金桂园新房渗水，楼板开裂，开发商推诿。", 305, 0),
]
FIXTURE = TALENT + VETERANS + TEACHERS + WAGES + DEVELOPMENTS
START = dt.datetime(2023, 1, 1, 9, 0)  # noqa: DTZ001 (the detector reads wall-clock time)


def messages(rows=FIXTURE) -> list[Message]:
    return [Message(id=i, user=u, title=t, content=c, at=START + dt.timedelta(days=days),
                    likes=likes) for i, u, t, c, days, likes in rows]


def ids(rows) -> set[str]:
    return {row[0] for row in rows}


@pytest.fixture(scope="module")
def clusters():
    return detect_problems(messages())


def cluster_of(clusters, identifier):
    found = [c for c in clusters if identifier in c.message_ids]
    return found[0] if found else None


def test_a_group_with_no_place_over_a_year_is_one_problem(clusters):
    talent = cluster_of(clusters, "t1")
    assert talent is not None and set(talent.message_ids) == ids(TALENT)
    assert talent.place == "" and talent.group == "A市人才/高级技师" == talent.where
    assert (talent.end - talent.start).days == 390
    assert talent.components["persistence"] == pytest.approx(1.0)
    assert talent.as_dict()["group"] == "A市人才/高级技师"
    assert talent.rank == 1  # eight residents over a year: the hottest here


def test_ways_of_writing_one_group_meet(clusters):
    veterans = cluster_of(clusters, "v1")
    assert veterans is not None and set(veterans.message_ids) == ids(VETERANS)
    assert veterans.group in ("退役军人/退伍军人", "退伍军人/退役军人")


def test_one_group_with_different_subjects_is_not_one_problem(clusters):
    for row in TEACHERS:
        assert cluster_of(clusters, row[0]) is None, row[2]


def test_a_group_named_at_a_company_belongs_to_that_company(clusters):
    first, second = cluster_of(clusters, "w1"), cluster_of(clusters, "w3")
    assert first is not None and set(first.message_ids) == {"w1", "w2"}
    assert second is not None and set(second.message_ids) == {"w3", "w4"}
    assert "金沙装饰公司" in first.place and "通达实业集团" in second.place
    assert first.group == second.group == ""


def test_a_development_named_with_its_county_is_one_place(clusters):
    """…and its housing defects are one problem, whichever defect each resident names; a
    complaint about something else there is not part of it."""
    development = cluster_of(clusters, "d1")
    assert development is not None and set(development.message_ids) == {"d1", "d2", "d3"}
    assert development.place.endswith("锦绣江南K3县")
    county_city = cluster_of(clusters, "g1")
    assert county_city is not None and set(county_city.message_ids) == {"g1", "g2"}
    assert county_city.place.startswith("B2县") and "金桂园" in county_city.place


@pytest.mark.parametrize(("text", "expected"), [
    ("A市五矿万境K9县交房后仍存在诸多问题", [("五矿万境k9县", "site", "a市")]),
    ("我是西地省A市五矿万境K9县的业主", [("五矿万境k9县", "site", "西地省a市")]),
    ("A8县市星河湾楼盘质量太差了", [("星河湾", "site", "a8县市")]),
    ("反映A7县星湖湾二期", [("星湖湾", "site", "a7县")]),
    ("本人是A5区洞井街道的", [("洞井街道", "area", "a5区")]),
    ("泉塘街道A1区段", [("泉塘街道", "area", "")]),
    ("A市公安局A4区分局", []),
    ("咨询退伍兵转业安置", [("退役军人", "crowd", "")]),
    ("A市高级技师购房补贴", [("人才", "crowd", "a市")]),
    ("A市26路公汽站台标有人才市场站", [("26路", "road", "a市"), ("人才市场", "org", "a市")]),
    ("广铁集团职工子女入学", [("广铁集团", "org", ""), ("广铁集团职工", "crowd", "")]),
])
def test_groups_and_glued_names(text, expected):
    found = PlaceExtractor().extract(text)
    assert [(p.key, p.kind, p.prefix) for p in found] == expected


def test_the_ledger_shows_a_group_problem_by_its_group(d):
    """Nightly detection over the ledger's last year: the group problem becomes a candidate
    whose 地点/人群 is the group, on the list and on its page."""
    now = timezone.now()
    numbers = {}
    for index, (identifier, _, title, body, days, likes) in enumerate(FIXTURE):
        appeal, _ = actions.submit_appeal(  # the fixture's 390 days made 351
            title=title, content=body, contact_phone=f"1390000{index:04d}",
            collected_at=now - dt.timedelta(days=360 - days * 0.9), likes=likes)
        numbers[identifier] = appeal.number
    detect_and_record(now=now)
    problem = Problem.objects.get(candidate_appeals__number=numbers["t1"])
    assert problem.places == ["A市人才/高级技师"]
    assert {a.number for a in problem.candidate_appeals.all()} == {
        numbers[i] for i in ids(TALENT)}
    assert (problem.period_end - problem.period_start).days == 351
    listing, page = candidate_pages(d.dispatcher, problem)
    assert "A市人才/高级技师" in listing
    assert "A市人才/高级技师" in page
