"""The access matrix: every role × every staff page and every API operation × objects inside
and outside the role's scope (tests/access_world.py says, by hand, who may see what).

Out of scope is 404 (never a hint), anonymous is sent to the login page (pages) or 401 (API),
and no response — page, Excel export or JSON — names an appeal or problem outside the
role's scope, nor shows a resident's full name or phone to a role that must see them masked.
A staff page or API operation that is not in the tables below fails the test: add it.
"""

import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from banshi.appeals.photos import resident_token
from banshi.web import urls as web_urls

from . import (
    access_campaign_exemplars,
    access_campaign_org,
    access_campaign_overview,
    access_campaign_study,
    access_campaign_supervision,
    access_reports_briefing,
    access_reports_dashboard,
    access_reports_ledgers,
    access_reports_metrics,
)
from .access_world import (
    DISTRICT_ROLES,
    MAY_DISPATCH,
    MAY_ENTER,
    PERSONAL,
    PROBLEM_TITLES,
    ROLES,
    SEES,
    SEES_PROBLEMS,
    TEXTS,
    build_world,
)

API = "/api/v1"
LOGIN = "/login/"

# ---------- the world, built once for the module and rolled back after it ----------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from huey.contrib.djhuey import HUEY

    immediate, HUEY.immediate = HUEY.immediate, True
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), \
                transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
    finally:
        HUEY.immediate = immediate


