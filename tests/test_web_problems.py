"""共性问题 pages through the full request stack, with three people in every test: the owner
unit (cgj), its sibling (zjj) and the dispatcher; leaders read only (and 督办 their 包联)."""

import datetime as dt
import math
import re
from dataclasses import replace

import numpy as np
import pytest
from django.urls import reverse

from banshi.appeals import actions
from banshi.appeals.choices import Action, ProblemStatus, State
from banshi.appeals.models import AppealEvent, Problem
from banshi.triage import problems as triage_problems
from banshi.triage.problems import Message, heat_components

from .factories import HOSTILE, dispatched, in_progress, login, submitted, with_code
from .test_problems import Cluster

RAW = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"



def url(problem, action: str | None = None) -> str:
    if action:
        return reverse("web:problem-act", args=[problem.code, action])
    return reverse("web:problem", args=[problem.code])


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def owned(d, **kwargs) -> Problem:
    """An open problem led by cgj with one appeal handled by zjj and one by nobody yet."""
    fields = {"title": "百花路路灯普遍不亮", "owner_unit": d.cgj, "plan": "更换灯具"} | kwargs
    problem = actions.create_problem(actor=d.dispatcher, **fields)
    actions.link_appeal(dispatched(d, unit=d.zjj, contact_name="李四"), problem,
                        actor=d.dispatcher)
    actions.link_appeal(submitted(d, contact_name="王五"), problem, actor=d.dispatcher)
    return problem


def candidate(d, n: int = 3) -> Problem:
    appeals = [submitted(d, title=f"候选诉求{i}") for i in range(n)]
    parts = {"heat": 27.5, "appeals": 3, "residents": 3, "concentration": 0.75, "mystery": "x"}
    cluster = Cluster([a.number for a in appeals], heat=27.5, components=parts)
    [problem] = actions.record_candidates([cluster]).created
    return problem


# ---------- the list ----------

def test_list_by_heat_with_tabs_and_counts(client, d):
    cold, hot = candidate(d), candidate(d)
    Problem.objects.filter(pk=hot.pk).update(heat=90)
    owned(d)
    html = login(client, "dispatcher").get(reverse("web:problems")).content.decode()
    assert "待确认 <span class=\"count\">2</span>" in html
    assert "整改中 <span class=\"count\">1</span>" in html
    assert html.index(hot.code) < html.index(cold.code)
    assert "3 件候选" in html and 'aria-current="page">共性问题' in html
    opened = client.get(reverse("web:problems"), {"status": "open"}).content.decode()
    assert "百花路路灯普遍不亮" in opened and "区城市管理局" in opened
    assert '<progress class="progress" value="0" max="100">' in opened
    assert hot.code not in opened


def test_units_list_what_they_own_or_whose_appeals_they_see(client, d):
    problem = owned(d)
    other = actions.create_problem(actor=d.dispatcher, title="住建局牵头的问题",
                                   owner_unit=d.zjj)
    html = login(client, "cgj").get(reverse("web:problems")).content.decode()
    assert problem.code in html and other.code not in html
    client.logout()
    # zjj leads `other` and handles one of `problem`'s appeals
    html = login(client, "zjj").get(reverse("web:problems")).content.decode()
    assert problem.code in html and other.code in html
    client.logout()
    html = login(client, "linshanzhai-02").get(reverse("web:problems")).content.decode()
    assert problem.code not in html and "没有整改中的共性问题" in html


def test_pages_need_a_staff_login(client, d):
    problem = owned(d)
    for target in (reverse("web:problems"), url(problem), reverse("web:problem-new")):
        response = client.get(target)
        assert response.status_code == 302 and "/login/" in response["Location"]


# ---------- one problem ----------

def test_detail_shows_each_unit_the_appeals_it_may_open_and_counts_the_others(client, d):
    problem = owned(d)
    handled_by_zjj = problem.appeals.get(unit=d.zjj)
    waiting = problem.appeals.get(unit__isnull=True)
    # the owner leads the rectification but handles neither appeal: it gets a count
    html = login(client, "cgj").get(url(problem)).content.decode()
    assert handled_by_zjj.number not in html and waiting.number not in html
    assert "李*" not in html and "王*" not in html and "另有 2 件其他单位诉求" in html
    assert "更换灯具" in html and 'id="action-milestone"' in html
    assert 'id="action-resolve"' in html and 'id="action-confirm"' not in html
    assert 'id="action-link"' not in html
    client.logout()
    html = login(client, "zjj").get(url(problem)).content.decode()
    assert "李四" in html and "王" not in html  # zjj handles 李四's appeal only
    assert "另有 1 件其他单位诉求" in html and 'id="action-' not in html
    client.logout()
    # the community sees both (both are in its area), personal data masked
    html = login(client, "linshanzhai-01").get(url(problem)).content.decode()
    assert "李*" in html and "王*" in html and "138****1234" in html
    assert "李四" not in html and "13812341234" not in html and "另有" not in html
    client.logout()
    html = login(client, "dispatcher").get(url(problem)).content.decode()
    assert "李四" in html and "王五" in html and 'id="action-link"' in html
    assert "另有" not in html


