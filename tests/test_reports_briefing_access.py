"""The briefing page (tests/access_reports_briefing.py), role by role: district roles get the
district's briefing and may narrow it to any unit; unit staff get their own unit's and may
narrow it inside their subtree only (404 alike outside it and for an unknown code); staff
without a unit and accounts without a role 403; anonymous → the login page. Every download
names its scope in the title."""

import io

import docx
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from banshi.org.choices import Role
from banshi.org.models import Staff, Unit

from . import access_reports_briefing as listed
from .factories import add_other_street

PERIOD = {"start": "2026-03-01", "end": "2026-03-31", "generate": "1"}
TITLE = "“我为群众办实事”实践活动工作简报"
# role → the title's name without a unit filter
OWN = {"dispatcher": "中原区", "leader": "中原区", "admin": "中原区",
       "street_staff": "林山寨街道办事处", "community_staff": "百花社区居委会",
       "cgj_staff": None}  # the department's own name
# role → unit codes it may narrow to (of those tried below)
MAY_NARROW = {"dispatcher": {"linshanzhai", "linshanzhai-01", "zhongyuanxilu", "cgj"},
              "leader": {"linshanzhai", "linshanzhai-01", "zhongyuanxilu", "cgj"},
              "admin": {"linshanzhai", "linshanzhai-01", "zhongyuanxilu", "cgj"},
              "street_staff": {"linshanzhai", "linshanzhai-01"},
              "community_staff": {"linshanzhai-01"}, "cgj_staff": {"cgj"}}
TRIED = ["linshanzhai", "linshanzhai-01", "zhongyuanxilu", "cgj", "no-such-unit"]


def test_the_listing_names_every_page():
    assert listed.WEB == {"reports-briefing": "page"} and listed.API == {}
    assert reverse("web:reports-briefing") == "/staff/reports/briefing/"


def title_of(response) -> str:
    return docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs[0].text


@pytest.mark.parametrize("role", list(OWN))
def test_each_role_gets_its_own_scope(d, role):
    add_other_street(d)
    client = Client()
    client.force_login(getattr(d, role))
    url = reverse("web:reports-briefing")
    assert client.get(url).status_code == 200
    response = client.get(url, PERIOD)
    assert response.status_code == 200
    name = OWN[role] or d.cgj.name
    assert title_of(response) == name + TITLE
    for code in TRIED:
        narrowed = client.get(url, PERIOD | {"unit": code})
        if code in MAY_NARROW[role]:
            assert narrowed.status_code == 200, code
            assert title_of(narrowed) == Unit.objects.get(code=code).name + TITLE
        else:
            assert narrowed.status_code == 404, (role, code)


def test_anonymous_goes_to_the_login_page(d):
    response = Client().get(reverse("web:reports-briefing"), PERIOD)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_accounts_without_a_role_or_a_unit_are_refused(d):
    client = Client()
    nobody = User.objects.create_user("nobody-briefing")
    client.force_login(nobody)
    assert client.get(reverse("web:reports-briefing"), PERIOD).status_code == 403
    unitless = User.objects.create_user("unitless-briefing")
    Staff.objects.create(user=unitless, role=Role.UNIT, unit=None)
    client.force_login(unitless)
    assert client.get(reverse("web:reports-briefing"), PERIOD).status_code == 403