def web_client(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


# ---------- what no response may contain ----------


def foreign_texts(world, role: str) -> list[str]:
    """Numbers and titles of the appeals and problems `role` may not open, and residents'
    full names and phones it must not see."""
    texts = []
    for key, appeal in world.appeals.items():
        title, name, phone = TEXTS[key]
        if key not in SEES[role]:
            texts += [appeal.number, title]
        if role not in PERSONAL[key] | MAY_DISPATCH:
            texts += [name, phone]
    for key, problem in world.problems.items():
        if key not in SEES_PROBLEMS[role]:
            texts += [problem.code, PROBLEM_TITLES[key]]
    return texts


def assert_no_leak(world, role: str, text: str, where: str) -> None:
    leaked = [t for t in foreign_texts(world, role) if t in text]
    assert not leaked, f"{role} sees {leaked} on {where}"


def body_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


# ---------- staff pages ----------
# name -> (kind, method). Kinds: "list" (GET, 200 for staff), "object" (GET per appeal,
# photo or problem: 200 in scope, 404 outside), "post" (POST with an incomplete form per
# object: 404 outside scope, a refusal or form error inside), "gate" (GET 200, or an empty
# POST 422, or 403 by role), "public" (resident pages and login), "admin".

WEB = {
    "landing": ("public", "GET"), "submit": ("public", "GET"), "submitted": ("public", "GET"),
    "track": ("public", "GET"),
    "rate": ("public", "POST"), "login": ("public", "GET"), "logout": ("public", "POST"),
    "resident-photo": ("signed", "GET"),
    "home": ("list", "GET"), "supervision": ("list", "GET"), "ledger": ("list", "GET"),
    "export": ("list", "GET"), "problems": ("list", "GET"),
    "entry": ("gate", "GET"), "import": ("gate", "GET"), "problem-new": ("gate", "GET"),
    "leaders": ("gate", "GET"),
    "bulk-dispatch": ("gate", "POST"),
    "case": ("object", "GET"), "photo": ("object", "GET"), "problem": ("object", "GET"),
    "act": ("post", "POST"), "case-problem": ("post", "POST"),
    "problem-act": ("post", "POST"),
    # collection records (issue 8): symposiums and online groups
    "symposiums": ("list", "GET"), "online-groups": ("list", "GET"),
    "symposium-new": ("gate", "GET"), "online-group-new": ("gate", "GET"),
    "symposium": ("record", "GET"), "symposium-sheet": ("record", "GET"),
    "symposium-file": ("record", "GET"), "online-group": ("record", "GET"),
    "symposium-edit": ("record post", "GET"), "online-group-edit": ("record post", "GET"),
    "symposium-appeals": ("record post", "POST"),
    "symposium-participant-add": ("record post", "POST"),
    "symposium-participant-remove": ("record post", "POST"),
    "symposium-attach": ("record post", "POST"), "online-group-paste": ("record post", "POST"),
    "signin": ("signin", "GET"),
    # questionnaires (问卷): see SURVEY_SEES / SURVEY_MANAGES below
    "questionnaires": ("list", "GET"), "questionnaire-new": ("gate", "GET"),
    "questionnaire": ("survey", "GET"), "questionnaire-qr": ("survey", "GET"),
    "questionnaire-results": ("survey", "GET"), "questionnaire-export": ("survey", "GET"),
    "questionnaire-template": ("survey", "GET"),
    "questionnaire-paper": ("survey manage", "GET"),
    "questionnaire-import": ("survey manage", "GET"),
    "questionnaire-question": ("survey manage", "GET"),
    "questionnaire-answer-appeal": ("survey manage", "GET"),
    "questionnaire-act": ("survey post", "POST"),
    "survey": ("survey public", "GET"), "survey-done": ("survey public", "GET"),
}
# Collection: opinion boxes, household visits, liaisons (records made per test below).
WEB |= {
    "opinion-boxes": ("list", "GET"), "household-visits": ("list", "GET"),
    "liaisons": ("list", "GET"),
    "opinion-box-new": ("gate", "GET"), "household-visit-new": ("gate", "GET"),
    "household-visits-day": ("gate", "GET"), "liaisons-import": ("gate", "GET"),
    "opinion-box": ("box record", "GET"), "opinion-box-label": ("box record", "GET"),
    "opinion-box-edit": ("box record", "GET"), "opinion-box-transcribe": ("box record", "GET"),
    "opinion-box-opening": ("box record", "POST"), "household-visit": ("box record", "GET"),
    "liaison": ("box record", "GET"), "liaison-contact": ("box record", "POST"),
    "collection-stats": ("list", "GET"), "collection-stats-export": ("list", "GET"),
}
GATES = {"entry": MAY_ENTER, "import": MAY_DISPATCH, "problem-new": MAY_DISPATCH,
         "bulk-dispatch": MAY_DISPATCH, "leaders": MAY_DISPATCH | {"leader"},
         "symposium-new": MAY_ENTER, "online-group-new": MAY_ENTER,
         "questionnaire-new": MAY_ENTER,
         "opinion-box-new": MAY_ENTER, "household-visit-new": MAY_ENTER,
         "household-visits-day": MAY_ENTER, "liaisons-import": MAY_ENTER}

# Collection records, one per place (by hand, as SEES): a symposium and a group each at
# 百花 (community), the street, 西里 (the other street's community) and the 城管局.
RECORD_UNITS = {"own": "linshanzhai-01", "street": "linshanzhai", "far": "zhongyuanxilu-01",
                "dept": "cgj"}
ALL_RECORDS = frozenset(RECORD_UNITS)
SEES_RECORDS = {role: ALL_RECORDS for role in DISTRICT_ROLES} | {
    "street": frozenset({"own", "street"}), "sibling_street": frozenset({"far"}),
    "department": frozenset({"dept"}), "community": frozenset({"own"}),
    "other_community": frozenset({"far"}), "anonymous": frozenset(),
}
# Who may record for the 百花 community (the API's POST names it): its recorders.
RECORDS_FOR_OWN = {"dispatcher", "admin", "street", "community"}


def web_names(patterns=None) -> set[str]:
    """Every URL name of banshi/web/urls.py, with those of the modules it includes."""
    names = set()
    for entry in web_urls.urlpatterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            assert entry.namespace is None, f"an include keeps the web namespace: {entry}"
            names |= web_names(entry.url_patterns)
            continue
        assert isinstance(entry, URLPattern), f"unexpected entry in banshi/web/urls.py: {entry}"
        names.add(entry.name)
    return names


# The campaign's and the reports' pages and operations: listed per area in
# tests/access_campaign_*.py and tests/access_reports_*.py and checked role by role in that
# area's own tests (tests/test_campaign_*_access.py, tests/test_reports_*).
CAMPAIGN_AREAS = (access_campaign_org, access_campaign_study, access_campaign_supervision,
                  access_campaign_exemplars, access_campaign_overview,
                  access_reports_dashboard, access_reports_briefing,
                  access_reports_ledgers, access_reports_metrics)
CAMPAIGN_WEB = {name for area in CAMPAIGN_AREAS for name in area.WEB}
CAMPAIGN_API = {op for area in CAMPAIGN_AREAS for op in area.API}


def test_every_staff_page_is_in_the_matrix():
    assert web_names() == set(WEB) | CAMPAIGN_WEB, (
        "add the new page to WEB in tests/test_access_matrix.py (or a campaign page to its "
        "area's tests/access_campaign_*.py)")
    top = {str(p.pattern) for p in get_resolver().url_patterns}
    assert top == {"admin/", "api/v1/", ""}, "a new URL root needs its own rows here"
    assert all(isinstance(p, URLPattern | URLResolver) for p in get_resolver().url_patterns)


@pytest.fixture(scope="module")
def records(world, django_db_blocker):
    """A symposium (with a participant and a file) and a group per RECORD_UNITS place, in
    the world's transaction (rolled back with it)."""
    from django.core.files.base import ContentFile

    from banshi.collection.models import (
        OnlineGroup,
        Symposium,
        SymposiumAttachment,
        SymposiumParticipant,
    )
    from banshi.org.models import Unit

    built = {}
    with django_db_blocker.unblock():
        for key, code in RECORD_UNITS.items():
            unit = Unit.objects.get(code=code)
            symposium = Symposium.objects.create(unit=unit, code=f"ZT-{key}", topic=f"座谈{key}",
                                                 held_on="2026-03-20")
            participant = SymposiumParticipant.objects.create(symposium=symposium, name="张")
            attachment = SymposiumAttachment(symposium=symposium, name="纪要.pdf", size=4,
                                             content_type="application/pdf")
            attachment.file.save(f"{key}.pdf", ContentFile(b"%PDF"), save=True)
            group = OnlineGroup.objects.create(unit=unit, kind="wechat_group", name=f"群{key}")
            built[key] = (symposium, participant, attachment, group)
    return built


def record_targets(records, name: str) -> list[tuple[str, str]]:
    rows = []
    for key, (symposium, participant, attachment, group) in records.items():
        if name.startswith("online-group"):
            args = [group.pk]
        elif name == "symposium-file":
            args = [symposium.pk, attachment.pk]
        elif name == "symposium-participant-remove":
            args = [symposium.pk, participant.pk]
        else:
            args = [symposium.pk]
        rows.append((key, reverse(f"web:{name}", args=args)))
    return rows


def _check_record_page(world, records, role, name, kind, method):
    client = web_client(world, role)
    for key, url in record_targets(records, name):
        response = client.post(url, {}) if method == "POST" else client.get(url)
        where = f"{method} {url} ({key})"
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        elif key in SEES_RECORDS[role]:
            assert response.status_code not in (404, 500), where
            if kind == "record":
                assert response.status_code == 200, where
                assert_no_leak(world, role, body_text(response), where)
        else:
            assert response.status_code == 404, f"{role}: {where} is not 404"


def object_targets(world, name: str) -> list[tuple[str, str, bool]]:
    """(label, url, in scope?) for a per-object page; `in scope` is per role, so the third
    item is the key whose visibility decides, resolved by the caller."""
    w = world
    if name in ("case", "act", "case-problem"):
        args = {"act": ["return"], "case": [], "case-problem": []}[name]
        return [(key, reverse(f"web:{name}", args=[w.number(key), *args]), key)
                for key in w.appeals]
    if name == "photo":
        rows = [(key, reverse("web:photo", args=[w.number(key), photo.pk]), key)
                for key, photo in w.photos.items()]
        # a visible appeal's number with another appeal's photo
        rows.append(("dept+far-photo", reverse("web:photo", args=[
            w.number("dept"), w.photos["far"].pk]), None))
        return rows
    action = "milestone"
    return [(key, reverse(f"web:{name}", args=[p.code] + ([action] if name == "problem-act"
                                                            else [])), key)
            for key, p in w.problems.items()]


def expected_inside(role: str, name: str, key: str | None) -> bool:
    if key is None:
        return False
    if name in ("problem", "problem-act"):
        return key in SEES_PROBLEMS[role]
    return key in SEES[role]


@pytest.mark.parametrize("name", sorted(WEB))
@pytest.mark.parametrize("role", ROLES)
def test_staff_page(world, records, db, role, name):
    kind, method = WEB[name]
    client = web_client(world, role)
    if kind in ("record", "record post"):
        _check_record_page(world, records, role, name, kind, method)
        return
    if kind == "signin":  # the sign-in sheet's QR link: its token decides, not the account
        symposium = records["far"][0]
        assert client.get(reverse("web:signin", args=[symposium.signin_token])
                          ).status_code == 200
        assert client.get(reverse("web:signin", args=["forged-token"])).status_code == 404
        return
    if kind == "signed":  # the resident's photo link: its token decides, not the account
        token = resident_token(world.photos["dept"])
        assert client.get(reverse("web:resident-photo", args=[token])).status_code == 200
        forged = reverse("web:resident-photo", args=[token[:-1] + ("A" if token[-1] != "A"
                                                                   else "B")])
        assert client.get(forged).status_code == 404, role
        return
    if kind.startswith("survey"):
        check_survey_page(world, client, role, name, kind)
        return
    if kind == "box record":
        _check_box_page(world, role, name, method, client)
        return
    if kind == "object" or kind == "post":
        for label, url, key in object_targets(world, name):
            response = client.post(url, {}) if method == "POST" else client.get(url)
            where = f"{method} {url} ({label})"
            if role == "anonymous":
                assert response.status_code == 302 and response["Location"].startswith(LOGIN)
            elif expected_inside(role, name, key):
                assert response.status_code not in (404, 500), where
                if kind == "object":
                    assert response.status_code == 200, where
                    assert_no_leak(world, role, body_text(response), where)
            else:
                assert response.status_code == 404, f"{role}: {where} is not 404"
        return
    url = reverse(f"web:{name}")
    response = client.post(url, {}) if method == "POST" else client.get(url)
    where = f"{method} {url}"
    if kind == "public":
        assert response.status_code < 500, where
    elif role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), where
    elif kind == "gate":  # an empty POST is a form error (422) for those it lets through
        allowed = 200 if method == "GET" else 422
        assert response.status_code == (allowed if role in GATES[name] else 403), where
    else:
        assert response.status_code == 200, where
    assert_no_leak(world, role, body_text(response), where)
    if name in ("ledger", "export"):
        text = body_text(client.get(url)) if name == "export" else response.content.decode()
        for key in SEES[role]:
            assert world.number(key) in text, f"{role} misses {key} on {where}"


