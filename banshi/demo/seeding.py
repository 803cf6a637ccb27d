"""Demo data for `banshi seed-demo`: an account for every role and unit, and a few hundred
appeals driven through the real actions, so every state, event and board has rows.

Everything follows from the seed. `collected_at` spreads the appeals over the last ~120 days,
and each appeal's life follows its own dates: the appeals are told inside one historical load
(banshi.appeals.clock.historical_load, recorded with its reason and who ran it), whose clock
steps through each appeal's submit, dispatch, accept, answer and rating at plausible intervals
after its collection, never past the present. Deadlines are counted from those dates by the
actions themselves. The overdue sweep then runs at the real time, so 超期 means a deadline
really passed; the leader's 督办 of those cases happens now.
"""

import datetime as dt
import getpass
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from banshi.appeals import actions, clock, loaders
from banshi.appeals.choices import Channel, ProblemStatus, Rating, Solved, State, Urgency
from banshi.appeals.models import (
    Appeal,
    Aspect,
    Category,
    DeadlinePolicy,
    Problem,
    RoutingRule,
)
from banshi.appeals.permissions import may_supervise
from banshi.demo import routing
from banshi.demo.collection_common import CAMPAIGN_START
from banshi.org import loaders as org_loaders
from banshi.org.choices import Role, UnitKind
from banshi.org.loaders import LoadError, read_rows
from banshi.org.models import LeaderAssignment, Region, Staff, Unit

DATA_DIR = Path(__file__).parent / "data"
DEMO_PASSWORD = "banshi-demo"  # noqa: S105 - the documented demo password
DEMO_PREFIX = "demo-"
MIN_APPEALS = 20
# The report's "征集群众诉求2119条": the demo collects that many appeals in the campaign.
DEMO_APPEALS = 2119



def load_reference_data() -> list[tuple[str, int, Counter]]:
    """The district's regions, units, taxonomy, aspects, deadlines and routing rules (from
    the departments' duties, banshi.demo.routing) from the packaged files (idempotent);
    [(what, how many now, {created, updated})]."""
    steps = [
        ("行政区划", org_loaders.load_regions, Region),
        ("承办单位", org_loaders.load_units, Unit),
        ("诉求分类", loaders.load_taxonomy, Category),
        ("办实事方向", loaders.load_aspects, Aspect),
        ("办理时限", loaders.load_deadline_policies, DeadlinePolicy),
        ("派单规则(据单位职责)", routing.load_routing_rules, RoutingRule),
    ]
    return [(label, model._default_manager.count(), counts)
            for label, load, model in steps for counts in [load()]]


def _words(text: str) -> list[str]:
    return text.split()


ROLE_ACCOUNTS = [
    ("admin", Role.ADMIN, "系统管理员"),
    ("dispatcher", Role.DISPATCHER, "派单员"),
    ("leader", Role.LEADER, "区级领导"),
    ("inspector", Role.INSPECTOR, "巡回指导组"),
]
UNIT_ACCOUNT_LABEL = "联络员"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
            "蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯"
            "龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤")
GIVEN_NAMES = _words(
    "建国 秀英 桂英 玉兰 志强 海燕 丽娟 红梅 国庆 淑珍 卫东 德华 明 伟 芳 娜 敏 静 磊 洋 勇 "
    "艳 杰 娟 涛 超 军 霞 平 刚 鹏 辉 玲 宇 浩 欣怡 子涵 梓轩 雨桐 思远 晓峰 春生 凤兰 金凤 "
    "长海 振华 文博 家豪 俊杰 雪梅 素芬 保国 爱华 丽华 晓东 向阳"
)
ROADS = _words(
    "建设路 中原路 桐柏路 秦岭路 嵩山路 伏牛路 棉纺路 汝河路 华山路 陇海西路 工人路 互助路 "
    "淮河西路 须水河路 航海西路 百花路 友爱路 三官庙街 化工路 颍河路"
)
PHONE_PREFIXES = _words("130 131 132 135 136 137 138 139 150 151 155 156 158 159 176 185 189")
HONORIFICS = _words("先生 女士 大爷 阿姨")

