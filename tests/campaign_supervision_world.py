"""The supervision tests' world: the test district with a second street, a campaign, two
guidance groups and some visits (three of five covered units visited):

    group   covers                                        visited
    G1      林山寨街道办事处 (street), 百花社区居委会, 城管局   street, community
    G2      中原西路街道办事处, 住建局                       中原西路

The inspector is a member of G1 only (a second inspector account is in no group). The visit to
the street has one open item; the visit to 百花 one item done."""

import datetime as dt
import json
from dataclasses import dataclass

from django.test import Client

from banshi.campaign.actions import supervision as actions
from banshi.campaign.choices import CampaignStatus
from banshi.campaign.models import Campaign, GuidanceGroup, GuidanceVisit, Rectification
from banshi.org.choices import Role
from banshi.org.models import ApiToken

from .factories import add_other_street, build_district, make_user, today

API = "/api/v1/campaign"


@dataclass
class World:
    d: object
    other: object
    campaign: Campaign
    inspector: object
    outsider: object        # an inspector account in no group
    g1: GuidanceGroup
    g2: GuidanceGroup
    v_street: GuidanceVisit
    v_community: GuidanceVisit
    v_other: GuidanceVisit
    open_item: Rectification
    done_item: Rectification

    @property
    def start(self) -> dt.date:
        return self.campaign.started_on


def campaign_start() -> dt.date:
    return today() - dt.timedelta(days=90)


def build_world() -> World:
    d = build_district()
    other = add_other_street(d)
    inspector = make_user("inspector", Role.INSPECTOR)
    outsider = make_user("inspector2", Role.INSPECTOR)
    campaign = Campaign.objects.create(name="党史学习教育", started_on=campaign_start(),
                                       status=CampaignStatus.RUNNING)
    g1 = actions.create_group(campaign, actor=d.dispatcher, name="第一巡回指导组", order=1,
                              units=[d.street_unit, d.community_unit, d.cgj])
    actions.add_member(g1, actor=d.dispatcher, name="周建民", role="组长", title="区人大副主任")
    actions.add_member(g1, actor=d.dispatcher, name="冯晓东", role="成员", user=inspector)
    g2 = actions.create_group(campaign, actor=d.dispatcher, name="第二巡回指导组", order=2,
                              units=[other.street_unit, d.zjj])
    actions.add_member(g2, actor=d.dispatcher, name="刘振华", role="组长")
    day = campaign.started_on + dt.timedelta(days=10)
    v_street = actions.record_visit(
        g1, actor=inspector, unit=d.street_unit, visited_on=day, findings="学习记录不全",
        rating="fair", items=[actions.ItemIn("补齐学习台账", day + dt.timedelta(days=30))])
    v_community = actions.record_visit(
        g1, actor=inspector, unit=d.community_unit, visited_on=day + dt.timedelta(days=1),
        findings="宣传氛围不足",
        items=[actions.ItemIn("加强宣传", day + dt.timedelta(days=20))])
    done_item = actions.complete_rectification(v_community.rectifications.get(),
                                               actor=d.community_staff, result="已张贴宣传栏")
    v_other = actions.record_visit(g2, actor=d.dispatcher, unit=other.street_unit,
                                   visited_on=day + dt.timedelta(days=2), findings="西路问题")
    return World(d, other, campaign, inspector, outsider, g1, g2, v_street, v_community,
                 v_other, v_street.rectifications.get(), done_item)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"} if user else {}


def api_get(user, path: str, **params):
    return Client().get(f"{API}{path}", params, headers=bearer(user))


def api_post(user, path: str, body: dict):
    return Client().post(f"{API}{path}", json.dumps(body), content_type="application/json",
                         headers=bearer(user))
