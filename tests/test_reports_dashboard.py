"""数据看板: today's figures, the funnel, streets, levels, categories and aspects counted by
hand from a small district; scoped per role; a leader's 包联 streets first; every chart row's
link opens a ledger listing exactly the appeals the row counts; bad input refused."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from banshi.appeals import actions
from banshi.appeals.models import Appeal
from banshi.reports import dashboard as figures

from .factories import HOSTILE, add_other_street, dispatched, resolved, submitted, today
from .shared import layer

PAGE = "/staff/reports/dashboard/"


@layer("d")
def dworld(d):
    """The appeals below, built once and shared (tests/shared.py)."""
    return build_world(d)


def build_world(d):
    other = add_other_street(d)
    a1 = submitted(d)  # 林山寨 (百花社区), not dispatched
    a2 = dispatched(d)  # to the 城管局, located in 林山寨
    a3 = resolved(d)  # answered by the 城管局, then rated 满意
    a3 = actions.record_feedback(a3, rating="satisfied", solved="solved", actor=d.dispatcher)
    a4 = dispatched(d, other.street_unit, region=other.community)  # 中原西路, overdue below
    Appeal.objects.filter(pk=a4.pk).update(is_overdue=True)
    a5 = dispatched(d, d.street_unit)  # the street's own case
    return {"other": other, "appeals": [a1, a2, a3, a4, a5]}


def page(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(PAGE, params)


def charts_of(html: str) -> dict:
    start = html.index('<script id="dashboard-charts" type="application/json">')
    return json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])


def period() -> dict:
    return {"start": today().isoformat(), "end": today().isoformat()}


def test_the_dispatcher_sees_every_figure_counted(d, dworld):
    appeals = Appeal.objects.visible_to(d.dispatcher)
    now = figures.today_figures(appeals, today())
    assert (now["collected"], now["dispatched"], now["backlog"], now["overdue"]) == (5, 4, 4, 1)
    funnel = {step["key"]: step["value"] for step in figures.funnel(appeals, today(), today())}
    assert funnel == {"collected": 5, "dispatched": 4, "resolved": 1, "satisfied": 1}
    streets = {row["name"]: (row["value"], row["overdue"])
               for row in figures.by_street(appeals, today(), today())}
    assert streets == {"林山寨街道": (4, 0), "中原西路街道": (1, 1)}
    levels = {row["name"]: row["value"] for row in figures.by_level(appeals, today(), today())}
    assert levels["街道·局委"] == 4 and levels["社区"] == 0
    categories = {row["name"]: row["value"]
                  for row in figures.by_category(appeals, today(), today())}
    assert categories == {"城乡建设": 4}
    aspects = {row["name"]: row["value"] for row in figures.by_aspect(appeals, today(), today())}
    assert aspects == {d.aspect.name: 4}


def test_the_page_scopes_each_role(d, dworld):
    html = page(d.dispatcher, **period()).content.decode()
    assert charts_of(html)["funnel"][0]["value"] == 5
    street = page(d.street_staff, **period())
    assert street.status_code == 200
    charts = charts_of(street.content.decode())
    assert charts["funnel"][0]["value"] == 1  # only the street's own case
    assert sum(row["value"] for row in charts["streets"]) == 1
    community = charts_of(page(d.community_staff, **period()).content.decode())
    assert community["funnel"][0]["value"] == len(Appeal.objects.visible_to(d.community_staff))
    nobody = User.objects.create_user("nobody-dashboard")
    assert page(nobody).status_code == 403
    anonymous = Client().get(PAGE)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_a_leader_sees_their_streets_first(d, dworld):
    charts = charts_of(page(d.leader, **period()).content.decode())
    first = charts["streets"][0]
    assert first["name"] == "林山寨街道" and first["led"]
    assert not any(row["led"] for row in charts["streets"][1:])
    # the dispatcher has no 包联: the busiest street first, none marked
    charts = charts_of(page(d.dispatcher, **period()).content.decode())
    assert not any(row["led"] for row in charts["streets"])


def ledger_count(user, url: str) -> int:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return int(re.search(r"共 (\d+) 件", response.content.decode()).group(1))


def test_every_chart_row_opens_the_ledger_of_what_it_counts(d, dworld):
    charts = charts_of(page(d.dispatcher, **period()).content.decode())
    rows = (charts["streets"] + charts["levels"] + charts["categories"] + charts["aspects"]
            + charts["funnel"])
    for row in rows:
        assert row["url"].startswith(reverse("web:ledger"))
        assert ledger_count(d.dispatcher, row["url"]) == row["value"], row["name"]
    for row in charts["streets"]:
        assert ledger_count(d.dispatcher, row["overdue_url"]) == row["overdue"], row["name"]
    day = next(row for row in charts["trend"]["days"] if row["collected"])
    assert ledger_count(d.dispatcher, day["url"]) == day["collected"] == 5


def test_hostile_input_is_refused_not_crashed(d, dworld):
    for text in HOSTILE:
        response = page(d.dispatcher, start=text, end=today().isoformat())
        assert response.status_code in (200, 400), text[:20]
        assert "<script>alert" not in response.content.decode()
    assert page(d.street_staff, unit="zhongyuanxilu").status_code == 404
    assert page(d.dispatcher, unit="zhongyuanxilu").status_code == 200


@pytest.mark.parametrize("user", ["dispatcher", "leader", "admin", "street_staff",
                                  "community_staff", "cgj_staff"])
def test_every_staff_role_opens_it(d, dworld, user):
    assert page(getattr(d, user)).status_code == 200


def test_the_briefing_button_downloads_the_period_s_briefing(d, dworld):
    html = page(d.dispatcher, **period()).content.decode()
    href = re.search(r'id="briefing-button" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    client = Client()
    client.force_login(d.dispatcher)
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert f"工作简报-{today():%Y%m%d}-{today():%Y%m%d}.docx" in response["Content-Disposition"] \
        or "filename*=" in response["Content-Disposition"]


def test_the_period_s_rates_are_the_handling_api_s(d, dworld):
    from banshi.reports.metrics import handling_figures

    html = page(d.dispatcher, **period()).content.decode()
    rates = html.split('id="rates"')[1].split("</div>")[0]
    got = re.findall(r"<b>([\d.—]+)<small> %</small></b><span>(\S+?)</span>", rates)
    figures_ = handling_figures(d.dispatcher, today(), today())
    expected = [("—" if figures_[key] is None else f"{figures_[key] * 100:.1f}", label)
                for key, label in [("response_rate", "响应率"), ("resolution_rate", "办结率"),
                                   ("solve_rate", "解决率"), ("satisfaction_rate", "满意率")]]
    assert got == expected
    assert got[3] == ("100.0", "满意率")  # the one rated appeal was 满意


def test_the_reports_menu_offers_what_the_role_may_open(d, dworld):
    html = page(d.dispatcher).content.decode()
    menu = html.split('aria-label="统计分析"')[1].split("</nav>")[0]
    for label in ("数据看板", "办理指标", "红黑榜", "工作简报", "台账导出"):
        assert label in menu
    menu = page(d.street_staff).content.decode().split('aria-label="统计分析"')[1]
    assert "红黑榜" not in menu.split("</nav>")[0]
