"""The demo's exemplars (see banshi/demo/campaign.py): a finished "党史学习之星" round and the
good practices (好做法好经验) the report names.

The round runs through the real actions, on dates replayed within the campaign (a historical
load, appeals.clock): the streets (two nominees each) and a dozen departments (one each)
nominate within their quota in April; the office rejects a few with a reason; the `leader`
and `dispatcher` accounts score every passed nominee; residents vote (one vote each, by
phone, kept only as a hash); the 公示 draws one objection, handled as 不成立; the results are
published in May. Good practices: 莲湖街道's and 建设路街道's ("因院施策、一楼一议") published,
西流湖街道's submitted and waiting for review. Idempotent: a part already seeded is skipped.
Every figure the statistics show is counted from these records.
"""

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from banshi.appeals import clock
from banshi.campaign.actions import exemplars as actions
from banshi.campaign.choices import NominationStatus, StoryStatus
from banshi.campaign.models import Campaign, GoodPractice, Objection, Selection, Vote
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from .seeding import who_runs

SELECTION = "党史学习之星"
DEPARTMENTS = 12  # departments nominating one each
REJECTED = 3  # nominations the office rejects, with a reason
PLACES = 20
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ["建国", "秀英", "志强", "海燕", "丽娟", "红梅", "国庆", "淑珍", "卫东", "德华", "文军",
         "保国", "凤英", "明华", "玉兰", "晓东", "春生", "桂芳", "永红", "新民"]
TITLES = ["社区党委书记", "网格员", "退休老党员", "志愿服务队队长", "科室负责人", "驻村第一书记",
          "楼栋长", "党支部书记", "宣讲员", "业务骨干"]
DEEDS = [
    "坚持每周组织居民学党史，讲好身边的红色故事，带动{n}名党员参与志愿服务。",
    "牵头解决老旧小区加装电梯、雨污分流等急难愁盼问题{n}件，群众满意度高。",
    "深入开展“百名书记讲党史”，累计宣讲{n}场，听众覆盖辖区各小区。",
    "扎根基层{n}年，带领网格员走访群众，建立民情台账，问题当日响应。",
    "在疫情防控和防汛救灾中冲锋在前，连续{n}天坚守一线。",
]
REASONS = ["事迹材料不完整，缺少单位党组织推荐意见", "党龄证明材料不足，不符合推荐条件",
           "与本单位另一名推荐人选事迹重复"]
PRACTICES = [
    ("lianhu", "莲湖街道：“党建+网格”把办实事落到群众家门口",
     "莲湖街道以党史学习教育为契机，推行“党建+网格”工作法，将辖区划分为若干网格，"
     "每个网格由一名党员干部包联，建立“收集—交办—办理—反馈”闭环。\n"
     "活动开展以来，网格员走访入户，收集群众身边的小事难事，能现场解决的当场解决，"
     "不能当场解决的列入办实事清单限时办结，做到件件有回音、事事有着落。", True),
    ("jianshelu", "建设路街道：因院施策、一楼一议，协商解决老旧小区改造问题",
     "建设路街道老旧小区多、情况各异。街道坚持“因院施策、一楼一议”，"
     "在每个院落召开居民协商会，由社区党组织牵头，居民代表、物业、产权单位共同参与，"
     "逐楼商定改造内容和先后次序。\n"
     "通过协商议事，加装电梯、屋面防水、雨污分流、停车位规划等难题逐一破解，"
     "改造方案得到居民广泛认可，实现了“居民的事居民商量着办”。", True),
    ("xiliuhu", "西流湖街道：联络员结对帮办解民忧",
     "西流湖街道组织机关干部担任联络员，与辖区群众结对，定期走访，"
     "帮助群众协调解决了40余个实际问题。", False),
]
OBJECTION = "听说该同志事迹中的部分活动并非本人组织，请核实。"
RESPONSE = "经向所在单位党组织核实，相关活动由该同志牵头组织，事迹属实，异议不成立。"
TZ = ZoneInfo(settings.TIME_ZONE)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _users() -> dict:
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(is_active=True)}


def _nominating_units() -> list[tuple[Unit, int]]:
    """(unit, how many it nominates): every street two, the first departments one."""
    streets = Unit.objects.filter(kind=UnitKind.STREET, is_active=True).order_by("code")
    departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT, is_active=True).order_by(
        "code")[:DEPARTMENTS]
    return [(u, 2) for u in streets] + [(u, 1) for u in departments]


def _nominate(round_, users, rng) -> list:
    made = []
    for unit, count in _nominating_units():
        actor = users.get(unit.code) or users["dispatcher"]
        for _ in range(count):
            made.append(actions.nominate(
                round_, actor=actor, unit=unit,
                nominee=rng.choice(SURNAMES) + rng.choice(GIVEN),
                nominee_title=f"{unit.name}{rng.choice(TITLES)}", party_member=True,
                party_years=rng.randint(3, 40),
                deeds=rng.choice(DEEDS).format(n=rng.randint(5, 60))))
    return made


