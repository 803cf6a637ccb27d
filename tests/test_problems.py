"""共性问题 at the action level: creating, detecting, confirming, linking, rectifying and the
reply that answers every linked appeal (and every appeal merged into an appeal)."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.actions import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.appeals.choices import Action, ProblemAction, ProblemStatus, Rating, State
from banshi.appeals.models import AppealEvent, Problem, ProblemEvent
from banshi.appeals.public import public_reply, public_timeline
from banshi.org.models import Unit

from .factories import HOSTILE, dispatched, in_progress, submitted, with_code
from .test_workflow import fresh, in_state

OPEN = [State.SUBMITTED, State.RETURNED, State.DISPATCHED, State.IN_PROGRESS]
CLOSED = [State.RESOLVED, State.CLOSED, State.MERGED, State.INVALID]


@dataclass
class Cluster:
    """What banshi.triage.problems.detect_problems returns, as far as record_candidates reads."""

    message_ids: list
    heat: float = 12.5
    title: str = "百花路路灯不亮"
    place: str = "百花路"
    rank: int = 1
    count: int = 0
    components: dict = field(default_factory=lambda: {"count": 3, "residents": 3,
                                                      "likes": 0, "burst": 1.5, "growth": 0.2})


def problem(d, **kwargs) -> Problem:
    fields = {"title": "百花路路灯普遍不亮", "description": "多名群众反映", "owner_unit": d.cgj,
              "category": d.cat_city_3, "places": ["百花路"], "regions": [d.community],
              "plan": "排查线路，更换灯具"} | kwargs
    return actions.create_problem(actor=d.dispatcher, **fields)


def events(p: Problem, action: str | None = None):
    rows = ProblemEvent.objects.filter(problem=p)
    return rows.filter(action=action) if action else rows


def appeal_events(appeal, action: str):
    return AppealEvent.objects.filter(appeal=appeal, action=action)


def today_code(n: int) -> str:
    return f"WT{timezone.localdate():%Y%m%d}-{n:02d}"


# ---------- create ----------

def test_create_problem_numbers_per_day_and_records_who(d):
    first, second = problem(d), problem(d, title="第二个问题")
    assert (first.code, second.code) == (today_code(1), today_code(2))
    row = Problem.objects.get(pk=first.pk)
    assert row.status == ProblemStatus.OPEN and row.source == "manual"
    assert row.owner_unit == d.cgj and row.places == ["百花路"]
    assert list(row.regions.all()) == [d.community] and row.created_by == d.dispatcher
    [event] = events(row)
    assert event.action == ProblemAction.CREATE and event.actor == d.dispatcher
    assert event.actor_label == "dispatcher"


def test_create_problem_only_by_the_dispatcher_or_admin(d):
    for user in (d.cgj_staff, d.zjj_staff, d.leader, d.community_staff):
        with pytest.raises(NotPermitted):
            actions.create_problem(actor=user, title="越权立项")
    assert actions.create_problem(actor=d.admin, title="管理员立项").status == ProblemStatus.OPEN
    assert Problem.objects.count() == 1


@pytest.mark.parametrize("kwargs, field_name", [
    ({"title": "  "}, "title"),
    ({"title": "长" * 201}, "title"),
    ({"plan": "长" * 10001}, "plan"),
    ({"places": ["地" * 101]}, "places"),
])
def test_create_problem_checks_its_input(d, kwargs, field_name):
    with pytest.raises(InvalidInput) as error:
        problem(d, **kwargs)
    assert error.value.field == field_name and error.value.message
    assert not Problem.objects.exists()


def test_create_problem_refuses_an_inactive_owner_unit(d):
    Unit.objects.filter(pk=d.zjj.pk).update(is_active=False)
    with pytest.raises(InvalidInput) as error:
        problem(d, owner_unit=Unit.objects.get(pk=d.zjj.pk))
    assert error.value.field == "owner_unit" and "已停用" in error.value.message


def test_places_from_a_string_are_split_and_deduplicated(d):
    places = problem(d, places="百花路、桐淮路，百花路\n 伊河路 ").places
    assert places == ["百花路", "桐淮路", "伊河路"]


@pytest.mark.parametrize("text", HOSTILE[:4])
def test_hostile_titles_and_plans_are_stored_as_given(d, text):
    p = problem(d, title=text, plan=text, description=text, places=[text[:100]])
    row = Problem.objects.get(pk=p.pk)
    assert row.title == text.strip() and row.plan == text.strip()


# ---------- link ----------

@pytest.mark.parametrize("state", OPEN)
def test_link_from_an_open_state_merges_the_appeal(d, state):
    p = problem(d)
    appeal = in_state(d, state)
    actions.link_appeal(appeal, p, actor=d.dispatcher, note="同一路段")
    row = fresh(appeal)
    assert row.state == State.MERGED and row.problem == p
    [event] = appeal_events(row, Action.LINK_PROBLEM)
    assert event.from_state == state and event.to_state == State.MERGED
    assert event.note == f"并入共性问题{p.code}：同一路段" and event.actor == d.dispatcher
    assert events(p, ProblemAction.LINK).get().data == {"appeals": [appeal.number]}
    p = Problem.objects.get(pk=p.pk)
    assert p.period_start == p.period_end == row.collected_at
    assert "已与同类诉求合并办理" in [line["note"] for line in public_timeline(row)]


@pytest.mark.parametrize("state", CLOSED)
def test_link_from_a_closed_state_is_refused(d, state):
    p = problem(d)
    appeal = in_state(d, state)
    with pytest.raises(TransitionNotAllowed) as error:
        actions.link_appeal(appeal, p, actor=d.dispatcher)
    assert "不能并入共性问题" in error.value.message
    row = fresh(appeal)
    assert row.state == state and row.problem is None
    assert not events(p, ProblemAction.LINK).exists()


def test_link_is_for_the_dispatcher_only(d):
    p, appeal = problem(d), dispatched(d)
    for user in (d.cgj_staff, d.zjj_staff, d.leader):
        with pytest.raises(NotPermitted):
            actions.link_appeal(appeal, p, actor=user)
    assert fresh(appeal).state == State.DISPATCHED


def test_link_needs_a_problem_under_rectification(d):
    candidate = record([submitted(d), submitted(d)])
    with pytest.raises(TransitionNotAllowed) as error:
        actions.link_appeal(submitted(d), candidate, actor=d.dispatcher)
    assert "待确认" in error.value.message


def test_link_drops_the_units_pending_extension_request(d):
    appeal = in_progress(d)
    request = actions.request_extension(appeal, actor=d.cgj_staff, days=3, reason="协调")
    actions.link_appeal(appeal, problem(d), actor=d.dispatcher)
    request.refresh_from_db()
    assert request.status == "rejected"


# ---------- candidates ----------

def record(appeals, **kwargs) -> Problem:
    result = actions.record_candidates([Cluster([a.number for a in appeals], **kwargs)])
    [p] = result.created
    return p


def test_record_candidates_stores_the_cluster(d):
    a1 = dispatched(d, collected_at=timezone.now() - dt.timedelta(days=3))
    a2 = submitted(d, region=d.community2)
    a3 = submitted(d)
    now = timezone.now()
    result = actions.record_candidates(
        [Cluster([a1.number, a2.number, a3.number, "ZY19990101-0001"], heat=33.3)], now=now)
    [p] = result.created
    assert p.status == ProblemStatus.CANDIDATE and p.source == "detected"
    assert p.code == f"WT{timezone.localdate(now):%Y%m%d}-01"
    assert p.heat == 33.3 and p.heat_components["burst"] == 1.5
    assert p.places == ["百花路"] and p.title == "百花路路灯不亮"
    assert set(p.candidate_appeals.all()) == {a1, a2, a3}
    assert set(p.regions.all()) == {d.community, d.community2}
    assert p.period_start == fresh(a1).collected_at and p.period_end == fresh(a3).collected_at
    assert len(p.signature) == 64
    assert p.category == d.cat_city_3 and p.owner_unit == d.cgj  # what the members show
    [event] = events(p)
    assert event.action == ProblemAction.DETECT and event.actor is None
    assert event.actor_label == "系统"
    # the appeals themselves are untouched until the dispatcher confirms
    assert fresh(a2).state == State.SUBMITTED and fresh(a2).problem is None


def test_record_candidates_is_idempotent(d):
    appeals = [submitted(d) for _ in range(3)]
    clusters = [Cluster([a.number for a in appeals])]
    first = actions.record_candidates(clusters)
    again = actions.record_candidates(clusters)
    assert again.created == [] and [p.pk for p in again.updated] == [first.created[0].pk]
    assert Problem.objects.count() == 1 and ProblemEvent.objects.count() == 1


def test_an_overlapping_cluster_updates_the_candidate(d):
    appeals = [submitted(d) for _ in range(4)]
    p = record(appeals[:3])
    grown = actions.record_candidates([Cluster([a.number for a in appeals[1:]], heat=40)])
    assert grown.created == [] and grown.updated == [p]
    row = Problem.objects.get(pk=p.pk)
    assert row.heat == 40 and row.candidate_appeals.count() == 4
    assert events(p, ProblemAction.DETECT).last().data == {"appeals": [appeals[3].number]}
    assert row.signature != p.signature


def test_a_mostly_new_cluster_is_a_new_candidate(d):
    appeals = [submitted(d) for _ in range(6)]
    p = record(appeals[:3])
    result = actions.record_candidates([Cluster([a.number for a in appeals[2:]])])
    [other] = result.created
    assert other.pk != p.pk and Problem.objects.count() == 2


def test_a_rejected_cluster_is_not_proposed_again(d):
    appeals = [submitted(d) for _ in range(4)]
    p = record(appeals[:3])
    actions.reject_candidate(p, actor=d.dispatcher, reason="不是同一问题")
    again = actions.record_candidates([Cluster([a.number for a in appeals])])
    assert again.created == again.updated == [] and again.skipped == 1
    assert Problem.objects.count() == 1
    assert Problem.objects.get(pk=p.pk).status == ProblemStatus.REJECTED


def test_a_confirmed_problem_is_not_proposed_again(d):
    appeals = [submitted(d) for _ in range(3)]
    actions.confirm_candidate(record(appeals), actor=d.dispatcher)
    again = actions.record_candidates([Cluster([a.number for a in appeals])])
    assert again.created == [] and again.skipped == 1


def test_clusters_of_one_or_of_invalid_appeals_are_skipped(d):
    lone = submitted(d)
    spam = actions.invalidate(submitted(d), actor=d.dispatcher, reason="广告")
    result = actions.record_candidates([Cluster([lone.number]),
                                        Cluster([lone.number, spam.number]),
                                        Cluster(["nope", "ZY19990101-0001"])])
    assert result.skipped == 3 and not Problem.objects.exists()


def test_candidates_accept_dict_clusters(d):
    appeals = [submitted(d) for _ in range(2)]
    cluster = {"rank": 1, "heat": 5, "title": "", "place": "", "start": None, "end": None,
               "count": 2, "message_ids": [a.number for a in appeals], "components": {}}
    [p] = actions.record_candidates([cluster]).created
    assert p.title == appeals[0].title and p.places == []


# ---------- confirm, edit, reject ----------

def test_confirm_links_the_candidate_appeals_still_open(d):
    open_ones = [submitted(d), dispatched(d), in_progress(d)]
    done = in_state(d, State.RESOLVED)
    p = record(open_ones + [done])
    actions.confirm_candidate(p, actor=d.dispatcher, title=HOSTILE[0], owner_unit=d.zjj,
                              plan="统一更换", category=d.cat_env, description="描述")
    row = Problem.objects.get(pk=p.pk)
    assert row.status == ProblemStatus.OPEN and row.title == HOSTILE[0]
    assert row.owner_unit == d.zjj and row.plan == "统一更换" and row.category == d.cat_env
    assert {a.pk for a in row.appeals.all()} == {a.pk for a in open_ones}
    for appeal in open_ones:
        assert fresh(appeal).state == State.MERGED
        assert appeal_events(appeal, Action.LINK_PROBLEM).count() == 1
    assert fresh(done).state == State.RESOLVED and fresh(done).problem is None
    [event] = events(p, ProblemAction.CONFIRM)
    assert event.data["appeals"] == [a.number for a in open_ones]
    assert set(event.data["changed"]) == {"title", "owner_unit", "plan", "category",
                                          "description"}


def test_confirm_can_leave_out_appeals(d):
    keep, leave = submitted(d), submitted(d)
    p = record([keep, leave])
    actions.confirm_candidate(p, actor=d.dispatcher, appeals=[keep.number])
    assert fresh(keep).state == State.MERGED and fresh(leave).state == State.SUBMITTED


def test_confirm_and_reject_are_for_candidates_and_the_dispatcher(d):
    p = record([submitted(d), submitted(d)])
    with pytest.raises(NotPermitted):
        actions.confirm_candidate(p, actor=d.cgj_staff)
    with pytest.raises(NotPermitted):
        actions.reject_candidate(p, actor=d.leader, reason="不是")
    with pytest.raises(InvalidInput) as error:
        actions.reject_candidate(p, actor=d.dispatcher, reason=" ")
    assert error.value.field == "reason"
    actions.confirm_candidate(p, actor=d.dispatcher)
    with pytest.raises(TransitionNotAllowed):
        actions.confirm_candidate(p, actor=d.dispatcher)
    with pytest.raises(TransitionNotAllowed):
        actions.reject_candidate(p, actor=d.dispatcher, reason="不是")


def test_edit_problem_records_what_changed(d):
    p = problem(d)
    actions.edit_problem(p, actor=d.dispatcher, title="新标题", plan=None, places="甲、乙")
    row = Problem.objects.get(pk=p.pk)
    assert row.title == "新标题" and row.plan == "排查线路，更换灯具"
    assert row.places == ["甲", "乙"]
    [event] = events(p, ProblemAction.EDIT)
    assert event.data == {"changed": ["title", "places"]} and "问题" in event.note
    actions.edit_problem(p, actor=d.dispatcher, title="新标题")  # nothing changed: no event
    assert events(p, ProblemAction.EDIT).count() == 1
    with pytest.raises(NotPermitted):
        actions.edit_problem(p, actor=d.cgj_staff, title="单位改标题")


# ---------- milestones ----------

def test_milestones_by_the_owner_unit_and_the_dispatcher(d):
    p = problem(d)
    step = actions.add_milestone(p, actor=d.cgj_staff, title="排查线路", progress=30,
                                 due_date=timezone.localdate())
    assert step.done_at is None and Problem.objects.get(pk=p.pk).progress == 30
    step = actions.update_milestone(step, actor=d.dispatcher, progress=100, note="已排查")
    assert step.done_at is not None and step.note == "已排查"
    assert Problem.objects.get(pk=p.pk).progress == 100
    step = actions.update_milestone(step, actor=d.cgj_staff, progress=80)
    assert step.done_at is None and step.note == "已排查"
    notes = [e.note for e in events(p, ProblemAction.MILESTONE)]
    assert notes == ["新增整改节点“排查线路”，进度30%", "“排查线路”进度30%→100%：已排查",
                     "“排查线路”进度100%→80%"]


@pytest.mark.parametrize("progress", [-1, 101, "50", 50.0, True])
def test_milestone_progress_is_0_to_100(d, progress):
    p = problem(d)
    with pytest.raises(InvalidInput) as error:
        actions.add_milestone(p, actor=d.cgj_staff, title="节点", progress=progress)
    assert error.value.field == "progress"


def test_milestones_refused_for_sibling_units_and_leaders(d):
    p = problem(d)
    step = actions.add_milestone(p, actor=d.cgj_staff, title="排查")
    for user in (d.zjj_staff, d.leader, d.street_staff):
        with pytest.raises(NotPermitted):
            actions.add_milestone(p, actor=user, title="越权")
        with pytest.raises(NotPermitted):
            actions.update_milestone(step, actor=user, progress=50)
    assert fresh_step(step).progress == 0


def fresh_step(step):
    return type(step).objects.get(pk=step.pk)


def test_milestones_only_while_the_problem_is_open(d):
    p = record([submitted(d), submitted(d)])
    with pytest.raises(TransitionNotAllowed):
        actions.add_milestone(p, actor=d.dispatcher, title="排查")


# ---------- resolve and the fan-out ----------

def linked_with_codes(d, p, n=3, follower=None):
    """n appeals with their residents' query codes, linked to `p` from different states;
    `follower` is merged into the first one before that is linked."""
    pairs = [with_code(d, contact_phone=f"1380000000{i}") for i in range(n)]
    actions.dispatch(pairs[-1][0], actor=d.dispatcher, unit=d.zjj)
    if follower is not None:
        actions.merge(follower, actor=d.dispatcher, into=pairs[0][0])
    for appeal, _code in pairs:
        actions.link_appeal(appeal, p, actor=d.dispatcher)
    return [(fresh(a), code) for a, code in pairs]


def test_resolving_a_problem_answers_every_linked_appeal(d):
    p = problem(d)
    follower = submitted(d)
    pairs = linked_with_codes(d, p, follower=follower)
    reply = "已统一更换百花路全部路灯。" + HOSTILE[0]
    actions.resolve_problem(p, actor=d.cgj_staff, reply=reply)
    row = Problem.objects.get(pk=p.pk)
    assert row.status == ProblemStatus.RESOLVED and row.reply == reply and row.resolved_at
    for appeal, _code in pairs:
        appeal = fresh(appeal)
        assert appeal.state == State.RESOLVED and appeal.reply == reply
        assert appeal.unit == d.cgj and appeal.resolved_at == row.resolved_at
        [event] = appeal_events(appeal, Action.RESOLVE)
        assert event.note == f"随共性问题{p.code}统一答复：{reply}"
        assert event.actor == d.cgj_staff and event.from_state == State.MERGED
        assert public_reply(appeal) == reply
    # the appeal merged into a linked one is answered too
    follower = fresh(follower)
    assert follower.state == State.RESOLVED and follower.reply == reply
    assert appeal_events(follower, Action.RESOLVE).get().note.startswith(
        f"随诉求{pairs[0][0].number}统一答复：")
    [event] = events(p, ProblemAction.RESOLVE)
    assert event.data["appeals"] == [pairs[0][0].number, follower.number,
                                     pairs[1][0].number, pairs[2][0].number]


def test_each_resident_rates_their_own_appeal(d):
    p = problem(d)
    pairs = linked_with_codes(d, p)
    actions.resolve_problem(p, actor=d.dispatcher, reply="已修复")
    (happy, happy_code), (unhappy, unhappy_code), (other, _) = pairs
    with pytest.raises(NotPermitted):
        actions.record_feedback(unhappy, solved="solved",
                                rating=Rating.UNSATISFIED, query_code=happy_code)
    actions.record_feedback(happy, solved="solved", rating=Rating.SATISFIED, query_code=happy_code)
    actions.record_feedback(unhappy, solved="solved",
                            rating=Rating.UNSATISFIED, comment="还有一盏不亮",
                            query_code=unhappy_code)
    assert fresh(happy).state == State.CLOSED
    reopened = fresh(unhappy)
    assert reopened.state == State.IN_PROGRESS and reopened.unit == d.cgj
    assert reopened.reopen_count == 1
    assert fresh(other).state == State.RESOLVED
    assert Problem.objects.get(pk=p.pk).status == ProblemStatus.RESOLVED
    # the owner unit can answer the reopened one on its own
    actions.resolve(reopened, actor=d.cgj_staff, reply="已修复最后一盏")
    assert fresh(unhappy).reply == "已修复最后一盏"


def test_resolve_is_for_the_owner_unit_and_the_dispatcher(d):
    p = problem(d)
    pairs = linked_with_codes(d, p, n=1)
    for user in (d.zjj_staff, d.leader, d.street_staff, d.community_staff):
        with pytest.raises(NotPermitted):
            actions.resolve_problem(p, actor=user, reply="越权答复")
    assert fresh(pairs[0][0]).state == State.MERGED
    assert Problem.objects.get(pk=p.pk).status == ProblemStatus.OPEN


def test_resolve_needs_an_owner_unit_a_reply_and_an_open_problem(d):
    p = problem(d, owner_unit=None)
    with pytest.raises(InvalidInput) as error:
        actions.resolve_problem(p, actor=d.dispatcher, reply="已修复")
    assert error.value.field == "owner_unit"
    p = problem(d)
    with pytest.raises(InvalidInput) as error:
        actions.resolve_problem(p, actor=d.dispatcher, reply="   ")
    assert error.value.field == "reply"
    actions.resolve_problem(p, actor=d.dispatcher, reply="已修复")
    with pytest.raises(TransitionNotAllowed):
        actions.resolve_problem(p, actor=d.dispatcher, reply="再答复一次")
    with pytest.raises(TransitionNotAllowed):
        actions.link_appeal(submitted(d), p, actor=d.dispatcher)


def test_a_long_hostile_reply_reaches_every_resident(d):
    p = problem(d)
    pairs = linked_with_codes(d, p, n=2)
    actions.resolve_problem(p, actor=d.cgj_staff, reply=HOSTILE[4])
    assert all(fresh(a).reply == HOSTILE[4] for a, _ in pairs)


# ---------- appeals merged into an appeal ----------

def test_resolving_an_appeal_answers_the_appeals_merged_into_it(d):
    target = in_progress(d)
    followers = [with_code(d, title=f"重复{i}") for i in range(2)]
    for appeal, _code in followers:
        actions.merge(appeal, actor=d.dispatcher, into=target)
    actions.resolve(target, actor=d.cgj_staff, reply="路灯已修复")
    for appeal, _code in followers:
        appeal = fresh(appeal)
        assert appeal.state == State.RESOLVED and appeal.reply == "路灯已修复"
        assert appeal.unit == d.cgj and appeal.resolved_at == fresh(target).resolved_at
        [event] = appeal_events(appeal, Action.RESOLVE)
        assert event.note == f"随诉求{target.number}统一答复：路灯已修复"
        assert event.actor == d.cgj_staff and event.unit == d.cgj
        notes = [line["note"] for line in public_timeline(appeal)]
        assert "已与同类诉求合并办理" in notes and notes[-1] == "承办单位已答复"
        assert public_reply(appeal) == "路灯已修复"
    (first, first_code), (second, _) = followers
    actions.record_feedback(first, solved="solved",
                            rating=Rating.UNSATISFIED, query_code=first_code)
    assert fresh(first).state == State.IN_PROGRESS and fresh(first).unit == d.cgj
    assert fresh(second).state == State.RESOLVED and fresh(target).state == State.RESOLVED


def test_a_chain_of_merged_appeals_is_answered_to_its_end(d):
    target, middle, last = in_progress(d), submitted(d), submitted(d)
    actions.merge(last, actor=d.dispatcher, into=middle)
    actions.merge(middle, actor=d.dispatcher, into=target)
    actions.resolve(target, actor=d.cgj_staff, reply="已修复")
    assert fresh(middle).state == fresh(last).state == State.RESOLVED
    note = appeal_events(last, Action.RESOLVE).get().note
    assert note == f"随诉求{middle.number}统一答复：已修复"


def test_an_unrelated_appeal_is_left_alone(d):
    target = in_progress(d)
    bystander = submitted(d)
    actions.resolve(target, actor=d.cgj_staff, reply="已修复")
    assert fresh(bystander).state == State.SUBMITTED
    assert not appeal_events(bystander, Action.RESOLVE).exists()


# ---------- the nightly detection ----------

NOISE = [
    ("丽发新城小区附近搅拌站噪音扰民",
     "丽发新城小区旁边的搅拌站每天晚上施工，噪音很大，严重影响居民休息。"),
    ("丽发新城搅拌站夜间施工噪音大",
     "丽发新城小区南侧搅拌站夜间作业，噪音扰民，希望有关部门管一管。"),
    ("投诉丽发新城附近搅拌站噪音",
     "丽发新城小区居民反映，附近搅拌站深夜还在施工，噪音和粉尘很严重。"),
    ("丽发新城小区噪音污染", "丽发新城旁搅拌站噪音污染严重，晚上无法入睡。"),
]
OTHERS = [
    ("桐淮路井盖缺失", "桐淮路与百花路交叉口井盖缺失，存在安全隐患。"),
    ("咨询社保缴费", "请问灵活就业人员社保怎么缴费？"),
    ("幼儿园入学问题", "孩子今年该上幼儿园了，想咨询一下报名时间。"),
]


def ledger_with_a_hot_problem(d):
    now = timezone.now()
    hot = [submitted(d, title=t, content=c, contact_phone=f"1390000000{i}",
                     collected_at=now - dt.timedelta(days=10 - i))
           for i, (t, c) in enumerate(NOISE)]
    for t, c in OTHERS:
        submitted(d, title=t, content=c, collected_at=now - dt.timedelta(days=5))
    return hot


def test_appeals_reach_the_detector_without_personal_data(d):
    from banshi.appeals.learning.detection import ledger_messages as ledger_input

    same = [submitted(d, contact_phone="13812341234") for _ in range(2)]
    anonymous = [submitted(d, contact_name="", contact_phone="") for _ in range(2)]
    spam = actions.invalidate(submitted(d), actor=d.dispatcher, reason="广告")
    messages, _extractor = ledger_input()
    assert [m.id for m in messages] == [a.number for a in same + anonymous]
    assert spam.number not in [m.id for m in messages]
    assert messages[0].user == messages[1].user  # one resident writing twice counts once
    assert messages[2].user != messages[3].user
    assert all("1234" not in m.user and "张" not in m.user for m in messages)
    assert messages[0].at.utcoffset() == timezone.localtime().utcoffset()


def test_nightly_detection_proposes_the_hot_problem_once(d):
    from banshi.appeals.tasks import detect_problems_nightly

    hot = ledger_with_a_hot_problem(d)
    old = submitted(d, title=NOISE[0][0], content=NOISE[0][1],
                    collected_at=timezone.now() - dt.timedelta(days=120))
    assert detect_problems_nightly.call_local() == {"created": 1, "updated": 0, "skipped": 0}
    p = Problem.objects.get()
    assert p.status == ProblemStatus.CANDIDATE and "丽发新城" in p.places[0]
    assert set(p.candidate_appeals.all()) == set(hot) and old not in p.candidate_appeals.all()
    assert p.heat_components["residents"] == 4 and p.heat == p.heat_components["heat"]
    assert detect_problems_nightly.call_local() == {"created": 0, "updated": 1, "skipped": 0}
    assert Problem.objects.count() == 1 and events(p).count() == 1
    actions.reject_candidate(p, actor=d.dispatcher, reason="已由环保部门处理")
    assert detect_problems_nightly.call_local() == {"created": 0, "updated": 0, "skipped": 1}


def test_detection_is_scheduled_nightly():
    from huey.contrib.djhuey import HUEY

    from banshi.appeals.tasks import detect_problems_nightly

    def runs_at(hour: int, minute: int) -> bool:
        at = dt.datetime(2026, 3, 4, hour, minute, tzinfo=dt.UTC)
        return any(isinstance(task, detect_problems_nightly.task_class)
                   for task in HUEY.read_periodic(at))

    assert runs_at(2, 30)
    assert not runs_at(2, 31) and not runs_at(14, 30)


def test_detect_problems_command_records_candidates_from_the_ledger(d, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    hot = ledger_with_a_hot_problem(d)
    out, err = io.StringIO(), io.StringIO()
    call_command("detect_problems", "--record", "--json", stdout=out, stderr=err)
    p = Problem.objects.get()
    assert set(p.candidate_appeals.all()) == set(hot)
    assert "新增 1" in err.getvalue() and hot[0].number in out.getvalue()
    call_command("detect_problems", "--record", stdout=io.StringIO(), stderr=err)
    assert Problem.objects.count() == 1 and "更新 1" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("detect_problems", "--record", "--data", str(tmp_path / "x.csv"))