CHANNEL_WEIGHTS = {
    Channel.ONLINE_FORM: 24, Channel.HOTLINE: 14, Channel.WECHAT_GROUP: 12, Channel.PLATFORM: 10,
    Channel.QQ_GROUP: 4, Channel.SYMPOSIUM: 8, Channel.HOUSEHOLD_VISIT: 10, Channel.SURVEY: 6,
    Channel.OPINION_BOX: 6, Channel.WALK_IN: 6,
}
DESK_CHANNELS = {Channel.HOTLINE, Channel.PLATFORM}  # entered by the district's desk
ANONYMOUS_CHANNELS = {Channel.OPINION_BOX, Channel.SURVEY}

# Share of each final state; the rest are closed.
OUTCOME_SHARES = {
    State.SUBMITTED: .07, State.DISPATCHED: .07, State.RETURNED: .03, State.IN_PROGRESS: .12,
    State.RESOLVED: .08, State.MERGED: .04, State.INVALID: .03,
}
# How long ago (days) an appeal with that final state was collected. Open cases are young, as
# in a district that keeps its deadlines (24 hours to 接单, 10–15 working days to answer):
# a few of them are past a deadline all the same, which the overdue sweep then flags.
AGE_DAYS = {State.SUBMITTED: (0.02, 2), State.DISPATCHED: (0.05, 1.5),
            State.RETURNED: (0.5, 8), State.IN_PROGRESS: (1, 18), State.RESOLVED: (3, 30),
            State.MERGED: (0.5, 15)}  # a duplicate of a case still open (merged, not answered)
CLOSED_AGE_DAYS = 4  # closed and invalid: from 4 days old back to the campaign's start
# Community and street cases are the campaign's daily bread: drawn more often.
LOCAL_WEIGHT = {"community": 3, "street": 2}
# Hours between the steps of an appeal's life (low, high), drawn uniformly; a step never goes
# past the present (Timeline.step).
HOURS = {
    "entry": (0.5, 30), "dispatch": (0.5, 20), "accept": (0.3, 8), "return": (2, 48),
    "escalate": (4, 48), "extend": (24, 96), "decide": (2, 24), "supervise": (24, 96),
    "answer_order": (4, 48), "resolve": (30, 200), "feedback": (12, 96), "redo": (48, 200),
    "merge": (1, 30), "delegate": (2, 24),
}
HISTORY_REASON = "演示数据：按每条演示诉求自身的日期补录其办理过程"

INVALID_REASONS = [
    "重复提交，与已受理诉求内容相同", "内容为广告信息，无实际诉求",
    "不属于本区受理范围，已告知诉求人向市级部门反映", "多次联系诉求人未果，内容无法核实",
]
EXTENSION_REASONS = [
    "需协调多个部门联合处置", "涉及施工改造，需等待材料到场", "需召开居民协商会征求意见",
]
ESCALATION_NOTES = ["社区协调不了，需街道统筹相关部门处理", "涉及多个小区，请街道协调解决"]
SUPERVISION_ORDERS = [
    "请高度重视，尽快办结并向群众反馈", "群众反映强烈，请主要负责同志亲自过问",
    "请于期限内办结，逾期将通报",
]
SUPERVISION_ANSWERS = ["已召开专题会部署，正加快办理", "主要负责同志已到现场查看，落实专人办理"]
# 问题是否解决 as residents answer it with each rating: (answer, share) — drawn from the
# appeal's own number, so adding the answer leaves the rest of the demo's draws alone.
SOLVED_BY_RATING = {
    Rating.SATISFIED: [(Solved.SOLVED, .9), (Solved.PARTLY_SOLVED, .1)],
    Rating.BASICALLY_SATISFIED: [(Solved.SOLVED, .35), (Solved.PARTLY_SOLVED, .6),
                                 (Solved.UNSOLVED, .05)],
    Rating.UNSATISFIED: [(Solved.UNSOLVED, .75), (Solved.PARTLY_SOLVED, .25)],
}


def solved_for(appeal: Appeal, rating: str) -> str:
    """A realistic 问题是否解决 answer for `rating`, the same for the same appeal and round."""
    roll = random.Random(f"{appeal.number}/{appeal.reopen_count}").random()
    answers = SOLVED_BY_RATING[Rating(rating)]
    for answer, share in answers:
        if roll < share:
            return answer
        roll -= share
    return answers[-1][0]


