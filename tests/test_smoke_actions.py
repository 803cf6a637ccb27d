from banshi.appeals import actions
from banshi.appeals.choices import State

from .factories import resolved


def test_main_path_closes_on_satisfied(d):
    appeal, code = actions.submit_appeal(title="t", content="c", region=d.community)
    assert appeal.number.startswith("ZY") and appeal.number.endswith("-0001")
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    appeal = actions.accept(appeal, actor=d.cgj_staff)
    appeal = actions.resolve(appeal, actor=d.cgj_staff, reply="done")
    appeal = actions.record_feedback(appeal, solved="solved", rating="satisfied", query_code=code)
    assert appeal.state == State.CLOSED
    assert [e.to_state for e in appeal.events.all()] == [
        "submitted", "dispatched", "in_progress", "resolved", "closed"]


def test_factories_resolve(d):
    assert resolved(d).state == State.RESOLVED
