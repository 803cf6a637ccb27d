"""Who may open which study page and API operation, role by role (admin, dispatcher, leader,
inspector, a street's staff, a community's staff, a department's staff, anonymous): in scope
200, out of scope 404 (never 403 for a record one may not see), a reader without the right
to change 403, anonymous → the login page / 401. Every name and operation listed in
tests/access_campaign_study.py is checked here."""

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from banshi.campaign.actions import study as actions
from banshi.campaign.choices import SpeakerKind, StudyKind
from banshi.campaign.models import StudyActivity, StudyFile, StudySignIn
from banshi.org.choices import Role
from banshi.org.models import ApiToken

from . import access_campaign_study as listed
from .factories import add_other_street, make_user

ROLES = ("admin", "dispatcher", "leader", "inspector", "street", "community", "department",
         "anonymous")
DISTRICT = frozenset({"admin", "dispatcher", "leader", "inspector"})
PLACES = {"own": "linshanzhai-01", "street": "linshanzhai", "dept": "cgj",
          "far": "zhongyuanxilu-01"}
EVERYWHERE = frozenset(PLACES)
SEES = {role: EVERYWHERE for role in DISTRICT} | {
    "street": frozenset({"own", "street"}), "community": frozenset({"own"}),
    "department": frozenset({"dept"}), "anonymous": frozenset()}
RECORDS = {"admin": EVERYWHERE, "dispatcher": EVERYWHERE, "leader": frozenset(),
           "inspector": frozenset(), "street": frozenset({"own", "street"}),
           "community": frozenset({"own"}), "department": frozenset({"dept"}),
           "anonymous": frozenset()}
RECORDERS = frozenset({"admin", "dispatcher", "street", "community", "department"})
OFFICE = frozenset({"admin", "dispatcher"})
SPEAKER_MANAGERS = OFFICE | {"street"}  # the speaker belongs to the street
LOGIN = "/login/"


@dataclass
class World:
    users: dict
    activities: dict
    files: dict
    signins: dict
    speaker: object
    venue: object


@pytest.fixture
def world(d):
    other = add_other_street(d)
    users = {"admin": d.admin, "dispatcher": d.dispatcher, "leader": d.leader,
             "inspector": make_user("inspector", Role.INSPECTOR), "street": d.street_staff,
             "community": d.community_staff, "department": d.cgj_staff, "anonymous": None}
    units = {"own": d.community_unit, "street": d.street_unit, "dept": d.cgj,
             "far": other.community_unit}
    speaker = actions.create_speaker(actor=d.dispatcher, name="张书记",
                                     kind=SpeakerKind.SECRETARY, unit=d.street_unit)
    venue = actions.create_venue(actor=d.dispatcher, name="黄河博物馆")
    activities, files, signins = {}, {}, {}
    for key, unit in units.items():
        activities[key] = actions.create_activity(
            actor=d.dispatcher, unit=unit, kind=StudyKind.VENUE_VISIT, held_on=dt.date(2026, 3, 20),
            title=f"参观活动{key}", venue=venue, speaker=speaker, person_times=10)
        files[key] = actions.attach_file(activities[key], actor=d.dispatcher, name="讲稿.pdf",
                                         data=b"%PDF-1.4")
        signins[key] = actions.add_signin(activities[key], actor=d.dispatcher, name="张三")
    return World(users, activities, files, signins, speaker, venue)


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_every_listed_name_and_operation_is_checked_here():
    checked = set(LISTS) | set(GATES) | set(RECORD_PAGES) | set(DISTRICT_PAGES) | {
        "campaign-study-signin"}
    assert checked == set(listed.WEB)
    assert set(API_CHECKED) == set(listed.API)


LISTS = ("campaign-study", "campaign-speakers", "campaign-venues")
GATES = {"campaign-study-new": RECORDERS, "campaign-speaker-new": RECORDERS,
         "campaign-venue-new": OFFICE}


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_what_is_in_scope(world, role):
    client = client_for(world, role)
    for name in LISTS:
        response = client.get(reverse(f"web:{name}"))
        if role == "anonymous":
            assert to_login(response), name
            continue
        assert response.status_code == 200, name
    if role == "anonymous":
        return
    page = client.get(reverse("web:campaign-study")).content.decode()
    shown = {key for key in PLACES if f"参观活动{key}<" in page}
    assert shown == SEES[role]
    venues = client.get(reverse("web:campaign-venues")).content.decode()
    assert f'<span id="venue-visits">{len(SEES[role])}</span>' in venues


@pytest.mark.parametrize("role", ROLES)
def test_create_pages_by_right(world, role):
    client = client_for(world, role)
    for name, allowed in GATES.items():
        response = client.get(reverse(f"web:{name}"))
        if role == "anonymous":
            assert to_login(response), name
        else:
            assert response.status_code == (200 if role in allowed else 403), name


def record_url(world: World, name: str, key: str) -> str:
    activity = world.activities[key]
    if name == "campaign-study-file":
        return reverse(f"web:{name}", args=[activity.pk, world.files[key].pk])
    if name == "campaign-study-signin-remove":
        return reverse(f"web:{name}", args=[activity.pk, world.signins[key].pk])
    return reverse(f"web:{name}", args=[activity.pk])


RECORD_PAGES = {"campaign-study-activity": "GET", "campaign-study-file": "GET",
                "campaign-study-edit": "GET", "campaign-study-attach": "POST",
                "campaign-study-signin-switch": "POST", "campaign-study-signin-add": "POST",
                "campaign-study-signin-remove": "POST"}
