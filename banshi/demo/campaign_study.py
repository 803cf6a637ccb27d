"""The demo's study and lectures (see banshi/demo/campaign.py), created through the study
actions by the organising unit's account (username = unit code) or the dispatcher, dated
between the campaign's start and today. The report's figures come out of counting them:

- 2 理论学习中心组 special sessions (is_special) held by 区委办公室 in March and April, and
  ordinary 中心组学习 of some departments; 三会一课 and 主题党日 across streets and departments;
- 1,395 person-times over 32 visits to exactly four red venues (郑州美术馆新馆, 黄河博物馆,
  任长霞纪念馆, 郑州烈士陵园);
- "百名书记讲党史": 141 专题党课 by 100 书记讲师 (Party secretaries of communities, streets
  and departments), 50–56 listeners each, so 7,000+ person-times;
- the lecture team: 22 宣讲团专家 giving 35 宣讲 to exactly 3,992 person-times;
- 林山寨街道 invites 老战士 冯作义 and 劳动模范 王桂春; 开学第一课 《红船故事》 by 薛荣 at
  郑州市实验小学 (区教育局).
Nothing is created when the demo's speakers exist already.
"""

import datetime as dt
import random
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from banshi.campaign.actions import study as actions
from banshi.campaign.choices import SpeakerKind, StudyKind
from banshi.campaign.models import Campaign, Speaker, StudyActivity, Venue
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

VENUES = {
    "郑州美术馆新馆": "郑州市中原区淮河西路与雪松路交叉口",
    "黄河博物馆": "郑州市中原区文化路与黄河路交叉口附近",
    "任长霞纪念馆": "郑州市登封市",
    "郑州烈士陵园": "郑州市中原区伏牛路",
}
VENUE_PERSON_TIMES = 1395
VENUE_VISITS = 32
SECRETARIES = 100
SECRETARY_LECTURES = 141
SECRETARY_AUDIENCE = (50, 56)  # each lecture's listeners: 141 × 50 ≥ 7,050
EXPERTS = 22
EXPERT_TALKS = 35
EXPERT_PERSON_TIMES = 3992
OFFICE_UNIT = "qwb"  # 区委办公室: the 中心组's sessions
PROPAGANDA_UNIT = "xcb"  # 区委宣传部: the lecture team
EDUCATION_UNIT = "jyj"  # 区教育局: 开学第一课
LINSHANZHAI = "linshanzhai"
SPECIAL_SESSIONS = [
    (dt.date(2026, 3, 18), "区委理论学习中心组党史学习教育专题学习(研讨)：学史明理、学史增信", 31),
    (dt.date(2026, 4, 22), "区委理论学习中心组党史学习教育专题学习(研讨)：学史崇德、学史力行", 29),
]
FIRST_LESSON_DAY = dt.date(2026, 9, 1)
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩"
            "冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程")
GIVEN = ["建华", "卫东", "秀梅", "志刚", "丽萍", "海涛", "晓燕", "国强", "红霞", "振宇", "春梅",
         "永军", "桂芳", "文斌", "淑珍", "明亮", "雪莲", "俊峰", "玉兰", "宏伟", "亚楠", "新民"]
LECTURE_TOPICS = ["中国共产党百年奋斗的光辉历程", "从党史中汲取为民服务的力量",
                  "红色郑州的革命故事", "二七大罢工与工人运动", "新时代的伟大变革",
                  "学党史、办实事、开新局",
                  "不忘初心、牢记使命", "党的群众路线与“我为群众办实事”"]
EXPERT_TOPICS = ["党史学习教育专题宣讲", "百年党史中的初心使命", "伟大建党精神的时代内涵",
                 "中原大地上的红色记忆", "党的光辉历程与宝贵经验"]
THREE_ONE_TOPICS = ["支部党员大会：学习党史专题", "党小组会：交流学习体会",
                    "支部委员会：部署办实事", "党课：学史力行、为民办事"]
PARTY_DAY_TOPICS = ["主题党日：重温入党誓词", "主题党日：走进社区办实事", "主题党日：红色观影",
                    "主题党日：志愿服务进小区"]