COMMENTS: dict[str, list[str]] = {
    Rating.SATISFIED: ["", "", "处理及时，非常感谢", "问题已解决，给工作人员点赞", "态度很好"],
    Rating.BASICALLY_SATISFIED: ["基本解决了，希望后续长效管理", "处理有点慢，但结果还行"],
    Rating.UNSATISFIED: ["问题没有根本解决", "只是电话答复，没有实际处理"],
}
REDO_PREFIX = "经再次上门核实处理："


# ---------------------------------------------------------------------------- accounts

def seed_accounts(password: str = DEMO_PASSWORD, reset_passwords: bool = False) -> Counter:
    """An account per role and one per unit (username = unit code), created in bulk with
    one password hash. Existing accounts keep their password unless `reset_passwords`."""
    User = get_user_model()
    wanted = {name: (role, None, label) for name, role, label in ROLE_ACCOUNTS}
    for unit in Unit.objects.all():
        wanted.setdefault(unit.code, (Role.UNIT, unit, UNIT_ACCOUNT_LABEL))
    hashed = make_password(password)
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    User.objects.bulk_create([
        User(username=name, password=hashed, first_name=label,
             is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        for name, (role, _unit, label) in wanted.items() if name not in existing
    ])
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    with_staff = set(Staff.objects.filter(user__in=users.values())
                     .values_list("user__username", flat=True))
    Staff.objects.bulk_create([
        Staff(user=users[name], role=role, unit=unit)
        for name, (role, unit, _label) in wanted.items() if name not in with_staff
    ])
    counts = Counter(created=len(wanted) - len(existing), staff=len(wanted) - len(with_staff))
    if reset_passwords:
        stale = [u for u in users.values() if u.username in existing]
        for user in stale:
            user.password = hashed
        User.objects.bulk_update(stale, ["password"])
        counts["reset"] = len(stale)
    return counts


# 包联 of the demo's leader: half the streets (with their communities) and the departments
# most appeals go to; the shared problems follow once detection has recorded them.
LEADER_UNITS = ("linshanzhai", "jianshelu", "mianfanglu", "qinlinglu", "tongbailu",
                "sanguanmiao", "lvdongcun", "cgj", "zjj", "ylj", "tyj")
LEADER_PROBLEMS = 3


def seed_leader_assignments() -> int:
    """The demo leader's 包联 units, set by the admin account through the action, once (a
    district that changed them keeps its own). Returns how many units it 包联s."""
    User = get_user_model()
    leader, admin = User.objects.get(username="leader"), User.objects.get(username="admin")
    if not LeaderAssignment.objects.filter(leader=leader).exists():
        actions.assign_leader(leader, actor=admin, problems=[], note="演示数据",
                              units=list(Unit.objects.filter(code__in=LEADER_UNITS)))
    return Unit.objects.led_by(leader).count()


def seed_leader_problems() -> int:
    """The demo leader also 包联s the hottest recorded shared problems, once."""
    User = get_user_model()
    leader, admin = User.objects.get(username="leader"), User.objects.get(username="admin")
    if leader.led_problems.exists():
        return leader.led_problems.count()
    hottest = Problem.objects.filter(status__in=[ProblemStatus.CANDIDATE, ProblemStatus.OPEN])
    assignment = LeaderAssignment.objects.filter(leader=leader).first()
    units = list(assignment.units.all()) if assignment else []
    actions.assign_leader(leader, actor=admin, units=units, note="演示数据",
                          problems=list(hottest.order_by("-heat", "pk")[:LEADER_PROBLEMS]))
    return leader.led_problems.count()


# ---------------------------------------------------------------------------- material

@dataclass
class Template:
    """One row of demo_appeals.csv, resolved to objects."""

    title: str
    content: str
    category: Category
    aspect: Aspect | None
    unit: str  # a unit code, or "street" / "community" of the resident
    urgency: str
    reply: str


@dataclass
class Place:
    """Where a resident lives: a community, its committee and its street office."""

    region: Region
    community: Unit
    street: Unit


def load_templates(path: Path = DATA_DIR / "demo_appeals.csv") -> list[Template]:
    columns = ["title", "content", "category1", "category2", "category3", "aspect", "unit",
               "urgency", "reply"]
    categories = {c.path_name: c for c in Category.objects.select_related("parent__parent")}
    aspects = {a.code: a for a in Aspect.objects.all()}
    units = set(Unit.objects.values_list("code", flat=True)) | {"street", "community"}
    templates = []
    for row in read_rows(path, columns):
        where = f"{path.name} 第{row['_line']}行"
        names = "/".join(n for n in (row["category1"], row["category2"], row["category3"]) if n)
        if names not in categories:
            raise LoadError(f"{where}: 分类“{names}”不存在")
        if row["unit"] not in units:
            raise LoadError(f"{where}: 单位“{row['unit']}”不存在")
        templates.append(Template(
            row["title"], row["content"], categories[names], aspects.get(row["aspect"]),
            row["unit"], row["urgency"] if row["urgency"] in Urgency.values else Urgency.NORMAL,
            row["reply"],
        ))
    if not templates:
        raise LoadError(f"{path.name}: 没有数据")
    return templates


def load_places() -> list[Place]:
    """Every community with a committee, ordered round-robin over the streets so the first
    appeals already cover every street."""
    by_street: dict[int, list[Place]] = {}
    units = Unit.objects.filter(kind=UnitKind.COMMUNITY, parent__kind=UnitKind.STREET,
                                region__isnull=False).select_related("region", "parent")
    for unit in units.order_by("path"):
        by_street.setdefault(unit.parent_id, []).append(Place(unit.region, unit, unit.parent))
    if not by_street:
        raise LoadError("没有社区单位，先导入 units.csv")
    rounds = max(len(places) for places in by_street.values())
    return [places[k] for k in range(rounds) for places in by_street.values() if k < len(places)]


def make_plan(n: int, rng: random.Random) -> list[tuple[State, dt.datetime]]:
    """(final state, collected_at) per appeal, oldest first."""
    counts = {state: max(1, round(share * n)) for state, share in OUTCOME_SHARES.items()}
    counts[State.CLOSED] = n - sum(counts.values())
    now = timezone.now()
    campaign = (timezone.localdate(now) - CAMPAIGN_START).days - 1  # the whole campaign so far
    closed = (CLOSED_AGE_DAYS, max(CLOSED_AGE_DAYS + 30, campaign))
    plan = [(state, now - dt.timedelta(days=rng.uniform(*AGE_DAYS.get(state, closed))))
            for state, count in counts.items() for _ in range(count)]
    return sorted(plan, key=lambda item: item[1])


def make_channels(n: int, rng: random.Random) -> list[Channel]:
    channels = list(CHANNEL_WEIGHTS)[:n]
    channels += rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()),
                            k=n - len(channels))
    rng.shuffle(channels)
    return channels


