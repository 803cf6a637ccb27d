"""The dispatcher's workbench for a full day: the queue paged, filtered, sorted and searched
(phone only for those who see personal data), 批量派单, the grouped unit picker, and 改派
on the case page once an appeal has a unit."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import Action, Channel, State
from banshi.appeals.models import Appeal, AppealEvent
from banshi.org.models import ApiToken
from banshi.web.views.workbench import PAGE_SIZE

from .factories import (
    HOSTILE,
    add_other_street,
    dispatched,
    in_progress,
    login,
    submitted,
)

HOME = "/staff/"
BULK = "/staff/bulk-dispatch/"
PHONE = "13912345678"



def queue_numbers(response) -> list[str]:
    """The numbers ticked-able on the workbench page, in order."""
    assert response.status_code == 200, response.status_code
    return re.findall(r'name="numbers" value="([^"]+)"', response.content.decode())


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=timezone.get_current_timezone())


def dispatch_events(appeal) -> list[AppealEvent]:
    return list(AppealEvent.objects.filter(appeal=appeal, action=Action.DISPATCH))


# ---------- paging, filters, sort ----------

def test_the_queue_is_paged_and_page_two_shows_the_rest(client, d):
    appeals = [submitted(d, title=f"第{i}件", collected_at=at(1 + i % 20, i % 12))
               for i in range(PAGE_SIZE + 5)]
    dispatched(d)  # not waiting: never in the queue
    login(client, "dispatcher")
    first = queue_numbers(client.get(HOME))
    second = queue_numbers(client.get(HOME, {"page": 2}))
    assert len(first) == PAGE_SIZE and len(second) == 5
    assert set(first) | set(second) == {a.number for a in appeals}
    html = client.get(HOME).content.decode()
    assert "第 1 / 2 页" in html and 'href="?page=2"' in html
    assert f'<span class="count">{PAGE_SIZE + 5}</span>' in html
    # oldest first: the page ends where page 2 begins
    received = {a.number: a.collected_at for a in appeals}
    assert max(received[n] for n in first) <= min(received[n] for n in second)


def test_filters_narrow_the_queue(client, d):
    other = add_other_street(d)
    hotline = submitted(d, title="热线来电", channel=Channel.HOTLINE, collected_at=at(3))
    far = submitted(d, title="西里社区的诉求", region=other.community, collected_at=at(5))
    early = submitted(d, title="早些时候", collected_at=at(1))
    returned = actions.return_(dispatched(d), actor=d.cgj_staff, reason="非本单位职责")
    Appeal.objects.filter(pk=returned.pk).update(is_overdue=True)
    late = dispatched(d, title="已派出的")
    login(client, "dispatcher")

    def only(params) -> set[str]:
        return set(queue_numbers(client.get(HOME, params)))

    everything = only({})
    assert {hotline.number, far.number, early.number, returned.number} <= everything
    assert late.number not in everything  # the queue: pending appeals only
    assert only({"channel": "hotline"}) == {hotline.number}
    assert only({"street": other.street.code}) == {far.number}
    assert only({"overdue": "true"}) == {returned.number}
    assert only({"date_from": "2026-11-02", "date_to": "2026-11-04"}) == {hotline.number}
    assert only({"state": "dispatched"}) == {late.number}
    assert only({"state": "returned"}) == {returned.number}
    assert client.get(HOME, {"date_from": "not-a-date"}).status_code == 400


def test_sort_by_received_time_and_by_deadline(client, d):
    old = submitted(d, title="旧", collected_at=at(1))
    new = submitted(d, title="新", collected_at=at(9))
    login(client, "dispatcher")
    assert queue_numbers(client.get(HOME)) == [old.number, new.number]
    assert queue_numbers(client.get(HOME, {"sort": "-received"})) == [new.number, old.number]
    slow = dispatched(d, title="普通", collected_at=at(2))
    fast = actions.dispatch(submitted(d, title="紧急", collected_at=at(8)), actor=d.dispatcher,
                            unit=d.cgj, urgency="urgent")
    dispatched_only = {"state": "dispatched"}
    assert queue_numbers(client.get(HOME, dispatched_only)) == [slow.number, fast.number]
    assert queue_numbers(client.get(HOME, dispatched_only | {"sort": "deadline"})) == [
        fast.number, slow.number]
    assert client.get(HOME, {"sort": "nonsense"}).status_code == 400


# ---------- search: number, words, phone ----------

def test_search_by_number_and_words(client, d):
    lamp = submitted(d, title="百花路路灯不亮", content="晚上一片漆黑")
    noise = submitted(d, title="广场舞噪音", content="每晚十点后仍有音响")
    login(client, "dispatcher")
    assert queue_numbers(client.get(HOME, {"q": lamp.number})) == [lamp.number]
    assert queue_numbers(client.get(HOME, {"q": lamp.number.lower()})) == [lamp.number]
    assert queue_numbers(client.get(HOME, {"q": "路灯"})) == [lamp.number]
    assert queue_numbers(client.get(HOME, {"q": "音响"})) == [noise.number]


def test_the_dispatcher_finds_a_caller_by_phone(client, d):
    mine = submitted(d, contact_phone=PHONE)
    submitted(d, contact_phone="13800000000")
    login(client, "dispatcher")
    for typed in (PHONE, "139 1234 5678", "+86 139-1234-5678", "91234567"):
        assert queue_numbers(client.get(HOME, {"q": typed})) == [mine.number], typed
    assert queue_numbers(client.get(HOME, {"q": "5678"})) == []  # too short to mean a phone
    ledger = client.get(reverse("web:ledger"), {"q": PHONE}).content.decode()
    assert mine.number in ledger


def test_a_phone_search_never_matches_by_phone_for_other_roles(client, d):
    """The leader sees every appeal but no phone; the 城管局 sees its own case's phone on the
    case page, yet a search of its list must not tell whose phone is whose either."""
    own = dispatched(d, contact_phone=PHONE)  # the 城管局's own case
    submitted(d, contact_phone=PHONE, title="另一件")
    for username in ("leader", "cgj"):
        login(client, username)
        for url in (reverse("web:ledger"), reverse("web:export")):
            response = client.get(url, {"q": PHONE})
            assert response.status_code == 200
        ledger = client.get(reverse("web:ledger"), {"q": PHONE}).content.decode()
        assert own.number not in ledger and "没有符合条件的诉求" in ledger, username
        assert "编号、标题或内容" in ledger and "或电话" not in ledger
        client.logout()
    # without the search the 城管局 lists its case (so the search is what hid it)
    login(client, "cgj")
    assert own.number in client.get(reverse("web:ledger")).content.decode()


def test_the_api_search_matches_phones_for_the_dispatcher_only(client, d):
    mine = dispatched(d, contact_phone=PHONE)
    found = {}
    for user in (d.dispatcher, d.leader, d.cgj_staff):
        token = ApiToken.objects.issue(user)
        response = client.get("/api/v1/appeals", {"q": PHONE},
                              headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        found[user.username] = [row["number"] for row in response.json()["results"]]
    assert found == {"dispatcher": [mine.number], "leader": [], "cgj": []}


# ---------- 批量派单 ----------

def test_bulk_dispatch_makes_one_event_per_appeal(client, d):
    appeals = [submitted(d, title=f"批量{i}") for i in range(3)]
    login(client, "dispatcher")
    response = client.post(BULK, {"numbers": [a.number for a in appeals], "unit": "zjj",
                                  "note": HOSTILE[0], "back": "page=1&q=批量"}, follow=True)
    assert response.redirect_chain[0][0] == HOME + "?page=1&q=%E6%89%B9%E9%87%8F"
    html = response.content.decode()
    assert "已派单3件至区住房和城乡建设局" in html and "<script>alert" not in html
    for appeal in appeals:
        appeal.refresh_from_db()
        assert appeal.state == State.DISPATCHED and appeal.unit == d.zjj
        events = dispatch_events(appeal)
        assert len(events) == 1 and events[0].actor == d.dispatcher
        assert HOSTILE[0] in events[0].note


def test_bulk_dispatch_names_each_refusal_and_does_the_rest(client, d):
    good = [submitted(d, title="可派1"), submitted(d, title="可派2")]
    busy = in_progress(d, title="办理中的")
    login(client, "dispatcher")
    numbers = [good[0].number, busy.number, "ZY20990101-9999", good[1].number]
    html = client.post(BULK, {"numbers": numbers, "unit": "cgj", "note": ""},
                       follow=True).content.decode()
    assert "已派单2件至区城市管理局" in html
    assert f"{busy.number} 未派单：诉求{busy.number}当前状态为“办理中”，不能派单" in html
    assert "ZY20990101-9999 未派单：未找到该诉求" in html
    for appeal in good:
        appeal.refresh_from_db()
        assert appeal.state == State.DISPATCHED and len(dispatch_events(appeal)) == 1
    busy.refresh_from_db()
    assert busy.state == State.IN_PROGRESS and len(dispatch_events(busy)) == 1  # its first


def test_bulk_dispatch_without_a_unit_keeps_the_selection(client, d):
    appeals = [submitted(d) for _ in range(2)]
    login(client, "dispatcher")
    response = client.post(BULK, {"numbers": [appeals[0].number], "unit": "", "note": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "请选择承办单位" in html
    assert f'value="{appeals[0].number}" aria-label="选择 {appeals[0].number}" checked' in html
    assert f'value="{appeals[1].number}" aria-label="选择 {appeals[1].number}">' in html
    assert client.post(BULK, {"unit": "cgj"}).status_code == 422  # nothing ticked
    assert not AppealEvent.objects.filter(action=Action.DISPATCH).exists()


@pytest.mark.parametrize("username", ["leader", "cgj"])
def test_bulk_dispatch_is_the_dispatchers(client, d, username):
    appeal = submitted(d)
    login(client, username)
    response = client.post(BULK, {"numbers": [appeal.number], "unit": "cgj"})
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.state == State.SUBMITTED and not dispatch_events(appeal)


# ---------- the unit picker, 改派, the folded suggestions ----------

def option_groups(html: str, select_id: str) -> dict[str, list[str]]:
    select = re.search(rf'<select name="[^"]+"[^>]*id="{select_id}".*?</select>', html, re.S)
    assert select, select_id
    return {label: re.findall(r'<option value="([^"]+)"', body) for label, body in
            re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select.group(0), re.S)}


def test_the_unit_picker_is_grouped_and_searchable_on_both_forms(client, d):
    other = add_other_street(d)
    appeal = submitted(d)
    login(client, "dispatcher")
    expected = {
        "区级": ["district"], "街道": ["linshanzhai", "zhongyuanxilu"], "部门": ["cgj", "zjj"],
        "林山寨街道办事处 · 社区": ["linshanzhai-01", "linshanzhai-02"],
        "中原西路街道办事处 · 社区": [other.community_unit.code],
    }
    case = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    home = client.get(HOME).content.decode()
    for html, select_id in ((case, "id_dispatch_unit"), (home, "id_bulk_unit")):
        assert option_groups(html, select_id) == expected
        assert f'data-unit-filter="{select_id}"' in html
        assert '<script src="/static/web/staff.js" defer></script>' in html
    assert "<script>" not in home and "<script>" not in case  # no inline script (CSP)


def test_after_dispatch_the_case_page_offers_redispatch_and_folds_suggestions(client, d):
    appeal = submitted(d)
    suggestion = {"model": "t1", "categories": [{"name": "城乡建设", "code": "01", "p": 0.6}],
                  "units": [{"code": "cgj", "name": "区城市管理局", "reason": "职责"}]}
    Appeal.objects.filter(pk=appeal.pk).update(suggestion=suggestion)
    url = reverse("web:case", args=[appeal.number])
    login(client, "dispatcher")
    before = client.get(url).content.decode()
    assert "<summary>派单</summary>" in before and "<summary>改派</summary>" not in before
    assert '<details class="panel triage fold" id="suggestion" open>' in before
    response = client.post(reverse("web:act", args=[appeal.number, "dispatch"]),
                           {"unit": "cgj", "urgency": "normal"}, follow=True)
    after = response.content.decode()
    assert "<summary>改派</summary>" in after and "<summary>派单</summary>" not in after
    assert '<details class="panel triage fold" id="suggestion">' in after
    response = client.post(reverse("web:act", args=[appeal.number, "dispatch"]),
                           {"unit": "zjj", "urgency": "normal"}, follow=True)
    assert "已改派" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.unit == d.zjj and len(dispatch_events(appeal)) == 2


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_the_search_and_the_bulk_note(client, d, text):
    appeal = submitted(d)
    login(client, "dispatcher")
    page = client.get(HOME, {"q": text})
    assert page.status_code == 200 and "<script>alert" not in page.content.decode()
    response = client.post(BULK, {"numbers": [appeal.number, text[:40]], "unit": "cgj",
                                  "note": text, "back": text})
    assert response.status_code in (302, 422)
    assert "<script>alert" not in response.content.decode()
    appeal.refresh_from_db()
    if response.status_code == 302:
        assert text.strip() in dispatch_events(appeal)[0].note
    else:  # too long a note: nothing dispatched
        assert appeal.state == State.SUBMITTED