def test_sibling_unit_gets_404_for_a_problem_it_cannot_see(client, d):
    problem = actions.create_problem(actor=d.dispatcher, title="城管局的问题", owner_unit=d.cgj)
    login(client, "zjj")
    assert client.get(url(problem)).status_code == 404
    response = client.post(url(problem, "milestone"), {"title": "越权", "progress": 10})
    assert response.status_code == 404
    assert not problem.milestones.exists()
    assert client.get(reverse("web:problem", args=["WT19990101-01"])).status_code == 404


def test_leader_reads_without_forms_and_cannot_post(client, d):
    problem = owned(d)
    login(client, "leader")
    html = client.get(url(problem)).content.decode()
    # the leader 包联s the owner unit (城管局): 督办 is the one form offered
    assert problem.title in html and html.count('id="action-') == 1
    assert 'id="action-supervise"' in html
    response = client.post(url(problem, "resolve"), {"reply": "领导答复"})
    assert response.status_code == 403
    assert fresh(problem).status == ProblemStatus.OPEN
    assert client.get(reverse("web:problem-new")).status_code == 403


def test_heat_components_are_explained(client, d):
    problem = candidate(d)
    html = login(client, "dispatcher").get(url(problem)).content.decode()
    assert "热度构成" in html and "27.5" in html
    assert "时间集中度" in html and "0.75" in html and "涉及群众" in html and "诉求件数" in html
    assert "热度 = 10 ×" in html
    assert "mystery" in html  # an unknown part is shown by its name
    assert "候选诉求0" in html and 'id="action-confirm"' in html and 'id="action-reject"' in html


def test_unknown_action_is_404(client, d):
    problem = owned(d)
    assert login(client, "dispatcher").post(url(problem, "explode")).status_code == 404


# ---------- forms ----------

def test_create_by_hand_with_hostile_text(client, d):
    login(client, "dispatcher")
    response = client.post(reverse("web:problem-new"), {
        "title": RAW, "description": HOSTILE[1], "owner_unit": "cgj", "category": "010101",
        "places": "百花路、" + RAW, "plan": RAW, "regions": [d.community.code]})
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == url(problem)
    assert problem.title == RAW and problem.owner_unit == d.cgj
    assert problem.places == ["百花路", RAW] and list(problem.regions.all()) == [d.community]
    html = client.get(url(problem)).content.decode()
    assert RAW not in html and ESCAPED in html


def test_create_errors_come_back_on_the_form(client, d):
    login(client, "dispatcher")
    response = client.post(reverse("web:problem-new"), {"title": "  ", "plan": "x"})
    assert response.status_code == 422 and "必填项" in response.content.decode()
    response = client.post(reverse("web:problem-new"), {"title": "好", "places": "地" * 101})
    assert response.status_code == 422 and "不能超过100个字符" in response.content.decode()
    assert not Problem.objects.exists()
    client.logout()
    login(client, "cgj")
    assert client.post(reverse("web:problem-new"), {"title": "越权"}).status_code == 403
    assert not Problem.objects.exists()


def test_confirm_with_edits_links_the_ticked_appeals(client, d):
    problem = candidate(d)
    members = list(problem.candidate_appeals.order_by("collected_at", "id"))
    login(client, "dispatcher")
    response = client.post(url(problem, "confirm"), {
        "title": RAW, "owner_unit": "zjj", "plan": "统一整改", "description": "",
        "category": "", "places": "百花路",
        "appeals": [members[0].number, members[1].number]})
    assert response.status_code == 302
    problem = fresh(problem)
    assert problem.status == ProblemStatus.OPEN and problem.title == RAW
    assert problem.owner_unit == d.zjj
    assert [fresh(a).state for a in members] == [State.MERGED, State.MERGED, State.SUBMITTED]
    html = client.get(url(problem)).content.decode()
    assert "已确认为共性问题" in html and ESCAPED in html and RAW not in html
    assert "未并入的候选诉求" in html


def test_reject_needs_a_reason(client, d):
    problem = candidate(d)
    login(client, "dispatcher")
    response = client.post(url(problem, "reject"), {"reason": " "})
    assert response.status_code == 422 and "必填项" in response.content.decode()
    response = client.post(url(problem, "reject"), {"reason": RAW})
    assert response.status_code == 302 and fresh(problem).status == ProblemStatus.REJECTED
    listed = client.get(reverse("web:problems"), {"status": "rejected"}).content.decode()
    assert problem.code in listed
    assert RAW not in client.get(url(problem)).content.decode()


