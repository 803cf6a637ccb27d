"""Who may open which exemplar page and API operation, role by role (tests/
access_campaign_exemplars.py lists them): staff pages 200 in scope and 404 out of scope
(never 403 for a record one may not see), 403 for a page of a right the role lacks, anonymous
to the login page (pages) or 401 (API); the public pages answer everyone alike.

Where things are (by hand): nominations and draft stories at `own` (百花社区), `street`
(林山寨街道), `far` (西里社区, the other street) and `dept` (区城市管理局)."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from banshi.campaign.actions import exemplars as actions
from banshi.campaign.models import GoodPractice, Nomination, Objection, SelectionRound
from banshi.org.choices import Role
from banshi.org.models import ApiToken

from .access_campaign_exemplars import API, WEB
from .factories import add_other_street, make_user
from .shared import layer
from .test_campaign_exemplars import png

PLACES = ("own", "street", "far", "dept")
DISTRICT = frozenset(PLACES)
ROLES = ("admin", "dispatcher", "leader", "inspector", "street", "community", "department",
         "sibling_street", "anonymous")
SEES = {"admin": DISTRICT, "dispatcher": DISTRICT, "leader": DISTRICT, "inspector": DISTRICT,
        "street": frozenset({"own", "street"}), "community": frozenset({"own"}),
        "department": frozenset({"dept"}), "sibling_street": frozenset({"far"}),
        "anonymous": frozenset()}
OFFICE = {"admin", "dispatcher"}
RECORDERS = {"admin", "dispatcher", "street", "community", "department", "sibling_street"}
LOGIN = "/login/"


@dataclass
class World:
    users: dict
    nominating: SelectionRound
    scoring: SelectionRound
    publicity: SelectionRound
    published: SelectionRound
    nominations: dict = field(default_factory=dict)  # place -> pending nomination (photo)
    practices: dict = field(default_factory=dict)  # place -> draft story (photo)
    public_nominee: Nomination | None = None
    objection: Objection | None = None
    story: GoodPractice | None = None  # published


def _round(d, name: str, stage: str, unit):
    round_ = actions.start_selection(actor=d.dispatcher, name=name, places=1)
    nomination = actions.nominate(round_, actor=d.dispatcher, unit=unit, nominee=f"{name}人选",
                                  party_years=5, deeds="事迹", photo=("p.png", png()))
    steps = ["reviewing", "scoring", "publicity", "published"]
    for step in steps[:steps.index(stage) + 1]:
        if step == "scoring":
            actions.review_nomination(nomination, actor=d.dispatcher, passed=True)
        if step == "publicity":
            actions.score_nomination(nomination, actor=d.leader, score=Decimal(90))
        round_ = actions.advance_round(round_, actor=d.dispatcher)
    nomination.refresh_from_db()
    return round_, nomination


@layer("d")
def exemplar_world(d) -> World:
    """Rounds at four stages, nominations and stories at the four places."""
    other = add_other_street(d)
    users = {"admin": d.admin, "dispatcher": d.dispatcher, "leader": d.leader,
             "inspector": make_user("inspector", Role.INSPECTOR), "street": d.street_staff,
             "community": d.community_staff, "department": d.cgj_staff,
             "sibling_street": other.street_staff, "anonymous": None}
    units = {"own": d.community_unit, "street": d.street_unit, "far": other.community_unit,
             "dept": d.cgj}
    nominating = actions.start_selection(actor=d.dispatcher, name="评选甲")
    scoring, public_nominee = _round(d, "评选乙", "scoring", d.community_unit)
    publicity, selected = _round(d, "评选丙", "publicity", other.community_unit)
    published, _ = _round(d, "评选丁", "published", d.street_unit)
    world = World(users, nominating, scoring, publicity, published,
                  public_nominee=public_nominee)
    world.objection = actions.raise_objection(selected, text="异议")
    for place, unit in units.items():
        world.nominations[place] = actions.nominate(
            nominating, actor=d.dispatcher, unit=unit, nominee=f"{place}人选", party_years=3,
            deeds="事迹", photo=("p.png", png()))
        world.practices[place] = actions.write_practice(
            actor=d.dispatcher, unit=unit, title=f"{place}做法", body="正文",
            photo=("p.png", png()))
    story = actions.write_practice(actor=d.dispatcher, unit=d.street_unit, title="已发布",
                                   body="正文", photo=("p.png", png()), submit=True)
    world.story = actions.review_practice(story, actor=d.dispatcher, publish=True)
    return world


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def call(client: Client, method: str, url: str):
    return client.post(url, {}) if method == "POST" else client.get(url)


def check_targets(client, role, method, targets, read_only_status=200):
    """targets: (url, place or None for everyone's); `read_only_status`: what a role that
    sees but may not record gets on a GET (the edit page: 403)."""
    for url, place in targets:
        response = call(client, method, url)
        where = f"{role} {method} {url}"
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(LOGIN), where
        elif place is None or place in SEES[role]:
            assert response.status_code not in (404, 500), where
            if method == "GET":
                expected = read_only_status if role not in RECORDERS else 200
                assert response.status_code == expected, where
        else:
            assert response.status_code == 404, where


def staff_targets(world: World, name: str) -> tuple[str, list]:
    kind = WEB[name]
    method = "POST" if "post" in kind else "GET"
    if kind.startswith("nomination"):
        return method, [(reverse(f"web:{name}", args=[n.pk]), p)
                        for p, n in world.nominations.items()]
    if kind.startswith("practice"):
        rows = [(reverse(f"web:{name}", args=[s.pk]), p) for p, s in world.practices.items()]
        if name in ("campaign-practice", "campaign-practice-photo"):
            rows.append((reverse(f"web:{name}", args=[world.story.pk]), None))
        return method, rows
    if kind.startswith("objection"):
        return method, [(reverse(f"web:{name}", args=[world.objection.pk]), "far")]
    return method, []


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages(exemplar_world, role):
    world = exemplar_world
    client = client_for(world, role)
    for name, kind in WEB.items():
        if kind.startswith("public"):
            continue
        method, targets = staff_targets(world, name)
        if targets:
            check_targets(client, role, method, targets,
                          403 if name == "campaign-practice-edit" else 200)
            continue
        args = ([world.nominating.pk] if kind.startswith("round") else
                [world.nominating.selection_id] if kind.startswith("selection") else [])
        url = reverse(f"web:{name}", args=args)
        response = call(client, method, url)
        where = f"{role} {method} {url}"
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(LOGIN), where
            continue
        allowed = (role in OFFICE if "office" in kind else
                   role in RECORDERS if "recorder" in kind else True)
        assert response.status_code == (200 if allowed and method == "GET" else 403) or (
            allowed and method == "POST" and response.status_code in (302, 409)), where
        if args:  # a round or selection that does not exist: 404 for every role
            missing = reverse(f"web:{name}", args=[999999])
            assert call(client, method, missing).status_code == 404, where


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_answer_everyone_alike(exemplar_world, role):
    world = exemplar_world
    client = client_for(world, role)
    stage_of = {"campaign-vote": world.scoring, "campaign-publicity": world.publicity,
                "campaign-results": world.published}
    for name, round_ in stage_of.items():
        assert client.get(reverse(f"web:{name}", args=[round_.pk])).status_code == 200, name
        assert client.get(reverse(f"web:{name}", args=[world.nominating.pk])
                          ).status_code == 404, name
    photo = reverse("web:campaign-nominee-photo", args=[world.public_nominee.pk])
    assert client.get(photo).status_code == 200
    for pending in world.nominations.values():  # not public: 404 even for staff who see it
        assert client.get(reverse("web:campaign-nominee-photo", args=[pending.pk])
                          ).status_code == 404
    assert client.get(reverse("web:campaign-public-practices")).status_code == 200
    for name in ("campaign-public-practice", "campaign-public-practice-photo"):
        assert client.get(reverse(f"web:{name}", args=[world.story.pk])).status_code == 200
        for draft in world.practices.values():
            assert client.get(reverse(f"web:{name}", args=[draft.pk])).status_code == 404


def api_call(world: World, role: str, method: str, path: str, body=None):
    headers = ({} if role == "anonymous" else
               {"Authorization": f"Bearer {ApiToken.objects.issue(world.users[role])}"})
    if method == "GET":
        return Client().get("/api/v1" + path, headers=headers)
    return Client().post("/api/v1" + path, json.dumps(body or {}),
                         content_type="application/json", headers=headers)


@pytest.mark.parametrize("role", ROLES)
def test_api_operations(exemplar_world, role):
    world = exemplar_world
    for (method, template), kind in API.items():
        path = template.replace("{round_id}", str(world.nominating.pk))
        if kind == "public":
            if method == "GET":
                assert api_call(world, role, method, path).status_code == 200
            else:  # a vote needs a round in 评审投票: this one is not
                answer = api_call(world, role, method, path,
                                  {"nomination_id": world.nominations["own"].pk,
                                   "phone": "13800000000"})
                assert answer.status_code == 409, answer.content
            continue
        if role == "anonymous":
            assert api_call(world, role, method, path, {}).status_code == 401, path
            continue
        if kind == "staff scoped list":
            listed = {n["nominee"] for n in api_call(world, role, method, path).json()}
            assert listed == {f"{p}人选" for p in SEES[role]}, role
            missing = template.replace("{round_id}", "999999")
            assert api_call(world, role, method, missing).status_code == 404
        elif kind == "recorder":
            body = {"unit_code": "linshanzhai-02", "nominee": "新人选", "deeds": "事迹",
                    "party_years": 3}
            answer = api_call(world, role, method, path, body)
            may = role in {"admin", "dispatcher", "street"}
            assert answer.status_code == (201 if may else 403), (role, answer.content)
        else:
            assert api_call(world, role, method, path).status_code == 200