# Questionnaires of the street (林山寨) and of its community 百花, by hand: who may open
# them (district roles, the owner and the units above it) and who may manage them (the
# dispatcher, admins, the owner and the units above it).
SURVEY_SEES = {"street": {"dispatcher", "leader", "inspector", "admin", "street"},
               "community": {"dispatcher", "leader", "inspector", "admin", "street",
                             "community"}}
SURVEY_MANAGES = {"street": {"dispatcher", "admin", "street"},
                  "community": {"dispatcher", "admin", "street", "community"}}


def survey_world(world) -> dict:
    """A published questionnaire per owner (inside the test's transaction), with a text
    question and a response."""
    from banshi.collection.choices import QuestionnaireStatus, ResponseSource
    from banshi.collection.models import Question, Questionnaire, Response

    made = {}
    for key, unit in (("street", world.d.street_unit), ("community", world.d.community_unit)):
        survey = Questionnaire.objects.create(unit=unit, title=f"{key}问卷",
                                              status=QuestionnaireStatus.PUBLISHED)
        question = Question.objects.create(questionnaire=survey, order=1, kind="text",
                                           text="意见", required=True)
        response = Response.objects.create(questionnaire=survey, unit=unit,
                                           source=ResponseSource.PAPER,
                                           answers={str(question.pk): "路灯坏了"})
        made[key] = (survey, question, response)
    return made