def test_units_cannot_confirm(client, d):
    problem = candidate(d)
    login(client, "cgj")
    response = client.post(url(problem, "confirm"), {"title": "单位确认"})
    assert response.status_code in (403, 404)
    assert fresh(problem).status == ProblemStatus.CANDIDATE


def test_milestones_and_progress_by_the_owner_unit(client, d):
    problem = owned(d)
    login(client, "cgj")
    response = client.post(url(problem, "milestone"),
                           {"title": "排查线路", "progress": 40, "note": RAW, "due_date": ""})
    assert response.status_code == 302
    milestone = problem.milestones.get()
    response = client.post(url(problem, "progress"),
                           {"milestone": milestone.pk, "progress": 101})
    assert response.status_code == 422 and fresh(milestone).progress == 40
    response = client.post(url(problem, "progress"),
                           {"milestone": milestone.pk, "progress": 100, "note": "完成"})
    assert response.status_code == 302
    milestone = fresh(milestone)
    assert milestone.progress == 100 and milestone.done_at is not None
    html = client.get(url(problem)).content.decode()
    assert 'value="100" max="100"' in html and "已完成" in html and RAW not in html
    actions.add_milestone(problem, actor=d.cgj_staff, title="更换灯具")
    html = client.get(url(problem)).content.decode()
    assert '整改进度 <span class="count" title="各整改节点进度的平均值">50%</span>' in html
    client.logout()
    login(client, "zjj")  # sees the problem through its appeal, but does not lead it
    response = client.post(url(problem, "milestone"), {"title": "越权", "progress": 10})
    assert response.status_code == 403 and problem.milestones.count() == 2


def test_resolve_answers_every_resident_on_the_tracking_page(client, d):
    problem = actions.create_problem(actor=d.dispatcher, title="路灯", owner_unit=d.cgj)
    pairs = [with_code(d) for _ in range(2)]
    for appeal, _code in pairs:
        actions.link_appeal(appeal, problem, actor=d.dispatcher)
    login(client, "cgj")
    response = client.post(url(problem, "resolve"), {"reply": "已统一更换路灯。" + RAW})
    assert response.status_code == 302 and fresh(problem).status == ProblemStatus.RESOLVED
    html = client.get(url(problem)).content.decode()
    assert "统一答复" in html and ESCAPED in html and RAW not in html
    client.logout()
    for appeal, code in pairs:
        tracked = client.post(reverse("web:track"), {"number": appeal.number, "code": code})
        page = tracked.content.decode()
        assert "已统一更换路灯。" in page and "已与同类诉求合并办理" in page
        assert 'action="/h5/track/rate/"' in page and problem.code not in page
    first, first_code = pairs[0]
    client.post(reverse("web:rate"), {"number": first.number, "code": first_code,
                                      "solved": "unsolved",
"rating": "unsatisfied", "comment": "没修好"})
    assert fresh(first).state == State.IN_PROGRESS and fresh(pairs[1][0]).state == State.RESOLVED


def test_link_by_number_on_the_problem_page(client, d):
    problem = owned(d)
    appeal = in_progress(d)
    login(client, "dispatcher")
    response = client.post(url(problem, "link"), {"number": "ZY19990101-0001"})
    assert response.status_code == 422 and "未找到编号为ZY19990101-0001的诉求" in \
        response.content.decode()
    closed = actions.resolve(in_progress(d), actor=d.cgj_staff, reply="已修复")
    response = client.post(url(problem, "link"), {"number": closed.number})
    assert response.status_code == 409 and "不能并入共性问题" in response.content.decode()
    response = client.post(url(problem, "link"), {"number": appeal.number})
    assert response.status_code == 302
    assert fresh(appeal).state == State.MERGED and fresh(appeal).problem == problem


# ---------- the case page ----------

def test_case_page_offers_the_dispatcher_to_merge_into_a_problem(client, d):
    problem = owned(d)
    appeal = dispatched(d)
    login(client, "dispatcher")
    html = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert "并入共性问题" in html and f'value="{problem.code}"' in html
    target = reverse("web:case-problem", args=[appeal.number])
    response = client.post(target, {"problem": problem.code, "note": "同一路段"})
    assert response.status_code == 302
    assert fresh(appeal).problem == problem and fresh(appeal).state == State.MERGED
    event = AppealEvent.objects.get(appeal=appeal, action=Action.LINK_PROBLEM)
    assert event.note == f"并入共性问题{problem.code}：同一路段"
    html = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert f'href="{url(problem)}"' in html and 'id="action-link-problem"' not in html


