"""Role by role, the ledgers page and every download: the district roles and unit staff 200
(each ledger scoped to them; the inspectors of the 巡回指导组 see the district's), an account
without a role 403, anonymous → the login page; a unit outside the user's scope is a 404
like an unknown one; and nothing personal ever goes into the URLs the page hands out."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from banshi.org.choices import Role
from banshi.org.models import Staff

from . import access_reports_ledgers as listed
from .factories import make_user

ROLES = ["anonymous", "no_role", "inspector", "dispatcher", "leader", "admin", "cgj_staff",
         "street_staff", "community_staff"]
ALLOWED = {"inspector", "dispatcher", "leader", "admin", "cgj_staff", "street_staff",
           "community_staff"}


def user_for(d, role: str):
    if role == "no_role":
        return get_user_model().objects.create_user("bare")
    if role == "inspector":
        user = get_user_model().objects.create_user("inspector")
        Staff.objects.create(user=user, role=Role.INSPECTOR)
        return user
    return getattr(d, role)


def client_for(d, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(user_for(d, role))
    return client


def test_every_listed_name_is_a_page():
    assert set(listed.WEB) == {"reports-ledgers", *(f"reports-ledger-{kind}" for kind in
                                                     ("appeals", "problems", "supervision",
                                                      "study", "matters"))}
    assert listed.API == {}


@pytest.mark.parametrize("name", list(listed.WEB))
@pytest.mark.parametrize("role", ROLES)
def test_page(d, role, name):
    response = client_for(d, role).get(reverse(f"web:{name}"))
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response["Location"]
    elif role in ALLOWED:
        assert response.status_code == 200, response.content[:300]
        if name != "reports-ledgers":
            assert response["Content-Disposition"].startswith("attachment")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", list(listed.WEB))
@pytest.mark.parametrize(("role", "code", "status"), [
    ("street_staff", "linshanzhai-01", 200),  # its own community
    ("street_staff", "cgj", 404),  # a department outside its subtree
    ("street_staff", "missing", 404),
    ("community_staff", "linshanzhai", 404),  # its parent street
    ("community_staff", "linshanzhai-02", 404),  # a sibling community
    ("cgj_staff", "zjj", 404),
    ("dispatcher", "zjj", 200),
    ("leader", "linshanzhai-02", 200),
])
def test_unit_scope(d, role, code, status, name):
    response = client_for(d, role).get(reverse(f"web:{name}"), {"unit": code})
    assert response.status_code == status


def test_download_links_carry_only_the_period_and_a_unit_code(d):
    make_user("extra", Role.UNIT, d.street_unit)
    html = client_for(d, "street_staff").get(reverse("web:reports-ledgers"),
                                             {"unit": "linshanzhai-01"}).content.decode()
    links = re.findall(r'href="(/staff/reports/ledgers/[^"]+)"', html)
    assert len(links) == 5
    for link in links:
        query = link.split("?", 1)[1].replace("&amp;", "&")
        assert {part.split("=")[0] for part in query.split("&")} == {"start", "end", "unit"}
