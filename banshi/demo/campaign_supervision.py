"""The demo's campaign records: supervision (see banshi/demo/campaign.py).

"7个巡回指导组对71个单位逐一督导，实现全覆盖": seven guidance groups (第一 … 第七巡回指导组),
each with a 组长, a 副组长 and members — the demo account `inspector` is a member of the first —
covering together the 14 street offices and 57 departments (never the district office nor a
community), one group per unit. Every covered unit is visited by its group at least once from
2026-03-10 on (a second round in the autumn for some), through the actions: the first group's
visits by `inspector`, the others' by the office (`dispatcher`). Findings become rectification
items; most of the first round's are reported done by the unit's own account, the autumn's are
still open. The coverage (71 of 71) is counted from these records, never stored.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from banshi.campaign.actions import supervision as actions
from banshi.campaign.choices import VisitRating
from banshi.campaign.models import Campaign, GuidanceGroup
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

GROUP_NAMES = [f"第{n}巡回指导组" for n in "一二三四五六七"]
FIRST_VISITS = dt.date(2026, 3, 10)
FIRST_ROUND_DAYS = 80          # the first round: every unit between 3月10日 and the end of May
SECOND_ROUND = dt.date(2026, 10, 12)
SECOND_ROUND_SHARE = 0.2
DUE_DAYS = 30
LATE_DUE_DAYS = 45          # the autumn round's items: some still within their deadline

LEADERS = [("周建民", "区人大常委会副主任"), ("刘振华", "区政协副主席"),
           ("王卫东", "区委巡察办主任"), ("陈志强", "区纪委监委副书记"),
           ("杨德华", "区委组织部副部长"), ("赵国庆", "区委宣传部副部长"),
           ("孙保国", "区委统战部副部长")]
DEPUTIES = [("李秀英", "区委党史研究室主任"), ("张海燕", "区直机关工委副书记"),
            ("黄文博", "区委编办副主任"), ("吴丽娟", "区老干部局副局长"),
            ("徐振东", "区委党校副校长"), ("马红梅", "区档案馆副馆长"),
            ("朱向阳", "区委政法委副书记")]
MEMBER_SURNAMES = "郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
MEMBER_GIVEN = ["晓峰", "雪梅", "俊杰", "思远", "丽华", "春生", "家豪", "素芬", "长海", "玉兰"]
INSPECTOR_NAME = ("冯晓东", "区委党史学习教育领导小组办公室干部")

FINDINGS = [
    ("专题学习记录不够完整，个别支部学习笔记缺失", "完善专题学习记录，补齐支部学习台账"),
    ("办实事清单部分事项进度滞后，缺少推进台账", "建立清单推进台账，逐项明确时限和责任人"),
    ("群众诉求回访不及时，部分件次未按时答复", "对未回访诉求逐件回访，按时限答复群众"),
    ("“三会一课”开展不够规范，记录要素不全", "规范“三会一课”记录，补全时间、人员和内容"),
    ("宣传氛围营造不足，活动信息报送不及时", "加强宣传报道，按周报送活动信息"),
    ("领导干部讲党课覆盖不全", "制定讲党课计划，确保班子成员全覆盖"),
]
HIGHLIGHTS = ["组织领导有力，学习计划安排周密", "结合实际开展“我为群众办实事”，群众反映良好",
              "创新开展党史学习“微课堂”，覆盖面广", "把学习成果转化为破解难题的具体举措",
              "建立问题清单、责任清单、整改清单，推进扎实"]
RESULTS = ["已完成整改，相关台账已补齐", "已召开专题会议研究部署，问题已整改到位",
           "已逐件落实，建立长效机制", "已按要求完成，整改材料已报指导组"]
RATINGS = [VisitRating.GOOD] * 5 + [VisitRating.FAIR] * 3 + [VisitRating.AVERAGE]


def _covered_units() -> list[Unit]:
    """The 14 streets, then the 57 departments (never the district office or a community)."""
    return list(Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.DEPARTMENT],
                                    is_active=True)
                .order_by("-kind", "path"))  # "street" sorts after "department": streets first


def _shares(units: list[Unit], groups: int) -> list[list[Unit]]:
    """Streets and departments dealt out so each group has two streets and its departments."""
    streets = [u for u in units if u.kind == UnitKind.STREET]
    departments = [u for u in units if u.kind == UnitKind.DEPARTMENT]
    shares: list[list[Unit]] = [[] for _ in range(groups)]
    for index, unit in enumerate(streets):
        shares[index * groups // len(streets)].append(unit)
    for index, unit in enumerate(departments):
        shares[index * groups // len(departments)].append(unit)
    return shares


def _members(group: GuidanceGroup, index: int, dispatcher, inspector, rng) -> None:
    name, title = LEADERS[index]
    actions.add_member(group, actor=dispatcher, name=name, role="组长", title=title)
    name, title = DEPUTIES[index]
    actions.add_member(group, actor=dispatcher, name=name, role="副组长", title=title)
    if index == 0:
        actions.add_member(group, actor=dispatcher, name=INSPECTOR_NAME[0], role="成员",
                           title=INSPECTOR_NAME[1], user=inspector)
    for _ in range(2 + rng.randint(0, 1)):
        actions.add_member(group, actor=dispatcher, role="成员", title="区直单位抽调干部",
                           name=rng.choice(MEMBER_SURNAMES) + rng.choice(MEMBER_GIVEN))


def _visit(group, unit, on: dt.date, actor, rng, *, finish: bool) -> int:
    """One visit; returns how many of its items the unit reported done."""
    picked = rng.sample(FINDINGS, rng.choice([0, 0, 1, 1, 2]))
    due_on = on + dt.timedelta(days=DUE_DAYS if finish else LATE_DUE_DAYS)
    visit = actions.record_visit(
        group, actor=actor, unit=unit, visited_on=on, rating=rng.choice(RATINGS),
        findings="；".join(finding for finding, _item in picked),
        highlights=rng.choice(HIGHLIGHTS),
        items=[actions.ItemIn(item, due_on) for _finding, item in picked])
    done = 0
    today = timezone.localdate()
    owner = get_user_model().objects.filter(username=unit.code).first()
    for item in visit.rectifications.all():
        if finish and owner is not None and rng.random() < 0.85:
            done_on = min(on + dt.timedelta(days=rng.randint(5, DUE_DAYS + 5)), today)
            actions.complete_rectification(item, actor=owner, result=rng.choice(RESULTS),
                                           done_on=done_on)
            done += 1
    return done


def seed(campaign: Campaign, rng: random.Random) -> str:
    """Create this part's demo records through the actions; say what was created."""
    if GuidanceGroup.objects.filter(campaign=campaign, name=GROUP_NAMES[0]).exists():
        return "已存在，未重复创建"
    User = get_user_model()
    dispatcher = User.objects.get(username="dispatcher")
    inspector = User.objects.get(username="inspector")
    today = timezone.localdate()
    shares = _shares(_covered_units(), len(GROUP_NAMES))
    visits = done = 0
    for index, (name, units) in enumerate(zip(GROUP_NAMES, shares, strict=True)):
        group = actions.create_group(campaign, actor=dispatcher, name=name, order=index + 1,
                                     units=units)
        _members(group, index, dispatcher, inspector, rng)
        actor = inspector if index == 0 else dispatcher
        for unit in units:
            on = min(FIRST_VISITS + dt.timedelta(days=rng.randint(0, FIRST_ROUND_DAYS)), today)
            done += _visit(group, unit, on, actor, rng, finish=True)
            visits += 1
            if today > SECOND_ROUND and rng.random() < SECOND_ROUND_SHARE:
                later = min(SECOND_ROUND + dt.timedelta(days=rng.randint(0, 30)), today)
                done += _visit(group, unit, later, actor, rng, finish=False)
                visits += 1
    covered = sum(len(share) for share in shares)
    return (f"巡回指导组{len(GROUP_NAMES)}个，督导单位{covered}个，督导{visits}次，"
            f"整改事项已整改{done}项")
