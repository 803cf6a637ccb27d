"""The staff pages through the full request stack: login, the case page's actions, access,
masking, the ledger and its export, the import page."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from banshi.appeals import actions
from banshi.appeals.choices import Channel, State
from banshi.appeals.ledger.export import HEADERS
from banshi.appeals.models import Appeal, Supervision

from .factories import PASSWORD, dispatched, in_progress, login, resolved, submitted, today


def case_url(appeal) -> str:
    return reverse("web:case", args=[appeal.number])


def act_url(appeal, action: str) -> str:
    return reverse("web:act", args=[appeal.number, action])


def with_photo(d) -> Appeal:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "PNG")
    return submitted(d, photos=[("p.png", buffer.getvalue())])


# ---------- login and the role gate ----------

def test_login_page_logs_in_and_lands_on_the_workbench(client, d):
    page = client.get(reverse("web:login"))
    assert page.status_code == 200 and "工作人员登录" in page.content.decode()
    response = client.post(reverse("web:login"),
                           {"username": "dispatcher", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:home")
    html = response.content.decode()
    assert "待派单" in html and "区派单员" in html


def test_wrong_password_is_refused(client, d):
    response = client.post(reverse("web:login"), {"username": "dispatcher", "password": "x"})
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_pages_require_login(client, d):
    response = client.get(reverse("web:ledger"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_account_without_role_sees_a_message(client, d):
    get_user_model().objects.create_user("nobody", password=PASSWORD)
    login(client, "nobody")
    for url in (reverse("web:home"), reverse("web:ledger"), case_url(submitted(d))):
        response = client.get(url)
        assert response.status_code == 403
        assert "账号未分配角色" in response.content.decode()


def test_logout_is_a_post(client, d):
    login(client, "dispatcher")
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_menu_follows_the_role(client, d):
    html = login(client, "dispatcher").get(reverse("web:home")).content.decode()
    assert "批量导入" in html and "录入诉求" in html and "管理后台" not in html
    client.logout()
    html = login(client, "cgj").get(reverse("web:home")).content.decode()
    assert "批量导入" not in html and "录入诉求" in html
    client.logout()
    html = login(client, "leader").get(reverse("web:home")).content.decode()
    assert "录入诉求" not in html and "督办事项" in html
    client.logout()
    html = login(client, "admin").get(reverse("web:home")).content.decode()
    assert "管理后台" in html


# ---------- workbenches ----------

def test_dispatcher_queue_oldest_first_with_returns_flagged(client, d):
    first = submitted(d, title="先到的诉求")
    second = in_progress(d, title="被退回的诉求")
    actions.return_(second, actor=d.cgj_staff, reason="不属于本局职责")
    dispatched(d, title="已派出的诉求")
    html = login(client, "dispatcher").get(reverse("web:home")).content.decode()
    queue = html[html.index("待派单"):]
    assert queue.index(first.number) < queue.index(second.number)
    assert "不属于本局职责" in html
    assert "已派出的诉求" not in queue.split("</table>")[0]


def test_unit_workbench_lists_its_todo(client, d):
    waiting = dispatched(d, title="待接的诉求")
    working = in_progress(d, title="在办的诉求")
    actions.supervise(working, actor=d.leader, instruction="请加快办理", due_date=today())
    actions.request_extension(working, actor=d.cgj_staff, days=3, reason="需要协调")
    dispatched(d, unit=d.zjj, title="住建局的诉求")
    html = login(client, "cgj").get(reverse("web:home")).content.decode()
    assert waiting.number in html and working.number in html
    assert "请加快办理" in html and "申请延期3个工作日" in html
    assert "住建局的诉求" not in html


# ---------- the case page's actions ----------

def test_dispatcher_dispatches_through_the_case_form(client, d):
    appeal = submitted(d)
    login(client, "dispatcher")
    html = client.get(case_url(appeal)).content.decode()
    assert f'action="{act_url(appeal, "dispatch")}"' in html
    assert '<optgroup label="部门">' in html and "城乡建设/市政管理/路灯" in html
    response = client.post(act_url(appeal, "dispatch"), {
        "unit": "cgj", "category": d.cat_city_3.code, "aspect": d.aspect.code,
        "urgency": "urgent", "note": "请尽快"}, follow=True)
    assert response.redirect_chain[-1][0] == case_url(appeal)
    assert "已派单" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED and appeal.unit == d.cgj
    assert appeal.category == d.cat_city_3 and appeal.urgency == "urgent"


def test_dispatch_without_unit_shows_the_field_error(client, d):
    appeal = submitted(d)
    response = login(client, "dispatcher").post(act_url(appeal, "dispatch"),
                                                 {"urgency": "normal"})
    assert response.status_code == 422
    assert "派单未完成" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == State.SUBMITTED


def test_unit_accepts_and_resolves(client, d):
    appeal = dispatched(d)
    login(client, "cgj")
    html = client.get(case_url(appeal)).content.decode()
    assert f'action="{act_url(appeal, "accept")}"' in html
    assert f'action="{act_url(appeal, "dispatch")}"' not in html
    client.post(act_url(appeal, "accept"), {})
    appeal.refresh_from_db()
    assert appeal.state == State.IN_PROGRESS
    response = client.post(act_url(appeal, "resolve"), {"reply": "已更换灯泡。"}, follow=True)
    assert "已答复" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == State.RESOLVED and appeal.reply == "已更换灯泡。"


def test_refused_transition_shows_the_actions_message(client, d):
    appeal = in_progress(d)
    response = login(client, "cgj").post(act_url(appeal, "accept"), {})
    assert response.status_code == 409
    html = response.content.decode()
    assert f"诉求{appeal.number}当前状态为“办理中”，不能接单" in html


def test_action_by_someone_not_allowed_is_refused(client, d):
    appeal = submitted(d)
    response = login(client, "leader").post(act_url(appeal, "dispatch"), {
        "unit": "cgj", "urgency": "normal"})
    assert response.status_code == 403
    assert "只有区派单员可以执行该操作" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == State.SUBMITTED


def test_unknown_action_is_404(client, d):
    appeal = submitted(d)
    assert login(client, "dispatcher").post(act_url(appeal, "explode"), {}).status_code == 404


def test_return_takes_the_case_away_from_the_unit(client, d):
    appeal = dispatched(d)
    response = login(client, "cgj").post(act_url(appeal, "return"),
                                         {"reason": "应由住建局办理"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:home")
    appeal.refresh_from_db()
    assert appeal.state == State.RETURNED


def test_extension_request_and_decision(client, d):
    appeal = in_progress(d)
    due = appeal.handling_due_at
    login(client, "cgj").post(act_url(appeal, "extend"), {"days": "5", "reason": "材料待补"})
    client.logout()
    login(client, "dispatcher")
    html = client.get(case_url(appeal)).content.decode()
    assert "材料待补" in html and f'action="{act_url(appeal, "decide-extension")}"' in html
    client.post(act_url(appeal, "decide-extension"), {"decision": "approve"})
    appeal.refresh_from_db()
    assert appeal.handling_due_at > due


def test_supervision_and_its_answer(client, d):
    appeal = in_progress(d)
    due = (today() + dt.timedelta(days=2)).isoformat()
    login(client, "leader").post(act_url(appeal, "supervise"),
                                 {"instruction": "本周内办结", "due_date": due})
    client.logout()
    login(client, "cgj").post(act_url(appeal, "answer-supervision"), {"answer": "已安排"})
    order = Supervision.objects.get(appeal=appeal)
    assert order.answer == "已安排" and order.answered_at is not None


def test_dispatcher_records_feedback_and_reopens(client, d):
    appeal = resolved(d)
    login(client, "dispatcher")
    client.post(act_url(appeal, "feedback"), {"solved": "solved", "rating": "basically_satisfied"})
    appeal.refresh_from_db()
    assert appeal.state == State.CLOSED
    client.post(act_url(appeal, "reopen"), {"note": "回访发现未修好"})
    appeal.refresh_from_db()
    assert appeal.state == State.IN_PROGRESS and appeal.reopen_count == 1


def test_invalidate_and_merge(client, d):
    spam, duplicate, original = submitted(d), submitted(d), submitted(d)
    login(client, "dispatcher")
    client.post(act_url(spam, "invalidate"), {"reason": "广告"})
    client.post(act_url(duplicate, "merge"), {"into": original.number})
    missing = client.post(act_url(original, "merge"), {"into": "ZY19990101-0001"})
    assert missing.status_code == 422 and "未找到编号为ZY19990101-0001的诉求" in \
        missing.content.decode()
    spam.refresh_from_db()
    duplicate.refresh_from_db()
    assert spam.state == State.INVALID
    assert duplicate.state == State.MERGED and duplicate.merged_into == original


def test_escalate_moves_to_the_parent_unit(client, d):
    appeal = in_progress(d)
    login(client, "cgj").post(act_url(appeal, "escalate"), {"note": "需区级协调"})
    appeal.refresh_from_db()
    assert appeal.unit == d.district_unit and appeal.state == State.DISPATCHED


def test_case_page_shows_the_timeline(client, d):
    appeal = resolved(d)
    html = login(client, "dispatcher").get(case_url(appeal)).content.decode()
    for label in ("提交诉求", "派单", "接单", "办理答复", "已修复路灯。", "城乡建设", "路灯"):
        assert label in html
    assert "区城市管理局 cgj" in html  # actor label


# ---------- access and masking ----------

def test_sibling_unit_gets_404_on_case_and_photo(client, d):
    appeal = with_photo(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    photo = appeal.attachments.get()
    photo_url = reverse("web:photo", args=[appeal.number, photo.pk])
    login(client, "cgj")
    assert client.get(case_url(appeal)).status_code == 200
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert photo_url in client.get(case_url(appeal)).content.decode()
    client.logout()
    login(client, "zjj")
    assert client.get(case_url(appeal)).status_code == 404
    assert client.get(photo_url).status_code == 404
    assert client.post(act_url(appeal, "accept"), {}).status_code == 404
    client.logout()
    assert client.get(photo_url).status_code == 302  # anonymous: to the login page


def test_photo_of_another_appeal_is_404(client, d):
    mine = actions.dispatch(with_photo(d), actor=d.dispatcher, unit=d.cgj)
    other = dispatched(d)
    url = reverse("web:photo", args=[other.number, mine.attachments.get().pk])
    assert login(client, "cgj").get(url).status_code == 404


def test_contact_is_masked_for_the_leader_and_full_for_the_handling_unit(client, d):
    appeal = dispatched(d)
    html = login(client, "leader").get(case_url(appeal)).content.decode()
    assert "张*" in html and "138****1234" in html
    assert "13812341234" not in html and "张三" not in html
    client.logout()
    html = login(client, "cgj").get(case_url(appeal)).content.decode()
    assert "张三" in html and "13812341234" in html


# ---------- ledger, export, supervision board ----------

def test_ledger_lists_filters_and_scopes(client, d):
    lamp = dispatched(d, title="路灯不亮")
    noise = submitted(d, title="夜间施工噪音", content="工地夜里施工。")
    mine_only = dispatched(d, unit=d.zjj, title="住建局的诉求")
    login(client, "dispatcher")
    html = client.get(reverse("web:ledger")).content.decode()
    for appeal in (lamp, noise, mine_only):
        assert appeal.number in html
    html = client.get(reverse("web:ledger"), {"q": "噪音"}).content.decode()
    assert noise.number in html and lamp.number not in html
    html = client.get(reverse("web:ledger"), {"state": "dispatched", "unit": "cgj"}).content\
        .decode()
    assert lamp.number in html and noise.number not in html and mine_only.number not in html
    client.logout()
    html = login(client, "cgj").get(reverse("web:ledger")).content.decode()
    assert lamp.number in html and mine_only.number not in html and noise.number not in html


def test_ledger_paginates_by_fifty(client, d):
    for i in range(51):
        submitted(d, title=f"诉求{i}")
    login(client, "dispatcher")
    html = client.get(reverse("web:ledger")).content.decode()
    assert html.count('class="nowrap"><a href="/staff/appeals/') == 50
    assert "第 1 / 2 页" in html
    page2 = client.get(reverse("web:ledger"), {"page": 2}).content.decode()
    assert page2.count('class="nowrap"><a href="/staff/appeals/') == 1


def test_export_streams_the_filtered_ledger(client, d):
    lamp = dispatched(d, title="路灯不亮")
    submitted(d, title="夜间施工噪音", content="工地夜里施工。")
    login(client, "dispatcher")
    html = client.get(reverse("web:ledger"), {"q": "路灯"}).content.decode()
    assert 'href="/staff/appeals/export.xlsx?q=%E8%B7%AF%E7%81%AF"' in html
    response = client.get(reverse("web:export"), {"q": "路灯"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%E5%8F%B0%E8%B4%A6-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [row[0] for row in rows[1:]] == [lamp.number]


def test_export_respects_visibility(client, d):
    dispatched(d)
    theirs = dispatched(d, unit=d.zjj)
    response = login(client, "cgj").get(reverse("web:export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    numbers = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert len(numbers) == 1 and theirs.number not in numbers


def test_supervision_board(client, d):
    late = in_progress(d, title="超期的诉求")
    Appeal.objects.filter(pk=late.pk).update(is_overdue=True)
    other = in_progress(d, title="住建局超期")
    other = actions.dispatch(submitted(d, title="住建局超期"), actor=d.dispatcher, unit=d.zjj)
    Appeal.objects.filter(pk=other.pk).update(is_overdue=True)
    actions.supervise(late, actor=d.leader, instruction="限期办结", due_date=today())
    html = login(client, "leader").get(reverse("web:supervision")).content.decode()
    assert late.number in html and other.number in html and "限期办结" in html
    assert "区城市管理局" in html and "区住房和城乡建设局" in html
    client.logout()
    html = login(client, "zjj").get(reverse("web:supervision")).content.decode()
    assert other.number in html and late.number not in html


# ---------- offline entry and import ----------

def test_offline_entry_defaults_to_the_workers_community(client, d):
    html = login(client, "linshanzhai-01").get(reverse("web:entry")).content.decode()
    assert f'<option value="{d.community.code}" selected>' in html
    assert 'type="date"' in html


def test_offline_entry_refuses_a_future_date(client, d):
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = login(client, "linshanzhai-01").post(reverse("web:entry"), {
        "channel": Channel.OPINION_BOX, "collected_date": tomorrow,
        "region": d.community.code, "title": "t", "content": "c"})
    assert response.status_code == 422
    assert "收集日期不能晚于今天" in response.content.decode()
    assert not Appeal.objects.exists()


def test_offline_entry_redirects_to_the_case(client, d):
    response = login(client, "dispatcher").post(reverse("web:entry"), {
        "channel": Channel.HOUSEHOLD_VISIT, "collected_date": today().isoformat(),
        "region": d.community2.code, "title": "楼道灯坏了", "content": "三单元楼道灯坏了"})
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == case_url(appeal)
    assert appeal.created_by == d.dispatcher and appeal.channel == Channel.HOUSEHOLD_VISIT


def test_leader_cannot_enter_or_import(client, d):
    login(client, "leader")
    assert client.get(reverse("web:entry")).status_code == 403
    assert client.get(reverse("web:import")).status_code == 403
    client.logout()
    assert login(client, "cgj").get(reverse("web:import")).status_code == 403


def _csv(rows: list[list[str]]) -> SimpleUploadedFile:
    text = "\n".join(",".join(row) for row in rows) + "\n"
    return SimpleUploadedFile("ledger.csv", text.encode("utf-8"), content_type="text/csv")


@pytest.mark.parametrize("all_or_nothing", [True, False])
def test_import_page_reports_bad_rows(client, d, all_or_nothing):
    upload = _csv([
        ["标题", "内容", "所在社区", "收到时间"],
        ["路灯不亮", "百花路路灯不亮", "百花社区", "2024-05-01 09:00"],
        ["坏日期", "时间写错的一行", "百花社区", "明天下午"],
        ["未知社区", "社区写错的一行", "火星社区", "2024-05-01 09:00"],
    ])
    data = {"file": upload} | ({"all_or_nothing": "on"} if all_or_nothing else {})
    response = login(client, "dispatcher").post(reverse("web:import"), data)
    assert response.status_code == 200
    html = response.content.decode()
    table = re.search(r'<table class="table" id="import-errors">(.*?)</table>', html, re.S)
    assert table, html
    cells = r"<tr><td>(\d+)</td><td>([^<]*)</td><td[^>]*>([^<]*)</td></tr>"
    rows = re.findall(cells, table.group(1))
    assert [(row, column) for row, column, _ in rows] == [("3", "收到时间"), ("4", "所在社区")]
    assert "未知的社区“火星社区”" in rows[1][2]
    if all_or_nothing:
        assert "整批撤销" in html, html
        assert not Appeal.objects.exists(), list(Appeal.objects.values_list("title", "channel"))
    else:
        assert Appeal.objects.count() == 1
        assert Appeal.objects.get().number in html


def test_import_page_reports_an_unreadable_file(client, d):
    upload = SimpleUploadedFile("notes.docx", b"hello", content_type="text/plain")
    response = login(client, "dispatcher").post(reverse("web:import"), {"file": upload})
    html = response.content.decode()
    assert "不支持的文件类型" in html and "<td>—</td><td>文件</td>" in html