READ_ONLY = {"campaign-study-activity", "campaign-study-file"}


@pytest.mark.parametrize("role", ROLES)
def test_an_activity_in_scope_opens_outside_it_is_a_404(world, role):
    client = client_for(world, role)
    for name, method in RECORD_PAGES.items():
        for key in PLACES:
            url = record_url(world, name, key)
            response = client.post(url, {"is_open": "0"}) if method == "POST" \
                else client.get(url)
            where = f"{role} {method} {name} ({key})"
            if role == "anonymous":
                assert to_login(response), where
            elif key not in SEES[role]:
                assert response.status_code == 404, where
            elif name in READ_ONLY:
                assert response.status_code == 200, where
            elif key in RECORDS[role]:
                # the edit page opens; an upload or a sign-in with nothing filled in is a form
                # error; closing and striking off work
                assert response.status_code in (200, 302, 422), where
            else:
                assert response.status_code == 403, where
    missing = reverse("web:campaign-study-activity", args=[999999])
    assert client.get(missing).status_code == (302 if role == "anonymous" else 404)


DISTRICT_PAGES = {"campaign-speaker": frozenset(RECORDERS | DISTRICT),
                  "campaign-venue": frozenset(RECORDERS | DISTRICT),
                  "campaign-speaker-edit": SPEAKER_MANAGERS, "campaign-venue-edit": OFFICE}


@pytest.mark.parametrize("role", ROLES)
def test_speakers_and_venues_are_district_wide_and_managed_by_right(world, role):
    client = client_for(world, role)
    for name, allowed in DISTRICT_PAGES.items():
        record = world.speaker if "speaker" in name else world.venue
        response = client.get(reverse(f"web:{name}", args=[record.pk]))
        if role == "anonymous":
            assert to_login(response), name
            continue
        assert response.status_code == (200 if role in allowed else 403), (role, name)
        assert client.get(reverse(f"web:{name}", args=[999999])).status_code == 404
    if role not in ("anonymous",):
        page = client.get(reverse("web:campaign-speaker", args=[world.speaker.pk]))
        assert f'<dd id="lecture-count">{len(SEES[role])}</dd>' in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_sign_in_page_is_public_by_token_only(world, role):
    client = client_for(world, role)
    token = world.activities["far"].signin_token
    assert client.get(reverse("web:campaign-study-signin", args=[token])).status_code == 200
    by_id = f"/h5/campaign/study/{world.activities['far'].pk}/"
    assert client.get(by_id).status_code == 404


# ---------- the API ----------


def api(world: World, role: str, method: str, path: str, body=None, **params):
    headers = {}
    if role != "anonymous":
        headers = {"Authorization": f"Bearer {ApiToken.objects.issue(world.users[role])}"}
    if method == "POST":
        return Client().post(f"/api/v1{path}", json.dumps(body), headers=headers,
                             content_type="application/json")
    return Client().get(f"/api/v1{path}", params, headers=headers)


API_CHECKED = {("GET", "/campaign/study"), ("POST", "/campaign/study"),
               ("GET", "/campaign/study/{activity_id}"), ("GET", "/campaign/speakers"),
               ("GET", "/campaign/venues")}


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_are_scoped(world, role):
    listed_ = api(world, role, "GET", "/campaign/study")
    speakers = api(world, role, "GET", "/campaign/speakers")
    venues = api(world, role, "GET", "/campaign/venues")
    if role == "anonymous":
        assert {listed_.status_code, speakers.status_code, venues.status_code} == {401}
        return
    ids = {row["id"] for row in listed_.json()["results"]}
    assert ids == {world.activities[key].pk for key in SEES[role]}
    assert speakers.json()[0]["lectures"] == len(SEES[role])
    assert venues.json()[0]["visits"] == len(SEES[role])


@pytest.mark.parametrize("role", ROLES)
def test_api_one_activity_in_scope_or_404(world, role):
    for key in PLACES:
        response = api(world, role, "GET", f"/campaign/study/{world.activities[key].pk}")
        if role == "anonymous":
            assert response.status_code == 401
        else:
            assert response.status_code == (200 if key in SEES[role] else 404), (role, key)
    if role != "anonymous":
        assert api(world, role, "GET", "/campaign/study/999999").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_api_create_for_the_community_by_right(world, role):
    before = StudyActivity.objects.count()
    response = api(world, role, "POST", "/campaign/study", {
        "unit_code": "linshanzhai-01", "kind": "party_day", "held_on": "2026-03-21",
        "title": "主题党日"})
    if role == "anonymous":
        assert response.status_code == 401
    elif "own" in RECORDS[role]:
        assert response.status_code == 201
        assert StudyActivity.objects.count() == before + 1
        return
    else:
        assert response.status_code == 403 and response.json()["field"] == "unit_code"
    assert StudyActivity.objects.count() == before


def test_files_of_an_unseen_activity_stay_hidden_even_by_their_own_id(world):
    client = client_for(world, "community")
    own, far = world.activities["own"], world.activities["far"]
    crossed = reverse("web:campaign-study-file", args=[own.pk, world.files["far"].pk])
    assert client.get(crossed).status_code == 404
    strike = reverse("web:campaign-study-signin-remove", args=[own.pk, world.signins["far"].pk])
    assert client.post(strike).status_code == 404
    assert StudySignIn.objects.filter(pk=world.signins["far"].pk).exists()
    assert StudyFile.objects.get(pk=world.files["far"].pk).activity == far