def _survey_url(name: str, survey, question, response) -> str:
    args: list = [survey.token] if name.startswith("survey") else [survey.pk]
    if name == "questionnaire-act":
        args.append("publish")
    elif name == "questionnaire-question":
        args.append(question.pk)
    elif name == "questionnaire-answer-appeal":
        args += [response.pk, question.pk]
    return reverse(f"web:{name}", args=args)


def check_survey_page(world, client, role, name, kind):
    for key, (survey, question, response) in survey_world(world).items():
        url = _survey_url(name, survey, question, response)
        response_ = client.post(url, {}) if kind == "survey post" else client.get(url)
        where = f"{role}: {url} ({key})"
        if kind == "survey public":
            assert response_.status_code == 200, where
            forged = url.replace(survey.token,
                                 ("y" if survey.token[0] == "x" else "x") + survey.token[1:])
            assert client.get(forged).status_code == 404, where
        elif role == "anonymous":
            assert response_.status_code == 302 and response_["Location"].startswith(LOGIN)
        elif role not in SURVEY_SEES[key]:
            assert response_.status_code == 404, f"{where} is not 404"
        elif kind == "survey":
            assert response_.status_code == 200, where
        elif kind == "survey manage":
            expected = 200 if role in SURVEY_MANAGES[key] else 403
            assert response_.status_code == expected, where
        else:  # POST publish of a published questionnaire: refused, never 404/500
            expected = {302} if role in SURVEY_MANAGES[key] else {403}
            assert response_.status_code in expected, where
        if response_.status_code == 200 and not response_.get("Content-Type", "").startswith(
                "application/vnd"):
            assert_no_leak(world, role, body_text(response_), where)


