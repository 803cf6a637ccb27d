"""The district of the access matrix (tests/test_access_matrix.py): every role, appeals and
problems inside and outside each role's scope, photos, a 督办 order, and — written out by
hand, never computed by the code under test — what each role may see.

Where things are (two streets; 林山寨 has 百花 and 桐淮, 中原西路 has 西里):

    appeal    community  handled by                 state
    dept      百花        区城市管理局 (department)   in a problem (linked), photo, 督办
    own       百花        百花社区居委会              dispatched, photo
    merged    百花        —                          merged into `far`
    street    桐淮        林山寨街道办事处            in progress
    waiting   桐淮        —                          submitted
    zjj       桐淮        区住房和城乡建设局          dispatched
    far       西里        西里社区居委会              in a problem (linked), photo, 督办

    problem    owner            appeals
    open       区城市管理局      dept, far, waiting (linked)
    candidate  —                own, street, zjj (candidates from the detector)
    private    区住房和城乡建设局  none

The leader 包联s both streets and the 城管局 (so it may 督办 `dept` and `far`).
"""

import io
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from PIL import Image

from banshi.appeals import actions
from banshi.org.choices import Role
from banshi.org.models import ApiToken

from .factories import add_other_street, build_district, make_user
from .test_problems import Cluster

DISTRICT_ROLES = ("dispatcher", "leader", "inspector", "admin")
ROLES = ("dispatcher", "leader", "inspector", "street", "sibling_street", "department",
         "community", "other_community", "admin", "anonymous")
ALL_APPEALS = frozenset({"dept", "own", "merged", "street", "waiting", "zjj", "far"})
ALL_PROBLEMS = frozenset({"open", "candidate", "private"})

# Who may open which appeal (the README's "who sees what"), by hand.
SEES = {role: ALL_APPEALS for role in DISTRICT_ROLES} | {
    "street": frozenset({"own", "street"}),            # its own and its communities' cases
    "sibling_street": frozenset({"far"}),
    "department": frozenset({"dept"}),
    "community": frozenset({"dept", "own", "merged"}),  # everything located in 百花
    "other_community": frozenset({"far"}),
    "anonymous": frozenset(),
}
# Who may open which problem: district roles all; units those they lead or with an appeal
# they may open.
SEES_PROBLEMS = {role: ALL_PROBLEMS for role in DISTRICT_ROLES} | {
    "street": frozenset({"candidate"}),
    "sibling_street": frozenset({"open"}),
    "department": frozenset({"open"}),
    "community": frozenset({"open", "candidate"}),
    "other_community": frozenset({"open"}),
    "anonymous": frozenset(),
}
# Who sees an appeal's resident unmasked: the dispatcher, admins and the handling unit.
PERSONAL = {"dept": {"department"}, "own": {"community"}, "street": {"street"},
            "far": {"other_community"}, "merged": set(), "waiting": set(), "zjj": set()}
# Offline entry: every unit; district import and new problems: the dispatcher and admins.
MAY_ENTER = {"dispatcher", "admin", "street", "sibling_street", "department", "community",
             "other_community"}
MAY_DISPATCH = {"dispatcher", "admin"}

# Distinct texts, none inside another, so a page can be searched for each.
TEXTS = {
    "dept": ("百花路灯杆倾斜隐患", "赵一鸣", "13800000001"),
    "own": ("百花社区楼道堆物", "钱二虎", "13800000002"),
    "merged": ("百花北街窨井异响", "孙三多", "13800000003"),
    "street": ("桐淮路人行道塌陷", "李四海", "13800000004"),
    "waiting": ("桐淮小区夜间施工扰民", "周五福", "13800000005"),
    "zjj": ("桐淮老旧小区加装电梯", "吴六顺", "13800000006"),
    "far": ("西里社区雨后积水严重", "郑七星", "13800000007"),
}
PROBLEM_TITLES = {"open": "片区排水设施综合整治", "candidate": "林山寨街道市容问题集中反映",
                  "private": "住建领域专项治理"}


@dataclass
class World:
    users: dict            # role -> user (AnonymousUser for "anonymous")
    tokens: dict           # role -> bearer token (none for "anonymous")
    appeals: dict          # key -> Appeal
    problems: dict         # key -> Problem
    photos: dict           # appeal key -> Attachment
    d: object = field(repr=False)

    def number(self, key: str) -> str:
        return self.appeals[key].number


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _appeal(d, key: str, region, unit=None, photo: bool = False):
    title, name, phone = TEXTS[key]
    appeal, _ = actions.submit_appeal(
        title=title, content=f"{title}，请尽快处理。", region=region, contact_name=name,
        contact_phone=phone, address=f"{region.name}{key}号院",
        photos=[("photo.png", png())] if photo else None)
    if unit is not None:
        appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=unit,
                                  category=d.cat_city_3, aspect=d.aspect)
    return appeal


def _appeals(d, other) -> dict:
    appeals = {
        "dept": _appeal(d, "dept", d.community, d.cgj, photo=True),
        "own": _appeal(d, "own", d.community, d.community_unit, photo=True),
        "merged": _appeal(d, "merged", d.community),
        "street": _appeal(d, "street", d.community2, d.street_unit),
        "waiting": _appeal(d, "waiting", d.community2),
        "zjj": _appeal(d, "zjj", d.community2, d.zjj),
        "far": _appeal(d, "far", other.community, other.community_unit, photo=True),
    }
    appeals["dept"] = actions.accept(appeals["dept"], actor=d.cgj_staff)
    appeals["street"] = actions.accept(appeals["street"], actor=d.street_staff)
    appeals["far"] = actions.accept(appeals["far"], actor=other.community_staff)
    appeals["merged"] = actions.merge(appeals["merged"], actor=d.dispatcher, into=appeals["far"])
    for key in ("dept", "far"):
        actions.supervise(appeals[key], actor=d.leader, instruction="限期办结",
                          due_date=appeals[key].handling_due_at.date())
    return appeals


def _problems(d, appeals) -> dict:
    opened = actions.create_problem(actor=d.dispatcher, title=PROBLEM_TITLES["open"],
                                    owner_unit=d.cgj)
    for key in ("dept", "far", "waiting"):
        appeals[key] = actions.link_appeal(appeals[key], opened, actor=d.dispatcher)
    cluster = Cluster([appeals[k].number for k in ("own", "street", "zjj")],
                      title=PROBLEM_TITLES["candidate"], place="林山寨")
    [candidate] = actions.record_candidates([cluster]).created
    private = actions.create_problem(actor=d.dispatcher, title=PROBLEM_TITLES["private"],
                                     owner_unit=d.zjj)
    return {"open": opened, "candidate": candidate, "private": private}


def build_world() -> World:
    d = build_district()
    other = add_other_street(d)
    users = {
        "dispatcher": d.dispatcher, "leader": d.leader,
        "inspector": make_user("inspector", Role.INSPECTOR), "street": d.street_staff,
        "sibling_street": other.street_staff, "department": d.cgj_staff,
        "community": d.community_staff, "other_community": other.community_staff,
        "admin": d.admin, "anonymous": AnonymousUser(),
    }
    # the leader 包联s both streets and the 城管局 (build_district gave it the first street)
    actions.assign_leader(d.leader, actor=d.admin, problems=[],
                          units=[d.street_unit, d.cgj, other.street_unit])
    appeals = _appeals(d, other)
    problems = _problems(d, appeals)
    photos = {key: appeals[key].attachments.get() for key in ("dept", "own", "far")}
    tokens = {role: ApiToken.objects.issue(user) for role, user in users.items()
              if role != "anonymous"}
    return World(users, tokens, appeals, problems, photos, d)
