"""A 共性问题 page shows only the appeals its viewer may open, and a count of the others.

And the rule for communities written down in the README ("Security"): a community sees the
appeals located in its community whoever handles them, with personal data masked unless its
own unit handles the appeal, and it cannot act on them.
"""

import json
import re

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from banshi.appeals import actions
from banshi.org.models import ApiToken

from .factories import PASSWORD, add_other_street, dispatched, submitted
from .test_problems import Cluster

NUMBER = re.compile(r"ZY\d{8}-\d{4}")


def page(username: str, path: str):
    client = Client()
    assert client.login(request=HttpRequest(), username=username, password=PASSWORD)
    return client.get(path)


@pytest.fixture
def spread(d):
    """Appeals about one problem in three communities of two streets:
    `mine` in 百花社区 handled by cgj, `neighbour` in 桐淮社区 (same street) waiting for
    dispatch, `far` in 西里社区 of another street handled by that community."""
    other = add_other_street(d)
    appeals = {
        "mine": dispatched(d, unit=d.cgj, title="百花路东段路灯不亮", contact_name="张三"),
        "neighbour": submitted(d, region=d.community2, title="桐淮路路灯坏了",
                               contact_name="李四", contact_phone="13900001111"),
        "far": dispatched(d, unit=other.community_unit, region=other.community,
                          title="西里小区门口路灯不亮", contact_name="王五",
                          contact_phone="13700002222"),
    }
    return other, appeals


def _foreign(appeals, *keep):
    return [a for name, a in appeals.items() if name not in keep]


def _assert_shows_only(html: str, appeals: dict, *keep: str) -> None:
    for name in keep:
        assert appeals[name].number in html and appeals[name].title in html
    for appeal in _foreign(appeals, *keep):
        assert appeal.number not in html, f"{appeal.number} leaked"
        assert appeal.title not in html, f"{appeal.title} leaked"
        assert appeal.contact_name[0] + "*" not in html  # not even masked
    hidden = len(appeals) - len(keep)
    assert (f"另有 {hidden} 件其他单位诉求" in html) == (hidden > 0)


def test_candidate_problem_page_shows_the_community_only_its_own_appeals(d, spread):
    _other, appeals = spread
    cluster = Cluster([a.number for a in appeals.values()], title="路灯成片不亮")
    [problem] = actions.record_candidates([cluster]).created
    path = reverse("web:problem", args=[problem.code])
    html = page("linshanzhai-01", path).content.decode()
    _assert_shows_only(html, appeals, "mine")
    assert page("linshanzhai-01", reverse("web:case", args=[appeals["far"].number])
                ).status_code == 404
    html = page("dispatcher", path).content.decode()
    _assert_shows_only(html, appeals, "mine", "neighbour", "far")
    assert "王五" in html  # the dispatcher sees everything, unmasked


def test_open_problem_page_hides_linked_appeals_and_their_numbers_in_the_timeline(d, spread):
    other, appeals = spread
    problem = actions.create_problem(actor=d.dispatcher, title="路灯成片不亮", owner_unit=d.cgj)
    for appeal in appeals.values():
        actions.link_appeal(appeal, problem, actor=d.dispatcher)
    path = reverse("web:problem", args=[problem.code])
    # the other street's community sees its own appeal only, and the problem's timeline
    # ("关联诉求ZY…") names no appeal it may not open
    html = page("zhongyuanxilu-01", path).content.decode()
    _assert_shows_only(html, appeals, "far")
    assert "关联诉求 3 件" in html
    # the owner unit leads the rectification; it sees the appeal it handles
    html = page("cgj", path).content.decode()
    _assert_shows_only(html, appeals, "mine")
    # the street sees what its communities handle (none here) and nothing of the others
    html = page("linshanzhai", path)
    assert html.status_code == 404  # no appeal of the problem is in its scope


def test_problem_list_shows_counts_but_no_foreign_appeal(d, spread):
    _other, appeals = spread
    [problem] = actions.record_candidates(
        [Cluster([a.number for a in appeals.values()], title="路灯成片不亮")]).created
    html = page("zhongyuanxilu-01", reverse("web:problems") + "?status=candidate"
                ).content.decode()
    assert problem.code in html and "3 件候选" in html
    assert set(NUMBER.findall(html)) == set()


# ---------- the community rule, end to end ----------

def test_a_community_sees_its_areas_department_case_masked_and_cannot_act(d, spread):
    _other, appeals = spread
    mine = appeals["mine"]  # in 百花社区, handled by 区城市管理局
    html = page("linshanzhai-01", reverse("web:case", args=[mine.number])).content.decode()
    assert mine.title in html and "张*" in html and "张三" not in html
    assert "13812341234" not in html and "138****1234" in html
    assert 'id="action-' not in html
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(d.community_staff)}"}
    api = Client()
    body = api.get(f"/api/v1/appeals/{mine.number}", headers=headers).json()
    assert body["contact"] == {"name": "张*", "phone": "138****1234", "address": "百花路****"}
    refused = api.post(f"/api/v1/appeals/{mine.number}/accept", json.dumps({}),
                       content_type="application/json", headers=headers)
    assert refused.status_code == 403
    # its sibling community and the other street's community do not see it at all
    for username in ("linshanzhai-02", "zhongyuanxilu-01", "zhongyuanxilu"):
        assert page(username, reverse("web:case", args=[mine.number])).status_code == 404
    # nor does its street: a street sees what it and its communities handle or collected
    assert page("linshanzhai", reverse("web:case", args=[mine.number])).status_code == 404
    # the handling department sees it in full
    assert "张三" in page("cgj", reverse("web:case", args=[mine.number])).content.decode()


def test_a_case_merged_into_a_foreign_appeal_does_not_name_it(d, spread):
    _other, appeals = spread
    duplicate = actions.merge(submitted(d, title="百花路东头路灯也不亮"), actor=d.dispatcher,
                              into=appeals["far"])
    far = appeals["far"].number
    html = page("linshanzhai-01", reverse("web:case", args=[duplicate.number])).content.decode()
    assert far not in html and "已合并至 其他单位诉求" in html and "合并至其他单位诉求" in html
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(d.community_staff)}"}
    body = Client().get(f"/api/v1/appeals/{duplicate.number}", headers=headers)
    assert far not in body.content.decode()
    assert "合并至其他单位诉求" in [event["note"] for event in body.json()["events"]]
    # the dispatcher, who may open both, gets the number and the link
    html = page("dispatcher", reverse("web:case", args=[duplicate.number])).content.decode()
    assert reverse("web:case", args=[far]) in html