PLACES = ["党群服务中心", "会议室", "新时代文明实践站", "党员活动室"]


class Seeder:
    def __init__(self, campaign: Campaign, rng: random.Random):
        self.rng = rng
        self.start = campaign.started_on
        self.today = timezone.localdate()
        self.units = {u.code: u for u in Unit.objects.filter(is_active=True)}
        users = get_user_model().objects
        self.dispatcher = users.get(username="dispatcher")
        self.accounts = {u.username: u for u in users.filter(username__in=list(self.units))}
        self.names = self._names()

    def _names(self) -> Iterator[str]:
        pairs = [s + g for s in SURNAMES for g in GIVEN]
        self.rng.shuffle(pairs)
        return iter(pairs)

    def day(self, first: dt.date | None = None) -> dt.date:
        first = first or self.start
        span = max((self.today - first).days, 0)
        return min(first + dt.timedelta(days=self.rng.randint(0, span)), self.today)

    def actor(self, unit: Unit):
        return self.accounts.get(unit.code) or self.dispatcher

    def record(self, unit: Unit, **values) -> StudyActivity:
        values.setdefault("held_on", self.day())
        return actions.create_activity(actor=self.actor(unit), unit=unit, **values)

    def of_kind(self, kind: str) -> list[Unit]:
        return sorted((u for u in self.units.values() if u.kind == kind), key=lambda u: u.path)

    def speaker(self, name: str, kind: str, unit: Unit | None, title: str) -> Speaker:
        return actions.create_speaker(actor=self.dispatcher, name=name, kind=kind, unit=unit,
                                      title=title)