# Collection records of 百花 (`own`) and 西里 (`far`): who sees them, who sees the
# household unmasked (the record's unit and those above it, the dispatcher, admins).
RECORD_SCOPE = {"own": {"dispatcher", "leader", "inspector", "admin", "street", "community"},
                "far": {"dispatcher", "leader", "inspector", "admin", "sibling_street",
                        "other_community"}}
RECORD_PERSONAL = {"own": {"dispatcher", "admin", "street", "community"},
                   "far": {"dispatcher", "admin", "sibling_street", "other_community"}}
HOUSEHOLDS = {"own": "甄十全", "far": "贾九如"}


def collection_records(world) -> dict[str, dict]:
    """A box with an opening, a visit and a liaison with a pairing, for `own` and `far`."""
    import datetime as dt

    from banshi.collection.models import BoxOpening, HouseholdVisit, Liaison, OpinionBox

    day = dt.date(2026, 3, 5)
    made = {}
    for key, role in (("own", "community"), ("far", "other_community")):
        unit = world.users[role].staff.unit
        box = OpinionBox.objects.create(unit=unit, code=f"M-{key}", place="门口",
                                        region=unit.region, installed_on=day)
        opening = BoxOpening.objects.create(box=box, opened_on=day, opened_by="甲", slips=1)
        visit = HouseholdVisit.objects.create(unit=unit, region=unit.region, visited_on=day,
                                              visitors="乙", household_name=HOUSEHOLDS[key],
                                              address=f"{HOUSEHOLDS[key]}家门牌")
        liaison = Liaison.objects.create(unit=unit, name="丙", appointed_on=day)
        liaison.pairings.create(region=unit.region, household_name=HOUSEHOLDS[key],
                                address=f"{HOUSEHOLDS[key]}家门牌", paired_on=day)
        made[key] = {"box": box, "opening": opening, "visit": visit, "liaison": liaison}
    return made


def record_url(name: str, rows: dict) -> str:
    box, args = rows["box"], {
        "opinion-box-transcribe": [rows["box"].code, rows["opening"].pk],
        "household-visit": [rows["visit"].pk], "liaison": [rows["liaison"].pk],
        "liaison-contact": [rows["liaison"].pk]}
    return reverse(f"web:{name}", args=args.get(name, [box.code]))