def test_case_page_link_by_code_and_its_errors(client, d):
    problem = owned(d)
    appeal = submitted(d)
    target = reverse("web:case-problem", args=[appeal.number])
    login(client, "dispatcher")
    response = client.post(target, {})
    assert response.status_code == 422 and "请选择或输入共性问题编号" in response.content.decode()
    response = client.post(target, {"code": "WT19990101-09"})
    html = response.content.decode()
    assert response.status_code == 422 and "未找到编号为WT19990101-09的共性问题" in html
    assert 'id="action-link-problem" open' in html
    response = client.post(target, {"code": f" {problem.code} "})
    assert response.status_code == 302 and fresh(appeal).problem == problem


def test_units_get_no_merge_form_and_cannot_post_it(client, d):
    problem = owned(d)
    appeal = dispatched(d)
    login(client, "cgj")
    html = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert "并入共性问题" not in html
    response = client.post(reverse("web:case-problem", args=[appeal.number]),
                           {"problem": problem.code})
    assert response.status_code == 403 and fresh(appeal).state == State.DISPATCHED
    client.logout()
    login(client, "zjj")  # cannot even see this appeal
    response = client.post(reverse("web:case-problem", args=[appeal.number]),
                           {"problem": problem.code})
    assert response.status_code == 404


@pytest.mark.parametrize("text", HOSTILE[:4])
def test_hostile_titles_are_escaped_everywhere(client, d, text):
    problem = actions.create_problem(actor=d.dispatcher, title=text, plan=text,
                                     owner_unit=d.cgj, places=[text[:100]])
    actions.add_milestone(problem, actor=d.cgj_staff, title=text[:200], note=text)
    appeal = dispatched(d)
    actions.link_appeal(appeal, problem, actor=d.dispatcher, note=text)
    login(client, "dispatcher")
    pages = [client.get(reverse("web:problems"), {"status": "open"}), client.get(url(problem)),
             client.get(reverse("web:case", args=[appeal.number]))]
    for page in pages:
        assert page.status_code == 200
        assert RAW not in page.content.decode()


# ---------- the heat formula shown is the one computed ----------

HEAT_VALUES = {
    "ln(1+涉及群众)": lambda c: math.log1p(c["residents"]),
    "ln(1+诉求件数)": lambda c: math.log1p(c["appeals"]),
    "ln(1+点赞−反对)": lambda c: math.log1p(max(0, c["likes"] - c["dislikes"])),
    "max(时间集中度,持续度)": lambda c: max(c["concentration"], c["persistence"]),
    "增长趋势": lambda c: c["growth"],
}


def shown_formula(client, problem) -> str:
    html = client.get(url(problem)).content.decode()
    return re.search(r"热度 = [^<]*", html)[0].strip()


def heat_by_text(formula: str, components: dict) -> float:
    """The heat a reader of the page would compute from the formula it shows."""
    scale, body = re.fullmatch(r"热度 = ([\d.]+) ×\((.*)\)", formula).groups()
    total = 0.0
    for term in body.split(" + "):
        weight, _, label = term.rpartition("×")
        total += float(weight or 1) * HEAT_VALUES[label](components)
    return float(scale) * total


def computed_heat() -> dict:
    at = dt.datetime(2024, 3, 1)  # noqa: DTZ001
    messages = [Message(id=str(i), user=f"u{i % 2}", title="t", content="c", at=at,
                        likes=40 * i) for i in range(3)]
    return heat_components(messages, np.array([0.0, 1.0, 2.0]), 2.0, 30.0)


def test_the_heat_formula_shown_is_the_one_computed(client, d):
    login(client, "dispatcher")
    formula, components = shown_formula(client, candidate(d)), computed_heat()
    assert (components["concentration"], components["growth"]) == (1.0, 1.0)  # exact parts
    assert heat_by_text(formula, components) == pytest.approx(components["heat"], abs=0.01)


def test_changing_a_weight_changes_the_page(client, d, monkeypatch):
    login(client, "dispatcher")
    problem = candidate(d)
    before, heat_before = shown_formula(client, problem), computed_heat()["heat"]
    monkeypatch.setattr(triage_problems, "HEAT_WEIGHTS",
                        replace(triage_problems.HEAT_WEIGHTS, likes=0.7, scale=12))
    after, components = shown_formula(client, problem), computed_heat()
    assert "0.7×ln(1+点赞−反对)" in after and after.startswith("热度 = 12 ×") and after != before
    assert components["heat"] != heat_before
    assert heat_by_text(after, components) == pytest.approx(components["heat"], abs=0.01)