def spread(total: int, parts: int, rng: random.Random, wobble: int) -> list[int]:
    """`parts` positive numbers adding up to exactly `total`, each near the average."""
    values = [total // parts + (1 if n < total % parts else 0) for n in range(parts)]
    for n in range(parts):
        delta = rng.randint(-wobble, wobble)
        values[n] += delta
        values[(n + 1) % parts] -= delta
    if sum(values) != total or min(values) <= 0:
        raise ValueError(f"cannot spread {total} over {parts}")
    return values


def seed_study(s: Seeder) -> None:
    office = s.units[OFFICE_UNIT]
    for held_on, title, people in SPECIAL_SESSIONS:
        s.record(office, kind=StudyKind.CENTRAL_GROUP, held_on=min(held_on, s.today),
                 title=title, place="区委常委会议室", is_special=True, person_times=people,
                 summary="围绕党史学习教育开展专题学习研讨，联系“我为群众办实事”实践活动交流发言。")
    departments = s.of_kind(UnitKind.DEPARTMENT)
    for unit in departments[1:7]:
        s.record(unit, kind=StudyKind.CENTRAL_GROUP, title="党组理论学习中心组集体学习",
                 place="机关会议室", person_times=s.rng.randint(9, 16))
    for unit in s.of_kind(UnitKind.STREET) + departments[7:17]:
        for _ in range(2):
            s.record(unit, kind=StudyKind.THREE_ONE, title=s.rng.choice(THREE_ONE_TOPICS),
                     place=s.rng.choice(PLACES), person_times=s.rng.randint(15, 45))
        s.record(unit, kind=StudyKind.PARTY_DAY, title=s.rng.choice(PARTY_DAY_TOPICS),
                 place=s.rng.choice(PLACES), person_times=s.rng.randint(20, 60))


def seed_venues(s: Seeder) -> None:
    venues = [actions.create_venue(actor=s.dispatcher, name=name, address=address)
              for name, address in VENUES.items()]
    organisers = s.of_kind(UnitKind.STREET) + s.of_kind(UnitKind.DEPARTMENT)[:18]
    for n, people in enumerate(spread(VENUE_PERSON_TIMES, VENUE_VISITS, s.rng, 12)):
        venue, unit = venues[n % len(venues)], organisers[n % len(organisers)]
        s.record(unit, kind=StudyKind.VENUE_VISIT, venue=venue, title=f"参观{venue.name}",
                 place=venue.name, person_times=people)


def seed_secretaries(s: Seeder) -> None:
    """百名书记讲党史: a secretary for each community, street and some departments."""
    units = (s.of_kind(UnitKind.COMMUNITY) + s.of_kind(UnitKind.STREET)
             + s.of_kind(UnitKind.DEPARTMENT))[:SECRETARIES]
    secretaries = [(s.speaker(next(s.names), SpeakerKind.SECRETARY, unit,
                              f"{unit.name}党组织书记"), unit) for unit in units]
    for n in range(SECRETARY_LECTURES):
        speaker, unit = secretaries[n % len(secretaries)]
        s.record(unit, kind=StudyKind.PARTY_LECTURE, speaker=speaker,
                 title=f"百名书记讲党史：{s.rng.choice(LECTURE_TOPICS)}",
                 place=s.rng.choice(PLACES), person_times=s.rng.randint(*SECRETARY_AUDIENCE))


def seed_experts(s: Seeder) -> None:
    team = s.units.get(PROPAGANDA_UNIT)
    experts = [s.speaker(next(s.names), SpeakerKind.EXPERT, team, "区委宣讲团成员")
               for _ in range(EXPERTS)]
    hosts = s.of_kind(UnitKind.STREET) + s.of_kind(UnitKind.DEPARTMENT)[:21]
    for n, people in enumerate(spread(EXPERT_PERSON_TIMES, EXPERT_TALKS, s.rng, 30)):
        s.record(hosts[n % len(hosts)], kind=StudyKind.LECTURE, speaker=experts[n % EXPERTS],
                 title=s.rng.choice(EXPERT_TOPICS), place=s.rng.choice(PLACES),
                 person_times=people)


def seed_guests(s: Seeder) -> None:
    """林山寨街道's veteran and model worker; 开学第一课 at 郑州市实验小学."""
    street = s.units[LINSHANZHAI]
    for name, kind, title, topic in (
            ("冯作义", SpeakerKind.VETERAN, "老战士", "老战士讲述革命故事"),
            ("王桂春", SpeakerKind.MODEL, "劳动模范", "劳模讲述奋斗历程")):
        guest = s.speaker(name, kind, street, title)
        s.record(street, kind=StudyKind.LECTURE, speaker=guest, title=topic,
                 place="林山寨街道党群服务中心", person_times=s.rng.randint(60, 90))
    education = s.units[EDUCATION_UNIT]
    teacher = s.speaker("薛荣", SpeakerKind.TEACHER, education, "郑州市实验小学教师")
    lesson = s.record(education, kind=StudyKind.FIRST_LESSON, speaker=teacher,
                      held_on=min(FIRST_LESSON_DAY, s.today), title="《红船故事》",
                      place="郑州市实验小学", person_times=420,
                      summary="开学第一课：讲述红船故事，传承红色基因。")
    for n in range(12):  # the teachers present sign in on their phones
        actions.sign_in(lesson, name=next(s.names), organisation="郑州市实验小学",
                        device=f"demo-device-{n}")


def seed(campaign: Campaign, rng: random.Random) -> str:
    """Create this part's demo records through the actions; say what was created."""
    if Speaker.objects.exists() or Venue.objects.exists():
        return "已存在，跳过"
    s = Seeder(campaign, rng)
    with transaction.atomic():  # all or nothing: a half-seeded part would be skipped next time
        seed_study(s)
        seed_venues(s)
        seed_secretaries(s)
        seed_experts(s)
        seed_guests(s)
    return summary(campaign)


def summary(campaign: Campaign) -> str:
    """What the records add up to (counted, as the statistics count them)."""
    activities = StudyActivity.objects.filter(held_on__gte=campaign.started_on)

    def total(rows) -> str:
        got = rows.aggregate(n=Count("id"), p=Sum("person_times"))
        return f"{got['n']} 场 {got['p'] or 0} 人次"

    return (f"学习活动 {activities.count()} 场；书记讲党史 "
            f"{total(activities.filter(speaker__kind=SpeakerKind.SECRETARY))}；宣讲团 "
            f"{total(activities.filter(speaker__kind=SpeakerKind.EXPERT))}；红色教育基地 "
            f"{Venue.objects.count()} 个，参观 {total(activities.filter(venue__isnull=False))}")
