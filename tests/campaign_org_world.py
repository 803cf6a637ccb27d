"""The records of the campaign (org) tests: a campaign, its organisation, a street's meeting
with a decision, tasks issued by the district to a community, and the 城管局's practical
matters — built once per module as a layer (tests/shared.py).

Who sees what (written out by hand, never computed by the code under test):

    record                     unit                  seen by
    organisation (groups)      district (office)     every staff role
    meeting                    林山寨街道 (street)     district roles, street
    task / done_task           issued by district,   district roles, street (its community),
                               assigned to 百花社区    community
    matter / closed            区城市管理局            district roles, department
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from banshi.campaign.actions import matters, meetings, org, tasks
from banshi.campaign.choices import ActionKind, GroupKind, MeetingKind
from banshi.campaign.models import Campaign
from banshi.org.choices import Role
from banshi.org.models import ApiToken

from .factories import make_user
from .shared import layer

START = dt.date(2026, 3, 5)
DISTRICT_ROLES = ("admin", "dispatcher", "leader", "inspector")
ROLES = (*DISTRICT_ROLES, "street", "community", "department", "anonymous")
OFFICE = {"admin", "dispatcher"}
RECORDERS = {"admin", "dispatcher", "street", "community", "department"}
SEES = {
    "meeting": {*DISTRICT_ROLES, "street"},
    "task": {*DISTRICT_ROLES, "street", "community"},
    "matter": {*DISTRICT_ROLES, "department"},
    "group": {*DISTRICT_ROLES, "street", "community", "department"},
    "member": {*DISTRICT_ROLES, "street", "community", "department"},
}
# who may change each record (among those who see it)
RECORDS_FOR = {
    "meeting": {"admin", "dispatcher", "street"},
    "task": {"admin", "dispatcher", "street", "community"},  # the assigned unit's part
    "matter": {"admin", "dispatcher", "department"},
    "group": OFFICE, "member": OFFICE,
}
PDF = b"%PDF-1.4\n% evidence\n"


@dataclass
class OrgWorld:
    users: dict
    tokens: dict
    campaign: object
    records: dict = field(default_factory=dict)
    d: object = field(default=None, repr=False)


def make_campaign() -> Campaign:
    return Campaign.objects.create(name="党史学习教育", started_on=START)


def build_org_world(d) -> OrgWorld:
    campaign = make_campaign()
    users = {"admin": d.admin, "dispatcher": d.dispatcher, "leader": d.leader,
             "inspector": make_user("inspector", Role.INSPECTOR), "street": d.street_staff,
             "community": d.community_staff, "department": d.cgj_staff,
             "anonymous": AnonymousUser()}
    tokens = {role: ApiToken.objects.issue(user) for role, user in users.items()
              if role != "anonymous"}
    boss = d.dispatcher
    top = org.add_group(actor=boss, parent=None, kind=GroupKind.LEADERSHIP, name="领导小组")
    office = org.add_group(actor=boss, parent=top, kind=GroupKind.OFFICE, name="领导小组办公室")
    leaf = org.add_group(actor=boss, parent=office, kind=GroupKind.WORKING, name="综合协调组")
    member = org.add_member(leaf, actor=boss, name="王协调", role="组长", home_unit=d.zjj,
                            seconded=True)
    spare = org.add_member(leaf, actor=boss, name="李成员", home_unit=d.cgj, seconded=True)
    meeting = meetings.create_meeting(actor=d.street_staff, unit=d.street_unit,
                                      kind=MeetingKind.COORDINATION, held_on=START,
                                      title="林山寨街道协调会")
    decision = meetings.add_decision(meeting, actor=d.street_staff, text="清理楼道堆物")
    task = tasks.issue_task(actor=boss, unit=d.district_unit, title="制定实施方案",
                            due_on=START + dt.timedelta(days=7), issued_on=START,
                            assignees=[d.community_unit], owner=member)
    done_task = tasks.issue_task(actor=boss, unit=d.district_unit, title="报送清单",
                                 due_on=START + dt.timedelta(days=10), issued_on=START,
                                 assignees=[d.community_unit], kind=ActionKind.OPTIONAL)
    done = done_task.assignments.get()
    tasks.complete_assignment(done, actor=d.community_staff, on=START + dt.timedelta(days=9))
    matter = matters.create_matter(actor=d.cgj_staff, unit=d.cgj, title="清理违规户外广告",
                                   target_count=50, count_unit="处", committed_on=START)
    progress = matters.add_progress(matter, actor=d.cgj_staff, added=20, on=START,
                                    file=("photo.pdf", PDF))
    closed = matters.create_matter(actor=d.cgj_staff, unit=d.cgj, title="拆除违法建筑",
                                   target_count=2, count_unit="处", committed_on=START)
    matters.add_progress(closed, actor=d.cgj_staff, added=2, on=START)
    matters.close_matter(closed, actor=d.cgj_staff, on=START + dt.timedelta(days=1))
    records = {"top": top, "office": office, "group": leaf, "member": member, "spare": spare,
               "meeting": meeting, "decision": decision, "task": task,
               "assignment": task.assignments.get(), "done_task": done_task, "done": done,
               "matter": matter, "progress": progress, "closed": closed}
    return OrgWorld(users, tokens, campaign, records, d)


@layer("d")
def org_world(d) -> OrgWorld:
    """The campaign (org) records of the access and record tests, built once per module."""
    return build_org_world(d)
