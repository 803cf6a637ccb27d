"""Who sees which appeal: Appeal.objects.visible_to and access_appeal.

Every case is checked with three people at least: the handling unit, a sibling unit and
the dispatcher.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from banshi.appeals import actions
from banshi.appeals.access import access_appeal
from banshi.appeals.models import Appeal
from banshi.org.choices import Role

from .factories import dispatched, in_progress, make_user, submitted
from .test_workflow import ALL_STATES, in_state


def sees(user, appeal) -> bool:
    in_list = Appeal.objects.visible_to(user).filter(pk=appeal.pk).exists()
    try:
        access_appeal(user, appeal.number)
        single = True
    except Http404:
        single = False
    assert in_list == single, "the list and the single-object check disagree"
    return in_list


def test_department_case(d):
    appeal = dispatched(d, unit=d.cgj)
    assert sees(d.cgj_staff, appeal)
    assert not sees(d.zjj_staff, appeal)
    assert sees(d.dispatcher, appeal)
    assert not sees(d.street_staff, appeal)
    assert sees(d.community_staff, appeal)  # handled by cgj, but in its region
    assert not sees(d.community2_staff, appeal)


def test_community_case(d):
    appeal = dispatched(d, unit=d.community_unit)
    assert sees(d.community_staff, appeal)
    assert not sees(d.community2_staff, appeal)
    assert sees(d.dispatcher, appeal)
    assert sees(d.street_staff, appeal)  # its street sees its communities' cases
    assert not sees(d.cgj_staff, appeal)


def test_street_case(d):
    appeal = dispatched(d, unit=d.street_unit)
    assert sees(d.street_staff, appeal)
    assert not sees(d.cgj_staff, appeal)
    assert sees(d.dispatcher, appeal)
    # a community under the street does not see the street's case outside its region
    other = dispatched(d, unit=d.street_unit, region=d.community2)
    assert not sees(d.community_staff, other)
    assert sees(d.community2_staff, other)


def test_community_sees_its_region_not_the_neighbours(d):
    mine = dispatched(d, unit=d.cgj, region=d.community)
    neighbours = dispatched(d, unit=d.cgj, region=d.community2)
    assert sees(d.community_staff, mine) and not sees(d.community_staff, neighbours)
    assert sees(d.community2_staff, neighbours) and not sees(d.community2_staff, mine)
    assert sees(d.cgj_staff, mine) and sees(d.cgj_staff, neighbours)
    assert not sees(d.zjj_staff, mine)
    assert sees(d.dispatcher, mine) and sees(d.dispatcher, neighbours)


def test_community_sees_an_undispatched_case_in_its_region(d):
    appeal = submitted(d, region=d.community)
    assert sees(d.community_staff, appeal)
    assert not sees(d.community2_staff, appeal)
    assert not sees(d.cgj_staff, appeal)
    assert sees(d.dispatcher, appeal)


def test_community_sees_what_it_collected_elsewhere(d):
    appeal, _ = actions.submit_appeal(title="桥下积水", content="雨后积水严重", channel="symposium",
                                      region=d.community, actor=d.community2_staff)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    assert sees(d.community2_staff, appeal)  # collected it, though not in its region
    assert sees(d.community_staff, appeal)  # in its region
    assert sees(d.cgj_staff, appeal)
    assert not sees(d.zjj_staff, appeal)
    assert sees(d.dispatcher, appeal)


def test_unit_sees_what_it_collected(d):
    appeal, _ = actions.submit_appeal(title="井盖缺失", content="路口井盖缺失", channel="walk_in",
                                      actor=d.zjj_staff)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    assert sees(d.zjj_staff, appeal) and sees(d.cgj_staff, appeal)
    assert not sees(d.street_staff, appeal)


@pytest.mark.parametrize("state", ALL_STATES)
def test_leader_and_dispatcher_see_every_state(d, state):
    appeal = in_state(d, state)
    assert sees(d.leader, appeal)
    assert sees(d.dispatcher, appeal)
    assert sees(d.admin, appeal)
    assert not sees(d.zjj_staff, appeal)


def test_inspector_and_superuser_see_all(d):
    inspector = make_user("inspector", Role.INSPECTOR)
    root = get_user_model().objects.create_superuser("root", password="root-pw-12345")
    appeal = dispatched(d)
    assert sees(inspector, appeal) and sees(root, appeal)


def test_user_without_staff_row_sees_nothing(d):
    nobody = get_user_model().objects.create_user("nobody", password="nobody-pw-12345")
    appeal = dispatched(d)
    submitted(d)
    assert not Appeal.objects.visible_to(nobody).exists()
    assert not sees(nobody, appeal)


def test_unit_role_without_a_unit_sees_nothing(d):
    orphan = make_user("orphan", Role.UNIT, None)
    appeal = dispatched(d)
    assert not Appeal.objects.visible_to(orphan).exists()
    assert not sees(orphan, appeal)


def test_anonymous_sees_nothing(d):
    appeal = dispatched(d)
    assert not Appeal.objects.visible_to(AnonymousUser()).exists()
    assert not sees(AnonymousUser(), appeal)


def test_lists_hold_exactly_the_visible_cases(d):
    cgj_case = dispatched(d, unit=d.cgj, region=d.community2)
    zjj_case = dispatched(d, unit=d.zjj, region=d.community2)
    c1_case = dispatched(d, unit=d.community_unit, region=d.community)
    street_case = dispatched(d, unit=d.street_unit, region=d.community2)

    def visible(user):
        return set(Appeal.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(d.cgj_staff) == {cgj_case.pk}
    assert visible(d.zjj_staff) == {zjj_case.pk}
    assert visible(d.community_staff) == {c1_case.pk}
    assert visible(d.community2_staff) == {cgj_case.pk, zjj_case.pk, street_case.pk}
    assert visible(d.street_staff) == {c1_case.pk, street_case.pk}
    assert visible(d.dispatcher) == visible(d.leader) == {
        cgj_case.pk, zjj_case.pk, c1_case.pk, street_case.pk}


def test_unit_loses_a_case_it_returned_or_escalated(d):
    returned = actions.return_(dispatched(d, region=d.community2), actor=d.cgj_staff,
                               reason="非本单位职责")
    escalated = actions.escalate(in_progress(d, region=d.community2), actor=d.cgj_staff,
                                 note="需区级协调")
    for appeal in (returned, escalated):
        assert not sees(d.cgj_staff, appeal)
        assert not sees(d.zjj_staff, appeal)
        assert sees(d.dispatcher, appeal)


def test_escalated_community_case_stays_visible_to_the_community(d):
    appeal = actions.accept(dispatched(d, unit=d.community_unit), actor=d.community_staff)
    appeal = actions.escalate(appeal, actor=d.community_staff, note="社区无力解决")
    assert sees(d.street_staff, appeal)
    assert sees(d.community_staff, appeal)  # still in its region
    assert not sees(d.community2_staff, appeal)
    assert sees(d.dispatcher, appeal)


def test_access_appeal_404_is_the_same_for_missing_and_forbidden(d):
    appeal = dispatched(d)
    with pytest.raises(Http404) as forbidden:
        access_appeal(d.zjj_staff, appeal.number)
    with pytest.raises(Http404) as missing:
        access_appeal(d.zjj_staff, "ZY20990101-9999")
    with pytest.raises(Http404) as missing_for_dispatcher:
        access_appeal(d.dispatcher, "ZY20990101-9999")
    assert str(forbidden.value) == str(missing.value) == str(missing_for_dispatcher.value)
    assert access_appeal(d.cgj_staff, appeal.number).pk == appeal.pk
    assert access_appeal(d.dispatcher, appeal.number).pk == appeal.pk


@pytest.mark.parametrize("number", ["", " ", "1", "%", "ZY%", "' OR 1=1 --"])
def test_access_appeal_odd_numbers_are_404(d, number):
    dispatched(d)
    with pytest.raises(Http404):
        access_appeal(d.dispatcher, number)