def _run_round(selection, users, rng, replay, days: list[dt.date]) -> dict:
    office, leader = users["dispatcher"], users["leader"]
    close, vote_open, vote_close, publicity_start, publicity_end, publish = days
    replay.at(_at(close - dt.timedelta(days=20)))
    round_ = actions.create_round(
        selection, actor=office, quota_per_unit=2, places=PLACES, min_party_years=1,
        eligible_unit_kinds=[UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.DEPARTMENT],
        eligibility="在党史学习教育中表现突出、为群众办实事成效明显的党员干部和群众。",
        panel_weight=Decimal("0.70"), vote_weight=Decimal("0.30"), votes_per_person=1,
        nominations_close_on=close, voting_opens_on=vote_open, voting_closes_on=vote_close,
        publicity_starts_on=publicity_start, publicity_ends_on=publicity_end)
    replay.at(_at(close - dt.timedelta(days=10)))
    made = _nominate(round_, users, rng)
    replay.at(_at(close, 17))
    round_ = actions.advance_round(round_, actor=office)
    replay.at(_at(close + dt.timedelta(days=2)))
    rejected = set(rng.sample(range(len(made)), REJECTED))
    for n, nomination in enumerate(made):
        actions.review_nomination(nomination, actor=office, passed=n not in rejected,
                                  reason=REASONS[sorted(rejected).index(n)] if n in rejected
                                  else "")
    replay.at(_at(vote_open, 9))
    round_ = actions.advance_round(round_, actor=office)
    passed = [m for n, m in enumerate(made) if n not in rejected]
    for nomination in passed:
        nomination.refresh_from_db()
        for judge in (leader, office):
            actions.score_nomination(nomination, actor=judge,
                                     score=Decimal(rng.randint(72, 98)))
    phones = rng.sample(range(10_000_000, 99_999_999), 40 * len(passed))
    for nomination in passed:
        for _ in range(rng.randint(5, 40)):
            actions.cast_vote(nomination, phone=f"139{phones.pop()}")
    replay.at(_at(publicity_start, 9))
    round_ = actions.advance_round(round_, actor=office)
    replay.at(_at(publicity_start + dt.timedelta(days=2), 15))
    objected = round_.nominations.filter(status=NominationStatus.SELECTED).order_by("rank")[3]
    objection = actions.raise_objection(objected, text=OBJECTION)
    replay.at(_at(publicity_start + dt.timedelta(days=4)))
    actions.handle_objection(objection, actor=office, upheld=False,
                             response=RESPONSE)
    replay.at(_at(publish, 10))
    actions.advance_round(round_, actor=office)
    return {"nominated": len(made), "rejected": REJECTED}


def seed_selection(campaign: Campaign, rng: random.Random) -> str:
    if Selection.objects.filter(name=SELECTION).exists():
        return "已存在"
    users = _users()
    start = campaign.started_on
    days = [start + dt.timedelta(days=n) for n in (41, 45, 60, 63, 69, 71)]  # 4月15日 … 5月15日
    with clock.historical_load(reason="演示数据：党史学习之星评选", run_by=who_runs(),
                               not_before=_at(start, 0)) as replay:
        replay.at(_at(start + dt.timedelta(days=14)))
        selection = actions.create_selection(
            actor=users["dispatcher"], name=SELECTION,
            description="在全区党员干部群众中评选“党史学习之星”，树立学史明理、学史增信、学史崇德、学史力行的先进典型。")
        counts = _run_round(selection, users, rng, replay, days)
    selected = selection.rounds.get().nominations.filter(
        status=NominationStatus.SELECTED).count()
    return (f"{SELECTION}推荐{counts['nominated']}人(未通过{counts['rejected']}人)，"
            f"群众投票{Vote.objects.filter(round__selection=selection).count()}票，"
            f"异议{Objection.objects.filter(nomination__round__selection=selection).count()}条，"
            f"入选{selected}人")


def seed_practices(campaign: Campaign) -> str:
    users = _users()
    written = 0
    start = campaign.started_on
    existing = set(GoodPractice.objects.values_list("title", flat=True))
    if all(title in existing for _code, title, _body, _publish in PRACTICES):
        return "好做法好经验已存在"
    with clock.historical_load(reason="演示数据：好做法好经验", run_by=who_runs(),
                               not_before=_at(start, 0)) as replay:
        for n, (code, title, body, publish) in enumerate(PRACTICES):
            if title in existing:
                continue
            unit = Unit.objects.get(code=code)
            replay.at(_at(min(start + dt.timedelta(days=50 + 20 * n), timezone.localdate())))
            story = actions.write_practice(actor=users.get(code) or users["dispatcher"],
                                           unit=unit, title=title, body=body, submit=True)
            if publish:
                replay.at(_at(min(start + dt.timedelta(days=53 + 20 * n),
                                  timezone.localdate()), 9))
                actions.review_practice(story, actor=users["dispatcher"], publish=True,
                                        note="经验做法可复制可推广，予以发布。")
            written += 1
    published = GoodPractice.objects.filter(status=StoryStatus.PUBLISHED).count()
    waiting = GoodPractice.objects.filter(status=StoryStatus.SUBMITTED).count()
    return f"好做法好经验新写{written}篇(已发布{published}篇，待审核{waiting}篇)"


def seed(campaign: Campaign, rng: random.Random) -> str:
    """Create this part's demo records through the actions; say what was created."""
    return f"{seed_selection(campaign, rng)}；{seed_practices(campaign)}"
