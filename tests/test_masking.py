"""Residents' personal data: full for the handling unit and the dispatcher, masked for the rest."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from banshi.appeals import actions
from banshi.appeals.masking import contact, mask_address, mask_name, mask_phone
from banshi.org.choices import Role

from .factories import dispatched, in_progress, make_user, resolved

FULL = {"name": "张三", "phone": "13812341234", "address": "百花路12号院3号楼"}
MASKED = {"name": "张*", "phone": "138****1234", "address": "百花路****"}


@pytest.mark.parametrize(("name", "expected"), [
    ("张三", "张*"),
    ("欧阳娜娜", "欧***"),
    ("诸葛孔明亮", "诸***"),  # never more than three stars: the length is not told either
    ("张", "张*"),
    ("  李四  ", "李*"),
    ("", ""),
    (None, ""),
    ("   ", ""),
])
def test_mask_name(name, expected):
    assert mask_name(name) == expected


@pytest.mark.parametrize(("phone", "expected"), [
    ("13812341234", "138****1234"),
    ("138 1234 1234", "138****1234"),
    ("138-1234-1234", "138****1234"),
    (" 138-1234 1234 ", "138****1234"),
    ("0371-67181234", "037****1234"),  # landline with area code
    ("(0371) 6718 1234", "037****1234"),
    ("67181234", "****1234"),  # landline without area code: 4 digits hidden, not 1
    ("6718123", "*******"),
    ("12345", "*****"),
    ("110", "***"),
    ("", ""),
    (None, ""),
    ("无", ""),
])
def test_mask_phone(phone, expected):
    assert mask_phone(phone) == expected


@pytest.mark.parametrize("phone", ["13812341234", "0371-67181234", "67181234", "6718123",
                                   "12345", "400-123-4567"])
def test_mask_phone_always_hides_at_least_four_digits(phone):
    digits = "".join(c for c in phone if c.isdigit())
    shown = sum(c.isdigit() for c in mask_phone(phone))
    assert len(digits) - shown >= 4 or shown == 0


@pytest.mark.parametrize(("address", "expected"), [
    ("百花路12号院3号楼", "百花路****"),
    ("郑州市中原区林山寨街道百花路12号院3号楼2单元501", "郑州市中原区****"),
    ("百花路", "百****"),
    ("  百花路12号院  ", "百花****"),
    ("", ""),
    (None, ""),
])
def test_mask_address(address, expected):
    assert mask_address(address) == expected


@pytest.mark.parametrize("address", ["百花路12号院3号楼2单元501室", "百花路12号", "中原区",
                                     "郑州市中原区林山寨街道百花路12号院3号楼2单元501"])
def test_masked_address_shows_at_most_a_third_and_six_characters(address):
    masked = mask_address(address)
    kept = masked.removesuffix("****")
    assert masked.endswith("****") and address.startswith(kept)
    assert 1 <= len(kept) <= max(1, min(6, len(address) // 3))


# --- contact(user, appeal) --------------------------------------------------------------------

def test_handling_unit_and_dispatcher_see_in_full(d):
    appeal = in_progress(d)
    assert contact(d.cgj_staff, appeal) == FULL
    assert contact(d.dispatcher, appeal) == FULL
    assert contact(d.admin, appeal) == FULL


def test_sibling_leader_and_outsiders_see_masked(d):
    appeal = in_progress(d)
    nobody = get_user_model().objects.create_user("nobody", password="nobody-pw-12345")
    inspector = make_user("inspector", Role.INSPECTOR)
    for user in (d.zjj_staff, d.leader, inspector, d.street_staff, d.community_staff,
                 nobody, AnonymousUser()):
        assert contact(user, appeal) == MASKED, user


def test_community_case_is_masked_for_the_street_above(d):
    appeal = actions.accept(dispatched(d, unit=d.community_unit), actor=d.community_staff)
    assert contact(d.community_staff, appeal) == FULL
    assert contact(d.street_staff, appeal) == MASKED
    assert contact(d.community2_staff, appeal) == MASKED
    assert contact(d.dispatcher, appeal) == FULL


def test_dispatched_case_is_full_for_its_unit_before_accepting(d):
    appeal = dispatched(d)
    assert contact(d.cgj_staff, appeal) == FULL
    assert contact(d.zjj_staff, appeal) == MASKED


def test_undispatched_case_is_full_only_for_the_dispatcher(d):
    appeal, _ = actions.submit_appeal(title="t", content="c", region=d.community,
                                      contact_name="张三", contact_phone="13812341234",
                                      address="百花路12号院3号楼", channel="household_visit",
                                      actor=d.community_staff)
    assert contact(d.dispatcher, appeal) == FULL
    # the community collected it, but is not (yet) handling it
    assert contact(d.community_staff, appeal) == MASKED
    assert contact(d.cgj_staff, appeal) == MASKED


def test_masked_for_the_unit_after_it_returned_the_case(d):
    appeal = actions.return_(dispatched(d), actor=d.cgj_staff, reason="非本单位职责")
    assert contact(d.cgj_staff, appeal) == MASKED
    assert contact(d.dispatcher, appeal) == FULL
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.zjj)
    assert contact(d.zjj_staff, appeal) == FULL
    assert contact(d.cgj_staff, appeal) == MASKED


def test_masked_for_the_unit_after_it_escalated_the_case(d):
    appeal = actions.accept(dispatched(d, unit=d.community_unit), actor=d.community_staff)
    appeal = actions.escalate(appeal, actor=d.community_staff, note="社区无力解决")
    assert contact(d.community_staff, appeal) == MASKED
    assert contact(d.street_staff, appeal) == FULL
    assert contact(d.dispatcher, appeal) == FULL


def test_resolved_case_stays_full_for_its_unit(d):
    appeal = resolved(d)
    assert contact(d.cgj_staff, appeal) == FULL
    assert contact(d.zjj_staff, appeal) == MASKED


def test_empty_contact_fields_stay_empty(d):
    appeal = actions.dispatch(
        actions.submit_appeal(title="t", content="c", region=d.community)[0],
        actor=d.dispatcher, unit=d.cgj)
    empty = {"name": "", "phone": "", "address": ""}
    assert contact(d.cgj_staff, appeal) == empty
    assert contact(d.zjj_staff, appeal) == empty