def _check_box_page(world, role, name, method, client):
    """In scope: 200 to read (403 for pages that record, to roles that only read; 422 for an
    empty POST); outside: 404; the household unmasked only where RECORD_PERSONAL says."""
    for key, rows in collection_records(world).items():
        url = record_url(name, rows)
        response = client.post(url, {}) if method == "POST" else client.get(url)
        where = f"{method} {url} ({key})"
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(LOGIN)
            continue
        if role not in RECORD_SCOPE[key]:
            assert response.status_code == 404, f"{role}: {where} is not 404"
            continue
        records = name in ("opinion-box-edit", "opinion-box-transcribe", "opinion-box-opening",
                           "liaison-contact")
        allowed = {403} if records and role in ("leader", "inspector") else (
            {422} if method == "POST" else {200})
        assert response.status_code in allowed, where
        text = body_text(response)
        assert_no_leak(world, role, text, where)
        if role not in RECORD_PERSONAL[key]:
            assert HOUSEHOLDS[key] not in text, f"{role} sees the household on {where}"
        elif name in ("household-visit", "liaison"):
            assert HOUSEHOLDS[key] in text, where


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_django_staff_only(world, db, role):
    response = web_client(world, role).get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# ---------- the API ----------
# (method, path) -> (kind, body). Kinds: "public" (no token needed), "list", "object" (GET
# per appeal), "action" (POST per appeal with a valid body), "problem action" (POST per
# problem with a valid body).

ACTION_BODIES = {
    "dispatch": {"unit_code": "cgj"}, "accept": {}, "return": {"reason": "非本单位职责"},
    "extend": {"days": 3, "reason": "需协调"}, "decide_extension": {"approve": True},
    "escalate": {"note": "需区级协调"}, "resolve": {"reply": "已处理"},
    "progress": {"note": "已到现场查看", "public": True},
    "feedback": {"solved": "solved", "rating": "satisfied"},
    "call_back": {"solved": "solved", "rating": "satisfied"},
    "reopen": {}, "answer_supervision": {"answer": "已办"},
    "supervise": {"instruction": "限期办结", "due_date": "2099-01-01"},
    "invalidate": {"reason": "重复"}, "merge": {"into": "@dept"},
    "delegate": {"unit_code": "linshanzhai-02", "note": "请社区办理"},
    "review": {"approve": True},
}
API_OPS = {
    ("POST", "/auth/token"): ("public", {"username": "nobody", "password": "wrong"}),
    ("DELETE", "/auth/token"): ("own token", None),
    ("POST", "/appeals"): ("public", {"title": "", "content": ""}),
    ("GET", "/appeals/track"): ("public", None),
    ("POST", "/appeals/track"): ("public", None),
    ("GET", "/appeals"): ("list", None),
    ("GET", "/appeals/{number}"): ("object", None),
    ("GET", "/appeals/{number}/photos/{photo_id}"): ("photo", None),
    ("GET", "/units"): ("public", None), ("GET", "/regions"): ("public", None),
    ("GET", "/categories"): ("public", None), ("GET", "/aspects"): ("public", None),
} | {("POST", f"/appeals/{{number}}/{action}"): ("action", body)
     for action, body in ACTION_BODIES.items()} | {
    ("POST", "/problems/{code}/supervise"): (
        "problem action", {"instruction": "限期整改", "due_date": "2099-01-01"}),
    ("POST", "/problems/{code}/answer_supervision"): ("problem action", {"answer": "已整改"}),
    ("POST", "/collection/symposiums"): ("record create", {
        "unit_code": RECORD_UNITS["own"], "held_on": "2026-03-21", "topic": "矩阵座谈会",
        "kind": "solicitation", "participants": 9}),
    ("GET", "/collection/symposiums"): ("record list", None),
    ("GET", "/collection/surveys"): ("survey list", None),
    ("GET", "/collection/surveys/{survey_id}/results"): ("survey", None),
    ("GET", "/collection/boxes"): ("collection list", None),
    ("GET", "/collection/visits"): ("collection list", None),
    ("GET", "/collection/liaisons"): ("collection list", None),
    ("POST", "/collection/visits"): ("collection post", {"visitors": ""}),
    ("GET", "/stats/collection"): ("stats", None),
}


@pytest.fixture(scope="module")
def openapi_operations(world, django_db_blocker):
    with django_db_blocker.unblock():
        document = Client().get(f"{API}/openapi.json").json()
    return {(method.upper(), path.removeprefix(API)): operation
            for path, operations in document["paths"].items()
            for method, operation in operations.items()}


def test_every_api_operation_is_in_the_matrix(openapi_operations):
    assert set(openapi_operations) == set(API_OPS) | CAMPAIGN_API, (
        "add the new operation to API_OPS in tests/test_access_matrix.py (or a campaign "
        "operation to its area's tests/access_campaign_*.py)")


