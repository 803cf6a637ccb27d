"""The demo's campaign organisation, meetings, tasks and practical-matter lists (issue 9),
created through the campaign's actions (see banshi/demo/campaign.py).

- 一办五组: the 领导小组 (组长, 副组长, 成员), its 办公室 (director a 区委常委) and five working
  groups, 59 seconded staff from the departments and streets, and the office's 临时党支部 with
  its 支部委员会 (whose members are seconded staff already counted) and rules.
- Meetings: the 动员大会 on the campaign's first day, 2 推进会, 6 协调会, a 周例会 every Monday
  and a 月度会议 on the 25th of every month from the start up to today; decisions of the larger
  meetings become tasks (规定动作 to every street, 自选动作 to a few units), most done, a few
  left open past their deadline (the overdue list).
- Practical-matter lists for many units, with the report's "清理违规户外广告50余处" (区城管局)
  and "解决群众生产生活难题40余条" (西流湖街道) as matters whose done counts are the sums of
  their progress entries.

Each part is skipped when its records exist (idempotent)."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from banshi.appeals.models import Aspect
from banshi.campaign.actions import matters as matter_actions
from banshi.campaign.actions import meetings as meeting_actions
from banshi.campaign.actions import org as org_actions
from banshi.campaign.actions import tasks as task_actions
from banshi.campaign.choices import ActionKind, GroupKind, MeetingKind
from banshi.campaign.models import Campaign, Meeting, OrgGroup, OrgMember, PracticalMatter
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

SECONDED = 59  # the report's "抽调59名工作人员集中办公"
WORKING_GROUPS = [
    ("综合协调组", "统筹协调活动各项工作，组织会议，跟踪督办议定事项和工作任务。"),
    ("学习宣传组", "组织理论学习、宣讲和红色教育，做好宣传报道和典型宣传。"),
    ("督导指导组", "组织巡回指导组对各单位开展督导，跟踪问题整改。"),
    ("办实事组", "统筹“我为群众办实事”清单，跟踪群众诉求办理和实事销号。"),
    ("材料信息组", "起草综合材料，编发简报信息，管理工作台账。"),
]
LEADERSHIP = [("组长", "区委书记"), ("副组长", "区委副书记、区长"), ("副组长", "区委副书记"),
              ("成员", "区委常委、纪委书记、监委主任"), ("成员", "区委常委、宣传部部长")]
BRANCH_RULES = """一、临时党支部由领导小组办公室抽调集中办公的党员组成，接受区直机关工委领导。
二、坚持“三会一课”制度：支部党员大会每季度召开一次，支委会每月召开一次，党小组会每月召开一次，每季度上一次党课。
三、每月开展一次主题党日活动，结合党史学习教育组织集中学习、交流研讨。
四、抽调党员在临时党支部过组织生活，组织关系仍保留在原单位，表现情况反馈原单位。
五、严格请销假和考勤制度，落实保密纪律和廉洁自律各项规定。"""
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
            "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建国宇浩凯鑫晨阳帆峰"
         "慧婷雪琳博文斌宁亮倩颖佳悦欣怡晓海波")

PROGRESS_MEETINGS = [dt.date(2026, 4, 22), dt.date(2026, 6, 24)]
COORDINATION_MEETINGS = [dt.date(2026, 3, 12), dt.date(2026, 3, 26), dt.date(2026, 4, 16),
                         dt.date(2026, 5, 14), dt.date(2026, 6, 11), dt.date(2026, 7, 16)]
MONTHLY_DAY = 25
WEEKLY_WEEKDAY = 0  # Monday


def weekly_days(start: dt.date, today: dt.date) -> list[dt.date]:
    """Every Monday from `start` up to `today` (the 周例会)."""
    first = start + dt.timedelta(days=(WEEKLY_WEEKDAY - start.weekday()) % 7)
    return [first + dt.timedelta(weeks=n) for n in range((today - first).days // 7 + 1)] \
        if first <= today else []


def monthly_days(start: dt.date, today: dt.date) -> list[dt.date]:
    """The 25th of every month from `start`'s month up to `today` (the 月度会议)."""
    days, year, month = [], start.year, start.month
    while (held := dt.date(year, month, MONTHLY_DAY)) <= today:
        if held >= start:
            days.append(held)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in names:
            names.append(name)
    return names


# ---------- organisation ----------

def _home_units(rng: random.Random) -> list[Unit]:
    units = list(Unit.objects.filter(kind__in=(UnitKind.DEPARTMENT, UnitKind.STREET),
                                     parent__kind=UnitKind.DISTRICT).order_by("path"))
    rng.shuffle(units)
    return units


