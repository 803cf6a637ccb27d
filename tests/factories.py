"""A small district for tests: three people in every test (the unit, a sibling, the dispatcher)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from banshi.appeals import actions
from banshi.appeals.models import Aspect, Category, DeadlinePolicy
from banshi.org.choices import RegionLevel, Role, UnitKind
from banshi.org.models import Region, Staff, Unit

PASSWORD = "banshi-test-pw"

# Hostile text every form and API must survive (stored as given, rendered escaped).
HOSTILE = [
    "<script>alert('x')</script>",
    "'; DROP TABLE appeals_appeal; --",
    "路灯不亮😡🙏 请尽快修复！！",
    "＂全角＂，标点；测试：（）【】　全角空格",
    "长" * 10000,
]


@dataclass
class District:
    district: Region
    street: Region
    community: Region
    community2: Region
    district_unit: Unit
    cgj: Unit
    zjj: Unit
    street_unit: Unit
    community_unit: Unit
    community2_unit: Unit
    cat_city: Category
    cat_city_2: Category
    cat_city_3: Category
    cat_env: Category
    aspect: Aspect
    dispatcher: object
    leader: object
    admin: object
    cgj_staff: object
    zjj_staff: object
    street_staff: object
    community_staff: object
    community2_staff: object


def make_user(username: str, role: str, unit: Unit | None = None):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Staff.objects.create(user=user, role=role, unit=unit)
    return user


def build_district() -> District:
    district = Region.objects.create(code="410102", name="中原区", level=RegionLevel.DISTRICT)
    street = Region.objects.create(code="410102001", name="林山寨街道",
                                   level=RegionLevel.STREET, parent=district)
    community = Region.objects.create(code="410102001001", name="百花社区",
                                      level=RegionLevel.COMMUNITY, parent=street)
    community2 = Region.objects.create(code="410102001002", name="桐淮社区",
                                       level=RegionLevel.COMMUNITY, parent=street)
    top = Unit.objects.create(code="district", name="区工作专班", kind=UnitKind.DISTRICT,
                              region=district)
    cgj = Unit.objects.create(code="cgj", name="区城市管理局", kind=UnitKind.DEPARTMENT,
                              parent=top, region=district)
    zjj = Unit.objects.create(code="zjj", name="区住房和城乡建设局", kind=UnitKind.DEPARTMENT,
                              parent=top, region=district)
    street_unit = Unit.objects.create(code="linshanzhai", name="林山寨街道办事处",
                                      kind=UnitKind.STREET, parent=top, region=street)
    c1 = Unit.objects.create(code="linshanzhai-01", name="百花社区居委会",
                             kind=UnitKind.COMMUNITY, parent=street_unit, region=community)
    c2 = Unit.objects.create(code="linshanzhai-02", name="桐淮社区居委会",
                             kind=UnitKind.COMMUNITY, parent=street_unit, region=community2)
    city = Category.objects.create(code="01", name="城乡建设", level=1)
    city2 = Category.objects.create(code="0101", name="市政管理", level=2, parent=city)
    city3 = Category.objects.create(code="010101", name="路灯", level=3, parent=city2)
    env = Category.objects.create(code="02", name="环境保护", level=1)
    aspect = Aspect.objects.create(code="a4", name="破解城市建设管理难题办实事")
    DeadlinePolicy.objects.create(urgency="normal", response_hours=24, handling_days=15)
    DeadlinePolicy.objects.create(urgency="urgent", response_hours=4, handling_days=5)
    DeadlinePolicy.objects.create(category=env, urgency="normal", response_hours=12,
                                  handling_days=7)
    d = District(
        district, street, community, community2, top, cgj, zjj, street_unit, c1, c2,
        city, city2, city3, env, aspect,
        dispatcher=make_user("dispatcher", Role.DISPATCHER),
        leader=make_user("leader", Role.LEADER),
        admin=make_user("admin", Role.ADMIN),
        cgj_staff=make_user("cgj", Role.UNIT, cgj),
        zjj_staff=make_user("zjj", Role.UNIT, zjj),
        street_staff=make_user("linshanzhai", Role.UNIT, street_unit),
        community_staff=make_user("linshanzhai-01", Role.UNIT, c1),
        community2_staff=make_user("linshanzhai-02", Role.UNIT, c2),
    )
    # 包联: the leader answers for the street (and so its communities) and the 城管局,
    # not the 住建局 (the "outside 包联" of the supervision tests).
    actions.assign_leader(d.leader, actor=d.admin, units=[street_unit, cgj], problems=[])
    return d


@dataclass
class OtherStreet:
    """A second street of the district with one community: the "sibling street" and the
    "community of another street" of the access tests."""

    street: Region
    community: Region
    street_unit: Unit
    community_unit: Unit
    street_staff: object
    community_staff: object


def add_other_street(d: District) -> OtherStreet:
    street = Region.objects.create(code="410102002", name="中原西路街道",
                                   level=RegionLevel.STREET, parent=d.district)
    community = Region.objects.create(code="410102002001", name="西里社区",
                                      level=RegionLevel.COMMUNITY, parent=street)
    street_unit = Unit.objects.create(code="zhongyuanxilu", name="中原西路街道办事处",
                                      kind=UnitKind.STREET, parent=d.district_unit,
                                      region=street)
    community_unit = Unit.objects.create(code="zhongyuanxilu-01", name="西里社区居委会",
                                         kind=UnitKind.COMMUNITY, parent=street_unit,
                                         region=community)
    return OtherStreet(street, community, street_unit, community_unit,
                       street_staff=make_user("zhongyuanxilu", Role.UNIT, street_unit),
                       community_staff=make_user("zhongyuanxilu-01", Role.UNIT,
                                                 community_unit))


def submitted(d: District, **kwargs):
    fields = {"title": "百花路路灯不亮", "content": "百花路中段三盏路灯连续一周不亮。",
              "region": d.community, "contact_name": "张三", "contact_phone": "13812341234",
              "address": "百花路12号院3号楼"} | kwargs
    appeal, _code = actions.submit_appeal(**fields)
    return appeal


def with_code(d: District, **kwargs):
    fields = {"title": "百花路路灯不亮", "content": "百花路中段三盏路灯连续一周不亮。",
              "region": d.community} | kwargs
    return actions.submit_appeal(**fields)


def dispatched(d: District, unit: Unit | None = None, **kwargs):
    return actions.dispatch(submitted(d, **kwargs), actor=d.dispatcher, unit=unit or d.cgj,
                            category=d.cat_city_3, aspect=d.aspect)


def in_progress(d: District, unit: Unit | None = None, **kwargs):
    appeal = dispatched(d, unit, **kwargs)
    staff = d.cgj_staff if appeal.unit == d.cgj else None
    return actions.accept(appeal, actor=staff or d.admin)


def resolved(d: District, unit: Unit | None = None, **kwargs):
    appeal = in_progress(d, unit, **kwargs)
    return actions.resolve(appeal, actor=d.admin if appeal.unit != d.cgj else d.cgj_staff,
                           reply="已修复路灯。")


def pending_review(d: District, **kwargs):
    """A community's answer to a case its street delegated, awaiting the street's 审核."""
    appeal = actions.accept(dispatched(d, d.street_unit, **kwargs), actor=d.street_staff)
    appeal = actions.delegate(appeal, actor=d.street_staff, unit=d.community_unit, note="请办理")
    appeal = actions.accept(appeal, actor=d.community_staff)
    return actions.resolve(appeal, actor=d.community_staff, reply="已处理")


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def login(client, username: str):
    """`client` logged in as `username` (django-axes checks every login against its request)."""
    from django.http import HttpRequest

    assert client.login(request=HttpRequest(), username=username, password=PASSWORD)
    return client


def candidate_pages(user, problem) -> tuple[str, str]:
    """(the 待确认 list, the problem's page) as `user` sees them."""
    from django.test import Client
    from django.urls import reverse

    staff = Client()
    staff.force_login(user)
    listing = staff.get(reverse("web:problems") + "?status=candidate").content.decode()
    page = staff.get(reverse("web:problem", args=[problem.code])).content.decode()
    return listing, page