def api_call(world, role: str, method: str, path: str, body=None, params=None):
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world.tokens[role]}"}
    client = Client()
    if method == "GET":
        return client.get(API + path, params or {}, headers=headers)
    if method == "DELETE":
        return client.delete(API + path, headers=headers)
    if isinstance(body, dict) and str(body.get("into", "")).startswith("@"):
        body = body | {"into": world.number(body["into"][1:])}
    return client.post(API + path, json.dumps(body or {}), content_type="application/json",
                       headers=headers)


def _check_public(world, role, method, path, body):
    params = {"number": world.number("dept"), "code": "000000"} if "track" in path else None
    if method == "POST" and params:
        body, params = params, None
    response = api_call(world, role, method, path, body, params)
    assert response.status_code in {200, 401, 404, 422}, f"{role} {method} {path}"
    assert_no_leak(world, role, response.content.decode(), f"{method} {path}")


def _check_own_token(world, role, method, path):
    """Revoking touches only the caller's own token (the test's transaction restores it)."""
    response = api_call(world, role, method, path)
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 204, role
    assert api_call(world, role, "GET", "/appeals").status_code == 401
    others = [r for r in world.tokens if r != role]
    assert all(api_call(world, r, "GET", "/appeals").status_code == 200 for r in others[:2])


def _check_list(world, role, method, path):
    response = api_call(world, role, method, path, params={"page_size": 200})
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    numbers = {row["number"] for row in response.json()["results"]}
    assert numbers == {world.number(key) for key in SEES[role]}, role
    assert_no_leak(world, role, response.content.decode(), f"{method} {path}")


def _check_photos(world, role, method, path):
    """Each appeal's photo: 200 (the bytes) where the role sees the appeal, 404 elsewhere —
    also for a visible appeal's number with another appeal's photo; 401 without a token."""
    w = world
    rows = [(key, w.number(key), photo) for key, photo in w.photos.items()]
    rows.append((None, w.number("dept"), w.photos["far"]))
    for key, number, photo in rows:
        target = path.replace("{number}", number).replace("{photo_id}", str(photo.pk))
        response = api_call(w, role, method, target)
        where = f"{method} {target} ({key or 'dept+far-photo'})"
        if role == "anonymous":
            assert response.status_code == 401, where
        elif key is not None and key in SEES[role]:
            assert response.status_code == 200, where
            assert response["Content-Type"] == photo.content_type, where
            with photo.file.open("rb") as stored:
                assert b"".join(response.streaming_content) == stored.read(), where
        else:
            assert response.status_code == 404, f"{role}: {where} is not 404"
            assert_no_leak(w, role, response.content.decode(), where)


def _check_surveys(world, role, method, path, kind):
    made = survey_world(world)
    if kind == "survey list":
        response = api_call(world, role, method, path, params={"page_size": 200})
        if role == "anonymous":
            assert response.status_code == 401
            return
        assert response.status_code == 200, role
        ids = {row["id"] for row in response.json()["results"]}
        assert ids == {made[key][0].pk for key in made if role in SURVEY_SEES[key]}, role
        return
    for key, (survey, _, _) in made.items():
        target = path.replace("{survey_id}", str(survey.pk))
        response = api_call(world, role, method, target)
        if role == "anonymous":
            assert response.status_code == 401
        elif role in SURVEY_SEES[key]:
            assert response.status_code == 200, f"{role} {target}"
        else:
            assert response.status_code == 404, f"{role}: {target} is not 404"


def _check_stats(world, role, method, path):
    """The collection figures count what the role may see: every appeal of SEES[role] (all
    collected today); narrowing to the sibling street is 404 for those who cannot see it."""
    period = {"start": "2000-01-01", "end": timezone.localdate().isoformat()}
    response = api_call(world, role, method, path, params=period)
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200, role
    assert response.json()["appeals_collected"] == len(SEES[role]), role
    assert_no_leak(world, role, response.content.decode(), f"{method} {path}")
    narrowed = api_call(world, role, method, path, params=period | {"unit": "zhongyuanxilu"})
    sees_sibling = role in ("dispatcher", "leader", "inspector", "admin", "sibling_street")
    assert narrowed.status_code == (200 if sees_sibling else 404), role