def seed_organisation(campaign: Campaign, rng: random.Random, actor) -> int:
    start = campaign.started_on
    names = _names(rng, SECONDED + len(LEADERSHIP) + 1)
    homes = _home_units(rng)
    zzb = Unit.objects.filter(code="zzb").first()
    top = org_actions.add_group(
        actor=actor, parent=None, kind=GroupKind.LEADERSHIP, campaign=campaign,
        name="党史学习教育暨“我为群众办实事”实践活动领导小组", formed_on=start,
        duties="统筹领导全区党史学习教育和“我为群众办实事”实践活动。")
    for order, (role, title) in enumerate(LEADERSHIP):
        org_actions.add_member(top, actor=actor, name=names.pop(), role=role, title=title,
                               order=order)
    office = org_actions.add_group(
        actor=actor, parent=top, kind=GroupKind.OFFICE, campaign=campaign, name="领导小组办公室",
        formed_on=start, order=1, duties="承担领导小组日常工作，抽调人员集中办公，下设五个工作组。")
    org_actions.add_member(office, actor=actor, name=names.pop(), role="办公室主任",
                           title="区委常委、组织部部长", home_unit=zzb)
    seconded: list[OrgMember] = []
    for order, role in enumerate(["办公室副主任", "办公室副主任"], 1):
        seconded.append(org_actions.add_member(
            office, actor=actor, name=names.pop(), role=role, title="副部长",
            home_unit=homes[len(seconded) % len(homes)], seconded=True, order=order))
    per_group = [(SECONDED - 2) // 5 + (1 if i < (SECONDED - 2) % 5 else 0) for i in range(5)]
    for number, ((name, duties), size) in enumerate(zip(WORKING_GROUPS, per_group, strict=True)):
        group = org_actions.add_group(actor=actor, parent=office, kind=GroupKind.WORKING,
                                      campaign=campaign, name=name, duties=duties,
                                      formed_on=start, order=number + 1)
        for order in range(size):
            role = "组长" if order == 0 else "副组长" if order == 1 else "成员"
            seconded.append(org_actions.add_member(
                group, actor=actor, name=names.pop(), role=role,
                title="科长" if order < 2 else "干部",
                home_unit=homes[len(seconded) % len(homes)], seconded=True, order=order))
    branch = org_actions.add_group(
        actor=actor, parent=office, kind=GroupKind.PARTY_BRANCH, campaign=campaign,
        name="领导小组办公室临时党支部", formed_on=start + dt.timedelta(days=3), order=9,
        duties="加强抽调集中办公党员的教育管理，发挥战斗堡垒作用。", rules=BRANCH_RULES)
    committee = org_actions.add_group(
        actor=actor, parent=branch, kind=GroupKind.BRANCH_COMMITTEE, campaign=campaign,
        name="临时党支部支部委员会", formed_on=start + dt.timedelta(days=3),
        rules="支委会每月召开一次，研究支部重要事项，实行集体领导和个人分工负责相结合。")
    for order, (role, person) in enumerate(zip(["支部书记", "组织委员", "宣传委员"],
                                               [seconded[0], seconded[2], seconded[15]],
                                               strict=True)):
        org_actions.add_member(committee, actor=actor, name=person.name, role=role,
                               title=person.title, home_unit=person.home_unit, seconded=True,
                               order=order)
        org_actions.add_member(branch, actor=actor, name=person.name, role=role,
                               title=person.title, home_unit=person.home_unit, seconded=True,
                               order=order)
    return org_actions.seconded_staff(campaign).count()


# ---------- meetings and tasks ----------

MOBILISATION_DECISIONS = [
    ("各单位一周内制定党史学习教育和“我为群众办实事”实践活动实施方案并报领导小组办公室",
     ActionKind.REQUIRED, 7),
    ("各单位梳理形成本单位“我为群众办实事”清单，明确责任人和完成时限", ActionKind.REQUIRED, 21),
]
PROGRESS_DECISIONS = [
    ("开展“百名书记讲党史”，各街道党工委书记带头讲专题党课", ActionKind.REQUIRED, 30),
    ("各街道结合实际打造一项为民服务特色品牌", ActionKind.OPTIONAL, 60),
]
COORDINATION_DECISIONS = [
    "集中清理沿街违规户外广告及宣传画，城管局牵头，相关街道配合",
    "推进老旧小区改造“一楼一议”，建设路街道先行试点",
    "建立群众诉求周调度机制，超期件由办公室督办",
    "组织巡回指导组对各单位开展第一轮督导",
    "梳理信访积案，逐案明确化解责任人",
    "汇总上半年办实事清单完成情况，形成专报",
]
DECISION_UNITS = [["cgj", "linshanzhai", "mianfanglu", "sanguanmiao"], ["jianshelu", "zjj"],
                  ["xfj", "szcg"], ["zzb"], ["xfj", "sfj"], ["fgw", "tjj"]]


def _meeting(actor, unit, kind, held_on, title, chair, count, minutes="") -> Meeting:
    return meeting_actions.create_meeting(
        actor=actor, unit=unit, kind=kind, held_on=held_on, title=title, place="区委第一会议室",
        chair=chair, attendees="领导小组成员，办公室及各工作组负责人", attendee_count=count,
        minutes=minutes)


def _task_from(decision, actor, *, units: list[Unit], kind, due: dt.date, owner, today,
               rng: random.Random, keep_open: bool = False) -> None:
    task = meeting_actions.decision_to_task(decision, actor=actor, assignees=units, due_on=due,
                                            kind=kind, owner=owner)
    for assignment in task.assignments.select_related("unit"):
        handler = _user(assignment.unit.code) or actor
        if due > today or keep_open:
            task_actions.report_progress(assignment, actor=handler, text="已部署，正在推进。")
            continue
        task_actions.report_progress(assignment, actor=handler, text="已按要求落实，材料已报送。")
        task_actions.complete_assignment(
            assignment, actor=handler,
            on=min(today, due - dt.timedelta(days=rng.randint(0, 3))))


def seed_meetings(campaign: Campaign, rng: random.Random, actor, today: dt.date) -> int:
    office = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
    start = campaign.started_on
    streets = list(Unit.objects.filter(kind=UnitKind.STREET).order_by("path"))
    owners = list(OrgMember.objects.filter(group__campaign=campaign, role="组长",
                                           group__kind=GroupKind.WORKING)
                  .order_by("group__order"))
    chair = "区委副书记、区长"
    made = 0
    mobilisation = _meeting(actor, office, MeetingKind.MOBILISATION, start,
                            "全区党史学习教育暨“我为群众办实事”实践活动动员大会", "区委书记", 320,
                            "传达学习上级会议精神，对全区活动作出动员部署。")
    for text, kind, days in MOBILISATION_DECISIONS:
        decision = meeting_actions.add_decision(mobilisation, actor=actor, text=text)
        _task_from(decision, actor, units=streets, kind=kind, due=start + dt.timedelta(days=days),
                   owner=owners[0] if owners else None, today=today, rng=rng)
    made += 1
    for number, held in enumerate(d for d in PROGRESS_MEETINGS if d <= today):
        meeting = _meeting(actor, office, MeetingKind.PROGRESS, held,
                           f"全区党史学习教育推进会(第{number + 1}次)", chair, 180)
        text, kind, days = PROGRESS_DECISIONS[number]
        decision = meeting_actions.add_decision(meeting, actor=actor, text=text)
        chosen = streets if kind == ActionKind.REQUIRED else streets[:4]
        # the second progress meeting's 自选动作 is still open at two streets: overdue
        _task_from(decision, actor, units=chosen, kind=kind, due=held + dt.timedelta(days=days),
                   owner=owners[1] if len(owners) > 1 else None, today=today, rng=rng,
                   keep_open=number == 1)
        made += 1
    for number, held in enumerate(d for d in COORDINATION_MEETINGS if d <= today):
        meeting = _meeting(actor, office, MeetingKind.COORDINATION, held,
                           f"领导小组办公室协调会(第{number + 1}次)", "区委常委、组织部部长", 25)
        decision = meeting_actions.add_decision(meeting, actor=actor,
                                                text=COORDINATION_DECISIONS[number])
        units = list(Unit.objects.filter(code__in=DECISION_UNITS[number]))
        if units:
            _task_from(decision, actor, units=units, kind=ActionKind.OPTIONAL,
                       due=held + dt.timedelta(days=20 + 5 * number),
                       owner=owners[number % len(owners)] if owners else None, today=today,
                       rng=rng, keep_open=number == 4)
        made += 1
    for held in weekly_days(start, today):
        _meeting(actor, office, MeetingKind.WEEKLY, held, f"办公室周例会({held:%m月%d日})",
                 "办公室主任", rng.randint(18, 30), "各工作组汇报本周工作，安排下周重点。")
        made += 1
    for held in monthly_days(start, today):
        _meeting(actor, office, MeetingKind.MONTHLY, held, f"{held.month}月份工作调度会",
                 "区委常委、组织部部长", rng.randint(40, 70), "通报本月各单位工作进展和排名。")
        made += 1
    return made


# ---------- practical-matter lists ----------

# (unit code, title, measure, kind, aspect, target, done, count unit, close)
MATTERS = [
    ("cgj", "拆除违法建筑", "联合街道对存量违建逐处建档、限期拆除。", ActionKind.OPTIONAL,
     "a4", 30, 34, "处", True),
    ("cgj", "清理沿街违规户外广告及宣传画", "对主次干道沿街违规户外广告、宣传画集中清理。",
     ActionKind.OPTIONAL, "a4", 50, 56, "处", True),
    ("xiliuhu", "联络员结对解决群众生产生活难题", "社区联络员结对联系群众，问题建台账、限时办结。",
     ActionKind.OPTIONAL, "a3", 40, 43, "条", True),
    ("jianshelu", "老旧小区改造“一楼一议”", "因院施策，逐楼召开议事会确定改造内容。",
     ActionKind.OPTIONAL, "a4", 12, 9, "个小区", False),
    ("czj", "开展税收专项治理", "对重点行业开展税收专项治理，规范征管秩序。",
     ActionKind.OPTIONAL, "a7", 20, 20, "户", True),
    ("lianhu", "打造“莲湖红”党建服务品牌", "整合辖区资源，建设党群服务阵地。",
     ActionKind.OPTIONAL, "a6", 6, 6, "个", True),
    ("linshanzhai", "背街小巷环境整治", "对背街小巷路面、照明、杂物集中整治。",
     ActionKind.OPTIONAL, "a4", 15, 11, "条", False),
    ("jyj", "解决学生“放学后”托管难题", "中小学开展课后延时服务。", ActionKind.OPTIONAL,
     "a5", 30, 30, "所", True),
    ("wjw", "家庭医生签约服务进社区", "组织家庭医生团队进社区签约、义诊。",
     ActionKind.OPTIONAL, "a6", 5000, 5230, "户", True),
    ("zjj", "老旧小区加装电梯", "推动符合条件的老旧小区加装电梯。", ActionKind.OPTIONAL,
     "a4", 20, 14, "部", False),
]
STREET_MATTER = ("为民办实事清单事项办理", "梳理辖区群众急难愁盼问题，逐项建立台账、限期办结。",
                 ActionKind.REQUIRED, "a6")


def _progress(matter, actor, done: int, start: dt.date, end: dt.date, rng) -> None:
    """`done` in 2–4 entries at dates between `start` and `end`."""
    parts = rng.randint(2, 4) if done >= 4 else 1
    cuts = sorted(rng.sample(range(1, done), parts - 1)) if parts > 1 else []
    amounts = [b - a for a, b in zip([0, *cuts], [*cuts, done], strict=True)]
    span = max((end - start).days, 1)
    for number, added in enumerate(amounts, 1):
        matter_actions.add_progress(
            matter, actor=actor, added=added, note=f"第{number}批完成{added}{matter.count_unit}",
            on=start + dt.timedelta(days=span * number // (len(amounts) + 1)))


def seed_matters(campaign: Campaign, rng: random.Random, actor, today: dt.date) -> int:
    start = campaign.started_on + dt.timedelta(days=14)
    aspects = {a.code: a for a in Aspect.objects.all()}
    rows = list(MATTERS)
    for street in Unit.objects.filter(kind=UnitKind.STREET).order_by("path"):
        if street.code not in {row[0] for row in rows}:
            target = rng.randint(10, 40)
            rows.append((street.code, *STREET_MATTER[:3], STREET_MATTER[3], target,
                         rng.randint(target // 2, target), "件", False))
    made = 0
    for code, title, measure, kind, aspect, target, done, count_unit, close in rows:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            continue
        handler = _user(code) or actor
        due = min(today, start + dt.timedelta(days=150))
        matter = matter_actions.create_matter(
            actor=handler, unit=unit, title=title, measure=measure, kind=kind,
            aspect=aspects.get(aspect), target_count=target, count_unit=count_unit,
            committed_on=start, due_on=start + dt.timedelta(days=180),
            evidence="现场照片、工作台账" if close else "")
        _progress(matter, handler, done, start, due, rng)
        if close or done >= target:
            matter_actions.close_matter(matter, actor=handler, on=due)
        made += 1
    return made


def seed(campaign: Campaign, rng: random.Random) -> str:
    """Create this part's demo records through the actions; say what was created."""
    actor = _user("dispatcher")
    if actor is None:
        return "缺少派单员账号(dispatcher)，未创建"
    today = timezone.localdate()
    said = []
    with transaction.atomic():
        if OrgGroup.objects.filter(campaign=campaign).exists():
            said.append("组织机构已存在")
        else:
            seconded = seed_organisation(campaign, rng, actor)
            said.append(f"一办五组及临时党支部，抽调人员 {seconded} 名")
        if Meeting.objects.filter(kind=MeetingKind.MOBILISATION).exists():
            said.append("会议已存在")
        else:
            said.append(f"会议 {seed_meetings(campaign, rng, actor, today)} 次")
        if PracticalMatter.objects.exists():
            said.append("办实事清单已存在")
        else:
            said.append(f"办实事清单 {seed_matters(campaign, rng, actor, today)} 项")
    return "；".join(said)
