"""The campaign's organisation: the tree page, the office's actions on groups and members
through the pages, a member's page with their tasks, the seconded count, the API's tree, and
hostile text."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from banshi.campaign.actions import org as actions
from banshi.campaign.choices import GroupKind
from banshi.campaign.models import OrgGroup, OrgMember
from banshi.collection.choices import RecordAction
from banshi.collection.models import RecordEvent
from banshi.org.models import ApiToken

from .campaign_org_world import org_world  # noqa: F401
from .factories import HOSTILE, login


def test_the_tree_shows_groups_under_their_parents_with_members(org_world, client):  # noqa: F811
    login(client, "linshanzhai")
    page = client.get(reverse("web:campaign-org")).content.decode()
    top, office, group = (page.index(f'id="group-{org_world.records[k].pk}"')
                          for k in ("top", "office", "group"))
    assert top < office < group
    assert "王协调" in page and "组长" in page and "抽调" in page
    assert 'id="seconded-total"><b>2</b>' in page
    assert "添加组" not in page  # a unit's staff views, the office edits


def test_the_office_builds_the_organisation_through_the_pages(org_world, client):  # noqa: F811
    login(client, "dispatcher")
    office = org_world.records["office"]
    response = client.post(reverse("web:campaign-org-group-new"), {
        "name": "临时党支部", "kind": GroupKind.PARTY_BRANCH, "parent": office.pk,
        "rules": "每月开展一次主题党日", "order": "9"})
    branch = OrgGroup.objects.get(name="临时党支部")
    assert response.status_code == 302 and branch.parent == office
    response = client.post(reverse("web:campaign-org-member-new", args=[branch.pk]), {
        "name": "赵书记", "role": "支部书记", "title": "组织部副部长",
        "home_unit": org_world.d.zjj.code, "seconded": "on", "order": "0"})
    member = OrgMember.objects.get(name="赵书记")
    assert response.status_code == 302 and member.seconded and member.home_unit == org_world.d.zjj
    page = client.get(reverse("web:campaign-org-group", args=[branch.pk])).content.decode()
    assert "每月开展一次主题党日" in page and "赵书记" in page and "添加成员" in page
    assert [e.action for e in RecordEvent.objects.of(branch)] == [
        RecordAction.ADD_MEMBER, RecordAction.CREATE]
    # edit the member: move them to the working group, no longer seconded
    group = org_world.records["group"]
    response = client.post(reverse("web:campaign-org-member-edit", args=[member.pk]), {
        "name": "赵书记", "role": "成员", "title": "", "home_unit": "", "order": "1",
        "group": group.pk})
    member.refresh_from_db()
    assert response.status_code == 302 and member.group == group and not member.seconded
    response = client.post(reverse("web:campaign-org-member-remove", args=[member.pk]))
    assert response.status_code == 302 and not OrgMember.objects.filter(pk=member.pk).exists()
    response = client.post(reverse("web:campaign-org-group-remove", args=[branch.pk]))
    assert response.status_code == 302 and not OrgGroup.objects.filter(pk=branch.pk).exists()


def test_a_group_with_groups_under_it_is_not_removed(org_world, client):  # noqa: F811
    login(client, "dispatcher")
    office = org_world.records["office"]
    response = client.post(reverse("web:campaign-org-group-remove", args=[office.pk]),
                           follow=True)
    assert "请先删除或移走其下级组" in response.content.decode()
    assert OrgGroup.objects.filter(pk=office.pk).exists()


def test_a_group_cannot_be_put_under_itself_or_below_it(org_world, client):  # noqa: F811
    login(client, "dispatcher")
    top, group = org_world.records["top"], org_world.records["group"]
    response = client.post(reverse("web:campaign-org-group-edit", args=[top.pk]), {
        "name": top.name, "kind": top.kind, "parent": group.pk, "order": "0"})
    assert response.status_code == 422
    assert "上级组不能是本组或其下级组" in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_seconded_staff_need_a_home_unit(org_world, client):  # noqa: F811
    login(client, "dispatcher")
    group = org_world.records["group"]
    response = client.post(reverse("web:campaign-org-member-new", args=[group.pk]), {
        "name": "孙抽调", "seconded": "on", "order": "0"})
    assert response.status_code == 422 and "抽调人员须填写原单位" in response.content.decode()


def test_unit_staff_cannot_edit_the_organisation(org_world):  # noqa: F811
    street = org_world.users["street"]
    with pytest.raises(actions.NotPermitted):
        actions.add_group(actor=street, parent=None, kind=GroupKind.OTHER, name="越权")
    client = Client()
    client.force_login(street)
    response = client.post(reverse("web:campaign-org-group-new"),
                           {"name": "越权", "kind": "other", "order": "0"})
    assert response.status_code == 403 and not OrgGroup.objects.filter(name="越权").exists()


def test_a_person_in_two_groups_is_one_seconded_member(org_world):  # noqa: F811
    d, office = org_world.d, org_world.records["office"]
    actions.add_member(office, actor=d.dispatcher, name="王协调", role="支部书记",
                       home_unit=d.zjj, seconded=True)
    actions.add_member(office, actor=d.dispatcher, name="王协调", home_unit=d.cgj,
                       seconded=True)  # a namesake from another unit: another person
    assert OrgMember.objects.filter(seconded=True).count() == 4
    assert actions.seconded_staff(org_world.campaign).count() == 3


def test_a_members_page_lists_their_tasks_and_groups(org_world, client):  # noqa: F811
    login(client, "leader")
    member = org_world.records["member"]
    page = client.get(reverse("web:campaign-org-member", args=[member.pk])).content.decode()
    assert "制定实施方案" in page and "综合协调组" in page and "报送清单" not in page


def test_the_api_gives_the_tree(org_world):  # noqa: F811
    token = ApiToken.objects.issue(org_world.users["department"])
    body = Client().get("/api/v1/campaign/organisation",
                        headers={"Authorization": f"Bearer {token}"}).json()
    assert body["seconded_staff"] == 2 and body["members"] == 2
    [top] = body["groups"]
    [office] = top["children"]
    [group] = office["children"]
    assert (top["kind"], office["kind"], group["name"]) == ("leadership", "office", "综合协调组")
    assert {m["name"] for m in group["members"]} == {"王协调", "李成员"}
    assert group["members"][0]["home_unit_code"] == org_world.d.zjj.code


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_through_the_group_and_member_forms(org_world, client, text):  # noqa: F811
    login(client, "dispatcher")
    response = client.post(reverse("web:campaign-org-group-new"), {
        "name": text[:100], "kind": "other", "duties": text[:5000], "rules": text,
        "order": "0"})
    assert response.status_code == 302, response.content.decode()[:300]
    group = OrgGroup.objects.get(kind="other")
    assert group.rules == text.strip()
    response = client.post(reverse("web:campaign-org-member-new", args=[group.pk]), {
        "name": text[:50], "role": text[:50], "title": text[:100], "order": "0"})
    assert response.status_code == 302
    for url in (reverse("web:campaign-org"),
                reverse("web:campaign-org-group", args=[group.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page


@pytest.mark.parametrize("field,value,message", [
    ("name", "", "名称"), ("name", "长" * 101, "名称"), ("order", "-1", "排序"),
    ("kind", "nonsense", "类型"), ("formed_on", "2026-13-01", "成立日期")])
def test_bad_group_input_names_the_field(org_world, client, field, value, message):  # noqa: F811
    login(client, "dispatcher")
    data = {"name": "新组", "kind": "other", "order": "0"} | {field: value}
    response = client.post(reverse("web:campaign-org-group-new"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page and 'class="error"' in page
    assert not OrgGroup.objects.filter(kind="other").exists()


def test_nul_in_a_form_is_refused_before_the_view(org_world, client):  # noqa: F811
    login(client, "dispatcher")
    response = client.post(reverse("web:campaign-org-group-new"),
                           {"name": "新\x00组", "kind": "other", "order": "0"})
    assert response.status_code == 400 and not OrgGroup.objects.filter(kind="other").exists()


def test_the_api_refuses_the_anonymous(org_world):  # noqa: F811
    assert Client().get("/api/v1/campaign/organisation").status_code == 401
    assert json.loads(Client().get("/api/v1/campaign/organisation").content)["detail"]