def _check_per_appeal(world, role, method, path, kind, body):
    for key in world.appeals:
        target = path.replace("{number}", world.number(key))
        response = api_call(world, role, method, target, body)
        where = f"{method} {target} ({key})"
        if role == "anonymous":
            assert response.status_code == (404 if path.endswith("/feedback") else 401), where
        elif key in SEES[role]:
            assert response.status_code not in (404, 500), where
            if kind == "object":
                assert response.status_code == 200, where
                assert_no_leak(world, role, response.content.decode(), where)
        else:
            assert response.status_code == 404, f"{role}: {where} is not 404"


def _check_per_problem(world, role, method, path, body):
    for key, problem in world.problems.items():
        target = path.replace("{code}", problem.code)
        response = api_call(world, role, method, target, body)
        where = f"{method} {target} ({key})"
        if role == "anonymous":
            assert response.status_code == 401, where
        elif key in SEES_PROBLEMS[role]:
            assert response.status_code not in (404, 500), where
            assert_no_leak(world, role, response.content.decode(), where)
        else:
            assert response.status_code == 404, f"{role}: {where} is not 404"


def _check_records(world, records, role, method, path, kind, body):
    """Creating for 百花 (201 for its recorders, 403 for the others) and the scoped list."""
    response = api_call(world, role, method, path, body,
                        {"page_size": 200} if method == "GET" else None)
    if role == "anonymous":
        assert response.status_code == 401
        return
    if kind == "record create":
        assert response.status_code == (201 if role in RECORDS_FOR_OWN else 403), role
        return
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert codes == {records[key][0].code for key in SEES_RECORDS[role]}, role
    assert_no_leak(world, role, response.content.decode(), f"{method} {path}")


@pytest.mark.parametrize(("method", "path"), sorted(API_OPS))
@pytest.mark.parametrize("role", ROLES)
def test_api_operation(world, records, db, role, method, path):
    kind, body = API_OPS[(method, path)]
    if kind.startswith("record"):
        _check_records(world, records, role, method, path, kind, body)
    elif kind == "public":
        _check_public(world, role, method, path, body)
    elif kind == "list":
        _check_list(world, role, method, path)
    elif kind == "own token":
        _check_own_token(world, role, method, path)
    elif kind == "problem action":
        _check_per_problem(world, role, method, path, body)
    elif kind == "photo":
        _check_photos(world, role, method, path)
    elif kind.startswith("survey"):
        _check_surveys(world, role, method, path, kind)
    elif kind.startswith("collection"):
        _check_collection_api(world, role, method, path, body)
    elif kind == "stats":
        _check_stats(world, role, method, path)
    else:
        _check_per_appeal(world, role, method, path, kind, body)


def _check_collection_api(world, role, method, path, body):
    """Lists: 401 without a token, else the caller's records only (households masked where
    RECORD_PERSONAL says); POST: an incomplete body is 422 for every staff role."""
    made = collection_records(world)
    response = api_call(world, role, method, path, body, params={"page_size": 200})
    if role == "anonymous":
        assert response.status_code == 401
        return
    if method == "POST":
        assert response.status_code == 422, role
        return
    assert response.status_code == 200, role
    text = response.content.decode()
    results = response.json()["results"]
    expected = {key for key in made if role in RECORD_SCOPE[key]}
    assert len(results) == len(expected), (role, path)
    for key in made:
        if role not in RECORD_PERSONAL[key]:
            assert HOUSEHOLDS[key] not in text, (role, path)
    assert_no_leak(world, role, text, f"{method} {path}")


def test_the_world_is_what_the_tables_say(world, db):
    """The expectations above are written by hand; this checks the world was built as the
    module docstring of access_world.py draws it (not who sees what)."""
    assert isinstance(world.users["anonymous"], AnonymousUser)
    assert world.appeals["merged"].merged_into_id == world.appeals["far"].pk
    assert {a.number for a in world.problems["open"].appeals.all()} == {
        world.number(k) for k in ("dept", "far", "waiting")}
    assert world.problems["candidate"].candidate_appeals.count() == 3
