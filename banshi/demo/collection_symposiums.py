"""The demo's symposiums and online groups (issue 8), counted from records like the rest.

`seed_symposiums` creates the report's 126 symposiums in the campaign period (9 of them
中原西路街道's, at street and community level; 建设路街道's 一楼一议 consultations and
物业联席会), spread over
the streets, their communities and the departments, some with an attendee list. Volumes are
written with bulk_create (no per-row action: these are past records, and the seeder must
stay quick); the appeals raised at them are left to the demo's appeal timeline. Being a
historical load of fixtures, the bulk-created records have no 操作记录 (collection RecordEvent);
only what goes through an action logs. `seed_groups` registers a WeChat group, a QQ group
and a 心通桥 entry per street and pastes a few messages through the action, each becoming an
appeal (channel wechat_group / qq_group / platform; each paste logs a 贴入消息 event). Both do
nothing when their records exist.
"""

import datetime as dt
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from banshi.collection.actions.groups import paste_message
from banshi.collection.choices import GroupKind, SymposiumKind
from banshi.collection.models import OnlineGroup, Symposium, SymposiumParticipant
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from .collection_common import CAMPAIGN_START

TOTAL = 126
ZHONGYUANXILU = "zhongyuanxilu"  # 中原西路街道: 9 symposiums at different levels
ZHONGYUANXILU_COUNT = 9
JIANSHELU = "jianshelu"  # 建设路街道: 因院施策、一楼一议, and 物业联席会
JIANSHELU_COUNT = 14
DEPARTMENT_COUNT = 15
WITH_LIST_EVERY = 6  # one symposium in six keeps its attendee list

TOPICS: dict[str, list[str]] = {
    SymposiumKind.SOLICITATION: ["“我为群众办实事”征求意见座谈会", "居民代表恳谈会：身边的急难愁盼",
                                 "老旧小区改造征求意见会", "“民生微实事”项目征集座谈会",
                                 "辖区企业和商户代表座谈会", "老年人助餐服务需求座谈会"],
    SymposiumKind.ONE_BUILDING: ["{n}号楼加装电梯一楼一议", "{n}号院停车位规划一楼一议",
                                 "{n}号楼屋面防水维修协商会", "{n}号院雨污分流改造协商会"],
    SymposiumKind.PROPERTY_JOINT: ["物业服务质量联席会", "小区物业费收支公示联席会",
                                   "物业、业委会与社区联席会"],
    SymposiumKind.OTHER: ["网格员工作例会暨民情分析会", "人大代表进社区接待日"],
}
PLACES = ["社区党群服务中心", "社区会议室", "小区广场", "楼栋单元门口", "街道办事处三楼会议室",
          "新时代文明实践站"]