# ---------------------------------------------------------------------------- the story

class Timeline:
    """One appeal's clock in the historical load: it starts at the appeal's collection and
    steps forward, a random number of hours at a time, never reaching the present (a step
    that would go past it goes halfway there)."""

    def __init__(self, replay: clock.Replay, rng: random.Random, start: dt.datetime,
                 limit: dt.datetime):
        self.replay, self.rng, self.at, self.limit = replay, rng, start, limit
        replay.at(start)

    def step(self, kind: str) -> dt.datetime:
        low, high = HOURS[kind]
        gap = dt.timedelta(hours=self.rng.uniform(low, high))
        self.at += min(gap, (self.limit - self.at) / 2)
        return self.replay.at(self.at)


class Story:
    """Drives one appeal after another to its planned state with the real actions, each on
    its own timeline."""

    def __init__(self, rng: random.Random, replay: clock.Replay):
        self.rng, self.replay = rng, replay
        self.limit = timezone.now() - dt.timedelta(minutes=1)
        self.time: Timeline | None = None
        self.templates = load_templates()
        self.urgent = [t for t in self.templates if t.urgency != Urgency.NORMAL]
        self.places = load_places()
        staff = Staff.objects.select_related("user", "unit").filter(unit__isnull=False)
        self.staff = {s.unit.code: s.user for s in staff}
        accounts = get_user_model().objects.select_related("staff__unit")
        self.dispatcher = accounts.get(username="dispatcher")
        self.leader = accounts.get(username="leader")
        self.units = {u.code: u for u in Unit.objects.all()}
        self.done: list[tuple[Appeal, Template, Place]] = []
        self.waiting = self.escalated = 0
        # the collection record an appeal came from (a symposium, a box's opening …)
        from .collection import Sources  # the collection seeders import this module
        self.sources = Sources(random.Random(rng.random()))

    # people and places

    def resident(self, channel: str) -> dict:
        rng = self.rng
        if channel in ANONYMOUS_CHANNELS and rng.random() < .5:
            return {}
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        if rng.random() < .2:
            name = name[0] + rng.choice(HONORIFICS)
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        building = f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元" if rng.random() < .7 else ""
        address = f"{rng.choice(ROADS)}{rng.randint(1, 280)}号{building}"
        return {"contact_name": name, "contact_phone": phone, "address": address}

    def entered_by(self, channel: str, place: Place):
        if channel == Channel.ONLINE_FORM:
            return None
        if channel in DESK_CHANNELS:
            return self.dispatcher
        unit = place.street if channel == Channel.WALK_IN and self.rng.random() < .5 \
            else place.community
        return self.staff[unit.code]

    def unit_for(self, template: Template, place: Place) -> Unit:
        if template.unit == "street":
            return place.street
        if template.unit == "community":
            return place.community
        return self.units[template.unit]

    def wrong_unit(self, right: Unit, place: Place) -> Unit:
        if right.kind == UnitKind.DEPARTMENT:
            return place.street
        others = [u for u in self.units.values()
                  if u.kind == UnitKind.DEPARTMENT and u.pk != right.pk]
        return self.rng.choice(others)

    def handler(self, appeal: Appeal):
        return self.staff[appeal.unit.code]

    def begin(self, start: dt.datetime) -> None:
        self.time = Timeline(self.replay, self.rng, start, self.limit)

    def step(self, kind: str) -> None:
        assert self.time is not None, "begin() an appeal's timeline first"
        self.time.step(kind)

    # steps

    def submit(self, number: int, template: Template, place: Place, channel: str,
               collected_at: dt.datetime) -> Appeal:
        self.begin(collected_at)
        if channel != Channel.ONLINE_FORM:  # a worker enters it after collecting it
            self.step("entry")
        appeal, _code = actions.submit_appeal(
            title=template.title, content=template.content, channel=channel,
            region=place.region, collected_at=collected_at,
            actor=self.entered_by(channel, place),
            external_id=f"{DEMO_PREFIX}{number:04d}", **self.resident(channel),
            source=self.sources.pick(channel, place.street, collected_at.date()),
        )
        return appeal

    def dispatch(self, appeal: Appeal, template: Template, unit: Unit) -> Appeal:
        self.step("dispatch")
        return actions.dispatch(appeal, actor=self.dispatcher, unit=unit,
                                category=template.category, aspect=template.aspect,
                                urgency=template.urgency)

    def misroute(self, appeal: Appeal, template: Template, place: Place) -> Appeal:
        """派单 to the wrong unit, which 退单s it with a reason."""
        right = self.unit_for(template, place)
        appeal = self.dispatch(appeal, template, self.wrong_unit(right, place))
        if self.rng.random() < .5:
            self.step("accept")
            appeal = actions.accept(appeal, actor=self.handler(appeal))
        reason = f"经核实，该事项属于{right.name}职责范围，不属于本单位，请重新派单。"
        self.step("return")
        return actions.return_(appeal, actor=self.handler(appeal), reason=reason)

    def accept(self, appeal: Appeal, template: Template) -> Appeal:
        self.step("accept")
        appeal = actions.accept(appeal, actor=self.handler(appeal))
        if template.unit == "community" and (not self.escalated or self.rng.random() < .5):
            self.escalated += 1
            self.step("escalate")
            appeal = actions.escalate(appeal, actor=self.handler(appeal),
                                      note=self.rng.choice(ESCALATION_NOTES))
            self.step("accept")
            appeal = actions.accept(appeal, actor=self.handler(appeal), note="街道已接单")
        return appeal

    def extend(self, appeal: Appeal, decide: bool) -> Appeal:
        self.step("extend")
        actions.request_extension(appeal, actor=self.handler(appeal),
                                  days=self.rng.choice([5, 7, 10]),
                                  reason=self.rng.choice(EXTENSION_REASONS))
        if decide:
            self.step("decide")
            appeal = actions.decide_extension(appeal, actor=self.dispatcher,
                                              approve=self.rng.random() < .85)
        return appeal

    def supervise(self, appeal: Appeal, answer: bool) -> None:
        """督办 (at the clock's time: the timeline's, or now after the historical load)."""
        due = clock.localdate() + dt.timedelta(days=self.rng.randint(3, 10))
        # the leader 督办s the cases of their 包联; the dispatcher the others
        who = self.leader if may_supervise(self.leader, appeal) else self.dispatcher
        actions.supervise(appeal, actor=who, due_date=due,
                          instruction=self.rng.choice(SUPERVISION_ORDERS))
        if answer:
            self.step("answer_order")
            actions.answer_supervision(appeal, actor=self.handler(appeal),
                                       answer=self.rng.choice(SUPERVISION_ANSWERS))

    def resolve(self, appeal: Appeal, template: Template, again: bool = False) -> Appeal:
        reply = (REDO_PREFIX if again else "") + template.reply
        self.step("redo" if again else "resolve")
        return actions.resolve(appeal, actor=self.handler(appeal), reply=reply)

    def feedback(self, appeal: Appeal, rating: str) -> Appeal:
        self.step("feedback")
        return actions.record_feedback(appeal, actor=self.dispatcher, rating=rating,
                                       solved=solved_for(appeal, rating),
                                       comment=self.rng.choice(COMMENTS[rating]))

    # whole lives

    def tell(self, number: int, outcome: str, collected_at: dt.datetime, channel: str) -> None:
        place = self.places[(number - 1) % len(self.places)]
        if outcome == State.MERGED:
            return self.tell_duplicate(number, place, collected_at, channel)
        pool = self.templates
        if outcome == State.DISPATCHED and self.urgent:  # every other one falls overdue
            self.waiting += 1
            pool = self.urgent if self.waiting % 2 else self.templates
        template = self.rng.choices(pool, [LOCAL_WEIGHT.get(t.unit, 1) for t in pool])[0]
        appeal = self.submit(number, template, place, channel, collected_at)
        appeal = self.handle(appeal, template, place, outcome)
        self.done.append((appeal, template, place))

    def tell_duplicate(self, number: int, place: Place, collected_at: dt.datetime,
                       channel: str) -> None:
        """A neighbour raises what an earlier appeal from the same street already raised:
        合并 into it."""
        # An open original keeps the duplicate 已合并 until the original is answered (merging
        # into an answered appeal answers the duplicate at once).
        open_states = {State.SUBMITTED, State.DISPATCHED, State.IN_PROGRESS, State.RETURNED}
        usable = [item for item in self.done if item[0].state != State.INVALID]
        earlier = [item for item in usable if item[0].collected_at <= collected_at]
        targets = [item for item in earlier if item[0].state in open_states] or earlier or usable
        nearby = [item for item in targets if item[2].street == place.street]
        target, template, _ = self.rng.choice(nearby or targets)
        appeal = self.submit(number, template, place, channel, collected_at)
        self.step("merge")
        actions.merge(appeal, actor=self.dispatcher, into=target, note="同一问题，合并办理")

    def handle(self, appeal: Appeal, template: Template, place: Place, outcome: str) -> Appeal:
        rng = self.rng
        if outcome == State.SUBMITTED:
            return appeal
        if outcome == State.INVALID:
            self.step("dispatch")
            return actions.invalidate(appeal, actor=self.dispatcher,
                                      reason=rng.choice(INVALID_REASONS))
        if outcome == State.RETURNED or rng.random() < .07:
            appeal = self.misroute(appeal, template, place)
            if outcome == State.RETURNED:
                return appeal
        appeal = self.dispatch(appeal, template, self.unit_for(template, place))
        if outcome == State.DISPATCHED:
            return appeal
        appeal = self.accept(appeal, template)
        if rng.random() < .12:
            appeal = self.extend(appeal, decide=outcome != State.IN_PROGRESS or rng.random() < .5)
        if rng.random() < .1:
            self.step("supervise")
            self.supervise(appeal, answer=outcome != State.IN_PROGRESS or rng.random() < .5)
        if outcome == State.IN_PROGRESS:
            if rng.random() < .2:  # answered, but the resident was not satisfied: 重新办理
                appeal = self.feedback(self.resolve(appeal, template), Rating.UNSATISFIED)
            return appeal
        return self.close(self.resolve(appeal, template), template, outcome)

    def close(self, appeal: Appeal, template: Template, outcome: str) -> Appeal:
        if outcome == State.RESOLVED:
            return appeal
        roll = self.rng.random()
        if roll < .06:
            appeal = self.feedback(appeal, Rating.UNSATISFIED)
            appeal = self.resolve(appeal, template, again=True)
        rating = Rating.BASICALLY_SATISFIED if .06 <= roll < .2 else Rating.SATISFIED
        return self.feedback(appeal, rating)

    def delegate_down(self) -> int:
        """转派: the first street cases in progress go down to their communities — one
        answered and awaiting the street's 审核, one waiting for the community to 接单."""
        held = (Appeal.objects.filter(external_id__startswith=DEMO_PREFIX,
                                      state=State.IN_PROGRESS, unit__kind=UnitKind.STREET)
                .select_related("unit", "region").order_by("pk"))
        delegated = 0
        for appeal in held:
            community = appeal.unit.sub_units().filter(region=appeal.region).first()
            if community is None or community.code not in self.staff:
                continue
            self.begin(appeal.events.order_by("-at").values_list("at", flat=True)[0])
            self.step("delegate")
            street_staff = self.handler(appeal)
            appeal = actions.delegate(appeal, actor=street_staff, unit=community,
                                      note="请社区上门核实，按期答复街道")
            if delegated == 0:
                self.step("accept")
                appeal = actions.accept(appeal, actor=self.handler(appeal))
                self.step("resolve")
                actions.resolve(appeal, actor=self.handler(appeal),
                                reply="社区已上门核实并协调处理完毕，请街道审核。")
            delegated += 1
            if delegated == 2:
                break
        return delegated

    def chase_overdue(self) -> int:
        """After the historical load, at the real time: the overdue sweep flags the cases
        whose deadline has passed, and the leader 督办s half of those nobody accepted."""
        assert not clock.replaying(), "the sweep runs at the real time"
        marked = actions.mark_overdue()
        late = Appeal.objects.filter(external_id__startswith=DEMO_PREFIX, is_overdue=True,
                                     state=State.DISPATCHED).order_by("pk")
        for appeal in list(late)[::2]:
            self.supervise(appeal, answer=False)
        return marked


def who_runs() -> str:
    """`banshi seed-demo` and the system account running it, for the historical load's record."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        account = "?"
    return f"banshi seed-demo (系统账号 {account})"


def demo_appeals_exist() -> bool:
    return Appeal.objects.filter(external_id__startswith=DEMO_PREFIX).exists()


def seed_appeals(n: int = 400, seed: int = 2021) -> Counter | None:
    """Create `n` demo appeals unless demo appeals exist; return the count per state."""
    if n < MIN_APPEALS:
        raise ValueError(f"演示诉求至少{MIN_APPEALS}条")
    if demo_appeals_exist():
        return None
    rng = random.Random(seed)
    with transaction.atomic():
        channels = make_channels(n, rng)
        plan = make_plan(n, rng)
        merged = [(i, c) for i, (state, c) in enumerate(plan, start=1) if state == State.MERGED]
        earliest = min(collected_at for _state, collected_at in plan)
        with clock.historical_load(reason=HISTORY_REASON, run_by=who_runs(),
                                   not_before=earliest) as replay:
            story = Story(rng, replay)
            for number, (outcome, collected_at) in enumerate(plan, start=1):
                if outcome != State.MERGED:
                    story.tell(number, outcome, collected_at, channels[number - 1])
            for number, collected_at in merged:  # duplicates need their original first
                story.tell(number, State.MERGED, collected_at, channels[number - 1])
            story.delegate_down()
        story.chase_overdue()
    states = Appeal.objects.filter(external_id__startswith=DEMO_PREFIX).values_list("state",
                                                                                    flat=True)
    return Counter(states)


def record_problems():
    """The seeded ledger's shared problems as candidates (共性问题 待确认), as the nightly
    detection would record them; a second run updates them instead of adding copies."""
    from banshi.appeals.learning.detection import detect_and_record  # numpy, scipy: here only

    return detect_and_record()