ROLES = ["居民代表", "楼栋长", "党员", "物业公司", "业委会", "人大代表", "商户代表", "网格员"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "建国秀英桂兰志强海燕玉珍明华丽娟文军红梅淑芬德胜保国凤英"


def _day(rng: random.Random, today: dt.date) -> dt.date:
    return CAMPAIGN_START + dt.timedelta(days=rng.randrange((today - CAMPAIGN_START).days + 1))


def _organisers() -> list[tuple[Unit, str]]:
    """(unit, kind) for each of the 126: 中原西路 9 at street and community level, 建设路 its
    consultations, 15 departments', the rest round-robin over the other streets."""
    units = {u.code: u for u in Unit.objects.filter(is_active=True).select_related("region")}
    communities = [u for u in units.values() if u.kind == UnitKind.COMMUNITY]

    def below(code: str) -> list[Unit]:
        return sorted((u for u in communities if u.parent_id == units[code].pk),
                      key=lambda u: u.code)

    plan: list[tuple[Unit, str]] = []
    zy = [units[ZHONGYUANXILU]] * 3 + (below(ZHONGYUANXILU) * 6)[:6]
    plan += [(u, SymposiumKind.SOLICITATION if n % 3 else SymposiumKind.OTHER)
             for n, u in enumerate(zy)]
    js = [units[JIANSHELU]] * 2 + (below(JIANSHELU) * JIANSHELU_COUNT)[:JIANSHELU_COUNT - 2]
    plan += [(u, [SymposiumKind.ONE_BUILDING, SymposiumKind.PROPERTY_JOINT,
                  SymposiumKind.ONE_BUILDING, SymposiumKind.SOLICITATION][n % 4])
             for n, u in enumerate(js)]
    departments = sorted((u for u in units.values() if u.kind == UnitKind.DEPARTMENT),
                         key=lambda u: u.code)
    plan += [(u, SymposiumKind.SOLICITATION) for u in departments[:DEPARTMENT_COUNT]]
    others = [u for u in units.values() if u.kind in (UnitKind.STREET, UnitKind.COMMUNITY)
              and not u.path.startswith((units[ZHONGYUANXILU].path, units[JIANSHELU].path))]
    others.sort(key=lambda u: u.code)
    kinds = [SymposiumKind.SOLICITATION, SymposiumKind.SOLICITATION,
             SymposiumKind.ONE_BUILDING, SymposiumKind.PROPERTY_JOINT, SymposiumKind.OTHER]
    for n in range(TOTAL - len(plan)):
        plan.append((others[n % len(others)], kinds[n % len(kinds)]))
    return plan


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def seed_symposiums(rng: random.Random) -> Counter | str:
    """The report's 126 symposiums (idempotent: nothing when any symposium exists)."""
    if Symposium.objects.exists():
        return "座谈会已存在，未重复生成"
    if Unit.objects.filter(code__in=[ZHONGYUANXILU, JIANSHELU]).count() != 2:
        return "没有街道单位，先导入 units.csv"
    today = timezone.localdate()
    rows: list[Symposium] = []
    per_day: Counter[dt.date] = Counter()
    for unit, kind in _organisers():
        held_on = _day(rng, today)
        per_day[held_on] += 1
        topic = rng.choice(TOPICS[kind]).format(n=rng.randint(1, 28))
        region = unit.region if unit.kind == UnitKind.COMMUNITY else None
        rows.append(Symposium(
            unit=unit, code=f"ZT{held_on:%Y%m%d}{per_day[held_on]:03d}", kind=kind,
            held_on=held_on, topic=topic, region=region, place=rng.choice(PLACES),
            participants=rng.randint(8, 60),
            minutes=f"会议围绕“{topic}”听取意见，梳理群众诉求，明确责任单位和办理时限。"))
    with transaction.atomic():
        Symposium.objects.bulk_create(rows)
        created = list(Symposium.objects.order_by("id"))
        attendees = []
        for symposium in created[::WITH_LIST_EVERY]:
            signed = timezone.make_aware(dt.datetime.combine(symposium.held_on, dt.time(9)))
            for n in range(min(symposium.participants, rng.randint(5, 12))):
                attendees.append(SymposiumParticipant(
                    symposium=symposium, name=_person(rng), role=rng.choice(ROLES),
                    signed_in_at=signed + dt.timedelta(minutes=n) if n % 2 else None))
        SymposiumParticipant.objects.bulk_create(attendees)
    return Counter(symposiums=len(created), attendees=len(attendees))


MESSAGES = [
    ("楼下老张", "小区东门的路灯坏了好几天了，晚上黑乎乎的，老人出门不安全，麻烦社区联系修一下。"),
    ("幸福一家", "3号楼单元门禁一直坏着，外卖快递随便进，大家都担心安全，能不能尽快换新的？"),
    ("晨练的王姨", "小区广场的健身器材有一个扶手松了，孩子们在上面玩很危险，请物业看一下。"),
    ("阳光", "最近垃圾清运不及时，分类垃圾桶满了溢出来，味道很大，希望增加清运次数。"),
    ("老李头", "社区卫生服务站能不能周末也开门？上班的年轻人平时没时间带老人去量血压。"),
]


def _actor(unit: Unit):
    users = get_user_model().objects
    return users.filter(username=unit.code).first() or users.filter(username="dispatcher").first()


def seed_groups(rng: random.Random, messages_per_street: int = 2) -> Counter | str:
    """A WeChat group, a QQ group and a 心通桥 entry per street, with a few pasted messages
    (each an appeal through the paste action). Idempotent: nothing when groups exist."""
    if OnlineGroup.objects.exists():
        return "网络群组已存在，未重复生成"
    counts: Counter = Counter()
    now = timezone.now()
    for street in Unit.objects.filter(kind=UnitKind.STREET, is_active=True).order_by("code"):
        name = street.name.removesuffix("办事处")
        groups = [OnlineGroup.objects.create(unit=street, kind=kind, name=label,
                                             members=members)
                  for kind, label, members in [
                      (GroupKind.WECHAT_GROUP, f"{name}居民议事微信群", rng.randint(200, 500)),
                      (GroupKind.QQ_GROUP, f"{name}志愿者QQ群", rng.randint(80, 300)),
                      (GroupKind.PLATFORM, f"心通桥·{name}", 0)]]
        counts["groups"] += len(groups)
        actor = _actor(street)
        community = (Unit.objects.filter(parent=street, kind=UnitKind.COMMUNITY)
                     .select_related("region").order_by("code").first())
        for n in range(messages_per_street if actor else 0):
            alias, text = rng.choice(MESSAGES)
            paste_message(groups[n % len(groups)], actor=actor, sender_alias=alias,
                          sent_at=now - dt.timedelta(days=rng.randint(1, 60), minutes=n),
                          text=text, region=community.region if community else None)
            counts["messages"] += 1
    return counts
