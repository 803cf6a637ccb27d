"""The handling metrics (办理指标) and the 红黑榜 on a hand-built set of appeals whose every
answer is worked out here by hand: an appeal over the 2025 国庆 holidays, one reopened after
不满意 and then basically satisfied, one returned twice, one never accepted and flagged
overdue, one answered after its deadline with no rating, one with the call-back's answers
only, one whose resident's answers override the call-back's, one never dispatched, one outside
the period, and a street with nothing at all.

The 2025 calendar (State Council notice, in chinesecalendar): 10-01 … 10-08 holidays, Sunday
09-28 and Saturday 10-11 working days."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.clock import historical_load
from banshi.appeals.models import Appeal
from banshi.org.models import ApiToken
from banshi.reports import metrics, ranking
from banshi.reports.metrics import KEYS, handling_by, handling_figures, handling_report

from .factories import HOSTILE, add_other_street
from .shared import layer

D = dt.date
START, END = D(2025, 9, 25), D(2025, 10, 20)
API = "/api/v1/stats/handling"


def at(month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=timezone.get_current_timezone())


@dataclass
class World:
    d: object
    other: object
    numbers: dict


def _submit(d, key, when, numbers, **kwargs):
    appeal, _code = actions.submit_appeal(title=f"测试诉求{key}", content="内容",
                                          region=d.community, collected_at=when, **kwargs)
    numbers[key] = appeal.number
    return appeal


def _dispatch(d, appeal, unit, **kwargs):
    return actions.dispatch(appeal, actor=d.dispatcher, unit=unit, category=d.cat_city_3,
                            aspect=d.aspect, **kwargs)


def build_world(d):
    other = add_other_street(d)
    numbers: dict[str, str] = {}
    with historical_load(reason="测试：办理指标", run_by="pytest",
                         not_before=at(9, 1)) as replay:
        # A3: returned twice by the street, then at the 住建局, accepted after the 24 h.
        replay.at(at(9, 25, 8))
        a3 = _submit(d, "A3", at(9, 25, 8), numbers)
        for hour in (9, 10):
            replay.at(at(9, 25, hour))
            a3 = _dispatch(d, a3, d.street_unit)
            replay.at(at(9, 25, hour) + dt.timedelta(minutes=30))
            a3 = actions.return_(a3, actor=d.street_staff, reason="不属本街道")
        replay.at(at(9, 25, 11))
        a3 = _dispatch(d, a3, d.zjj)
        replay.at(at(9, 26, 15))
        actions.accept(a3, actor=d.zjj_staff)
        # A4: urgent (4 h, 5 working days: due at the end of 10-09), accepted at once,
        # answered 10-10: late, never flagged; 6 working days; no rating.
        replay.at(at(9, 25, 8))
        a4 = _dispatch(d, _submit(d, "A4", at(9, 25, 8), numbers), d.cgj, urgency="urgent")
        replay.at(at(9, 25, 10))
        a4 = actions.accept(a4, actor=d.cgj_staff)
        # A5: at the 住建局, never accepted; the sweep of 09-27 flags it.
        replay.at(at(9, 25, 9))
        _dispatch(d, _submit(d, "A5", at(9, 25, 8), numbers), d.zjj)
        # A2: answered 09-29, 未解决 + 不满意 → reopened; answered again 10-09, then 部分解决 +
        # 基本满意: from 09-26 to 10-09 = 09-28, 09-29, 09-30, 10-09 = 4 working days.
        replay.at(at(9, 26, 9))
        a2 = _dispatch(d, _submit(d, "A2", at(9, 26, 8), numbers), d.cgj)
        replay.at(at(9, 26, 12))
        a2 = actions.accept(a2, actor=d.cgj_staff)
        replay.at(at(9, 27, 10))
        assert actions.mark_overdue() == 1  # A5 only
        replay.at(at(9, 29, 10))
        a2 = actions.resolve(a2, actor=d.cgj_staff, reply="已处理")
        replay.at(at(9, 29, 15))
        a2 = actions.record_feedback(a2, actor=d.dispatcher, solved="unsolved",
                                     rating="unsatisfied")
        # A1: over 国庆: dispatched 09-30, answered 10-10 = 10-09, 10-10 = 2 working days.
        replay.at(at(9, 30, 9))
        a1 = _dispatch(d, _submit(d, "A1", at(9, 30, 8), numbers), d.cgj)
        replay.at(at(9, 30, 10))
        a1 = actions.accept(a1, actor=d.cgj_staff)
        replay.at(at(10, 9, 10))
        a2 = actions.resolve(a2, actor=d.cgj_staff, reply="已再次处理")
        actions.record_feedback(a2, actor=d.dispatcher, solved="partly_solved",
                                rating="basically_satisfied")
        replay.at(at(10, 10, 9))
        actions.resolve(a4, actor=d.cgj_staff, reply="已处理")
        replay.at(at(10, 10, 10))
        a1 = actions.resolve(a1, actor=d.cgj_staff, reply="已处理")
        actions.record_feedback(a1, actor=d.dispatcher, solved="solved", rating="satisfied")
        # A6 and A7: dispatched 10-09, answered Saturday 10-11 (a working day): 2 days each.
        late = {}
        for key in ("A6", "A7"):
            replay.at(at(10, 9, 9))
            appeal = _dispatch(d, _submit(d, key, at(10, 9, 8), numbers), d.cgj)
            replay.at(at(10, 9, 10))
            appeal = actions.accept(appeal, actor=d.cgj_staff)
            replay.at(at(10, 11, 10))
            late[key] = actions.resolve(appeal, actor=d.cgj_staff, reply="已处理")
        replay.at(at(10, 11, 11))
        # A6: the call-back only (the resident gave no answer): 未解决, 不满意.
        actions.call_back(late["A6"], actor=d.dispatcher, solved="unsolved",
                          rating="unsatisfied", note="电话回访")
        # A7: the call-back says 未解决/不满意, the resident's own 解决/满意 wins.
        a7 = actions.call_back(late["A7"], actor=d.dispatcher, solved="unsolved",
                               rating="unsatisfied")
        replay.at(at(10, 11, 12))
        actions.record_feedback(a7, actor=d.dispatcher, solved="solved", rating="satisfied")
        # A8: never dispatched. A9: collected after the period.
        replay.at(at(10, 15, 9))
        _submit(d, "A8", at(10, 15, 9), numbers)
        replay.at(at(10, 25, 9))
        _dispatch(d, _submit(d, "A9", at(10, 25, 9), numbers), d.cgj)
    return World(d, other, numbers)


@layer("d")
def mworld(d):
    """The appeals above, built once and shared (tests/shared.py)."""
    return build_world(d)


# Worked out by hand from the story above.
TOTAL = {
    "received": 8,  # A1–A8
    "dispatched": 7,  # not A8
    "responded_in_time": 5,  # A1, A2, A4, A6, A7 (A3 accepted late, A5 never)
    "response_rate": round(5 / 7, 4),
    "resolved": 5,  # A1, A2, A4, A6, A7
    "resolution_rate": round(5 / 7, 4),
    "rated": 4,  # A1, A2, A6 (call-back), A7
    "solved": 2, "partly_solved": 1, "unsolved": 1,  # A1, A7 / A2 / A6
    "solve_rate": 0.75,
    "satisfied": 2, "basically_satisfied": 1, "unsatisfied": 1,
    "satisfaction_rate": 0.75,
    "overdue": 2,  # A5 flagged, A4 answered late
    "avg_handling_days": 3.2,  # (2 + 4 + 6 + 2 + 2) / 5
    "returns": 2,  # A3, twice
}
CGJ = TOTAL | {"received": 5, "dispatched": 5, "responded_in_time": 5, "response_rate": 1.0,
               "resolution_rate": 1.0, "overdue": 1, "returns": 0}
ZJJ = {"received": 2, "dispatched": 2, "responded_in_time": 0, "response_rate": 0.0,
       "resolved": 0, "resolution_rate": 0.0, "rated": 0, "solved": 0, "partly_solved": 0,
       "unsolved": 0, "solve_rate": None, "satisfied": 0, "basically_satisfied": 0,
       "unsatisfied": 0, "satisfaction_rate": None, "overdue": 1, "avg_handling_days": None,
       "returns": 0}
NOTHING = {key: (None if key in metrics.RATES or key == "avg_handling_days" else 0)
           for key in KEYS}
STREET = NOTHING | {"returns": 2}  # the street made A3's two returns; it holds nothing


def test_each_formula_on_the_hand_built_appeals(mworld):
    d = mworld.d
    figures = handling_figures(d.dispatcher, START, END)
    assert list(figures) == [*KEYS, "by_unit"]
    assert {key: figures[key] for key in KEYS} == TOTAL
    rows = {row["unit_code"]: row for row in figures["by_unit"]}
    assert list(rows) == ["cgj", "zjj", "linshanzhai", "zhongyuanxilu"]
    assert rows["cgj"] == {"unit_code": "cgj", "unit_name": "区城市管理局"} | CGJ
    assert {k: rows["zjj"][k] for k in KEYS} == ZJJ
    assert {k: rows["linshanzhai"][k] for k in KEYS} == STREET
    assert {k: rows["zhongyuanxilu"][k] for k in KEYS} == NOTHING  # a unit with nothing


def test_the_residents_answer_wins_and_the_call_back_fills_in(mworld):
    a6 = Appeal.objects.get(number=mworld.numbers["A6"])
    a7 = Appeal.objects.get(number=mworld.numbers["A7"])
    assert (a6.solved, a6.rating, a6.callback_solved, a6.callback_rating) == (
        "", "", "unsolved", "unsatisfied")
    assert (a7.solved, a7.rating, a7.callback_rating, a7.state) == (
        "solved", "satisfied", "unsatisfied", "closed")
    assert a6.state == "resolved"  # a call-back changes no state
    assert a6.events.filter(action="call_back").get().data == {"rating": "unsatisfied",
                                                                "solved": "unsolved"}


def test_reopened_then_satisfied_counts_its_last_answers(mworld):
    a2 = Appeal.objects.get(number=mworld.numbers["A2"])
    assert (a2.reopen_count, a2.solved, a2.rating) == (1, "partly_solved",
                                                        "basically_satisfied")
    # A2 is the one appeal reopened after 不满意, and it was answered again: 重办完成
    assert metrics.rework_figures(mworld.d.dispatcher, START, END) == {"reopened": 1,
                                                                        "redone": 1}
    assert metrics.rework_figures(mworld.d.dispatcher, START, END, mworld.d.zjj) == {
        "reopened": 0, "redone": 0}
    client = Client()
    client.force_login(mworld.d.dispatcher)
    html = client.get("/staff/reports/handling/", {"start": START.isoformat(),
                                                   "end": END.isoformat()}).content.decode()
    assert "不满意后重新办理 1 件，其中重办完成 1 件。" in html


def test_no_ratings_at_all_and_an_empty_period(mworld):
    d = mworld.d
    empty = handling_figures(d.dispatcher, D(2020, 1, 1), D(2020, 1, 31))
    assert {k: empty[k] for k in KEYS} == NOTHING
    assert len(empty["by_unit"]) == 4
    # Only the 住建局's two (no rating at all): the rates without answers are None, not 0.
    zjj = handling_figures(d.dispatcher, START, END, d.zjj)
    assert {k: zjj[k] for k in KEYS} == ZJJ | {"returns": 2}  # A3's returns go with A3
    # The 住建局 has no sub-unit: its one row is itself, with the returns it made (none).
    assert [{k: row[k] for k in KEYS} for row in zjj["by_unit"]] == [ZJJ]


def test_a_unit_narrowing_and_the_period_bounds(mworld):
    d = mworld.d
    september = handling_figures(d.dispatcher, START, D(2025, 9, 30))
    assert september["received"] == 5  # A1–A5 (A1 collected 09-30 08:00, local)
    one_day = handling_figures(d.dispatcher, D(2025, 10, 25), D(2025, 10, 25))
    assert one_day["received"] == 1  # A9 only
    street = handling_figures(d.dispatcher, START, END, d.street_unit)
    assert street["received"] == 0
    assert [row["unit_code"] for row in street["by_unit"]] == ["linshanzhai-01",
                                                               "linshanzhai-02"]


def test_scope_per_role(mworld):
    d = mworld.d
    since, until = at(9, 25), at(10, 21)
    for user in (d.dispatcher, d.leader, d.admin, d.cgj_staff, d.zjj_staff, d.street_staff,
                 d.community_staff, mworld.other.street_staff):
        counted = Appeal.objects.visible_to(user).filter(collected_at__gte=since,
                                                         collected_at__lt=until).count()
        assert handling_figures(user, START, END)["received"] == counted, user.username
    cgj = handling_figures(d.cgj_staff, START, END)
    assert {k: cgj[k] for k in KEYS} == CGJ
    assert [row["unit_code"] for row in cgj["by_unit"]] == ["cgj"]
    assert handling_figures(mworld.other.street_staff, START, END)["received"] == 0
    assert handling_figures(d.zjj_staff, START, END)["returns"] == 2


def test_groupings(mworld):
    d = mworld.d
    levels = {row["key"]: row for row in handling_by(d.dispatcher, START, END, "level")}
    assert levels["street"]["received"] == 7 and levels["district"]["received"] == 1
    months = {row["key"]: row["received"] for row in handling_by(d.dispatcher, START, END,
                                                                 "month")}
    assert months == {"2025-09": 5, "2025-10": 3}
    channels = handling_by(d.dispatcher, START, END, "channel")
    assert [(row["key"], row["received"]) for row in channels] == [("online_form", 8)]
    categories = handling_by(d.dispatcher, START, END, "category")
    assert {row["label"]: row["received"] for row in categories} == {"城乡建设": 7, "未分类": 1}
    streets = handling_by(d.dispatcher, START, END, "street")
    assert [(row["label"], row["received"]) for row in streets] == [("林山寨街道", 8)]
    units = handling_by(d.dispatcher, START, END, "unit")
    assert [row["key"] for row in units] == ["cgj", "zjj", "linshanzhai", "zhongyuanxilu"]
    with pytest.raises(ValueError):
        handling_by(d.dispatcher, START, END, "nonsense")
    report = handling_report(d.dispatcher, START, END, keys=("level", "month"))
    assert report["figures"] == handling_figures(d.dispatcher, START, END)
    assert report["level"] == list(levels.values())
    assert {row["key"]: row["received"] for row in report["month"]} == months


# ---------- 红黑榜 ----------

def _row(code, received, response, resolution, solve, satisfaction):
    return {"unit_code": code, "unit_name": code, "received": received,
            "response_rate": response, "resolution_rate": resolution, "solve_rate": solve,
            "satisfaction_rate": satisfaction}


def test_the_score_and_its_missing_rates():
    assert ranking.score(_row("a", 9, 1.0, 1.0, 1.0, 1.0)) == 100.0
    # 100 × (0.3 × 0.8 + 0.3 × 0.5 + 0.2 × 0.25 + 0.2 × 1.0) = 64.0
    assert ranking.score(_row("a", 9, .8, .5, .25, 1.0)) == 64.0
    # no answers: the two rates left count 0.3 and 0.3 of 0.6 → (0.8 + 0.5) / 2 = 65.0
    assert ranking.score(_row("a", 9, .8, .5, None, None)) == 65.0
    assert ranking.score(_row("a", 9, None, None, None, None)) is None


def test_the_ranking_rule():
    rows = [_row("u1", 10, 1.0, 1.0, 1.0, 1.0),  # 100
            _row("u2", 10, .5, .5, .5, .5),  # 50
            _row("u3", 20, .5, .5, .5, .5),  # 50, more appeals: before u2
            _row("u4", 4, 1.0, 1.0, 1.0, 1.0),  # too few: apart
            _row("u5", 6, 0.0, 0.0, 0.0, 0.0),  # 0
            _row("u6", 8, .9, .9, None, None),  # 90
            _row("u7", 9, .7, .7, .7, .7),  # 70
            _row("u8", 5, .6, .6, .6, .6),  # 60 (5 is enough)
            _row("u9", 30, None, None, None, None)]  # no rate at all: apart
    board = ranking.rank(rows)
    assert [(r["unit_code"], r["rank"]) for r in board["ranked"]] == [
        ("u1", 1), ("u6", 2), ("u7", 3), ("u8", 4), ("u3", 5), ("u2", 6), ("u5", 7)]
    assert [r["unit_code"] for r in board["red"]] == ["u1", "u6", "u7"]
    assert [r["unit_code"] for r in board["black"]] == ["u5", "u2", "u3"]
    assert [r["unit_code"] for r in board["apart"]] == ["u4", "u9"]
    # Four ranked: two on each board, none on both.
    small = ranking.rank(rows[:4] + rows[4:5])
    assert [r["unit_code"] for r in small["red"]] == ["u1", "u3"]
    assert [r["unit_code"] for r in small["black"]] == ["u5", "u2"]
    assert ranking.rank(rows[:1])["red"] == ranking.rank(rows[:1])["black"] == []


def test_months_are_parsed_strictly():
    assert ranking.parse_month("2025-10") == D(2025, 10, 1)
    for bad in ["2025-13", "2025-1", "25-10", "", "2025-10-01", "２０２５-10", "0000-01",
                "2025-10\n", *HOSTILE]:
        assert ranking.parse_month(bad) is None, bad
    assert ranking.previous_months(D(2025, 2, 1), 3) == [D(2024, 12, 1), D(2025, 1, 1),
                                                         D(2025, 2, 1)]


def test_monthly_ranking_on_the_world(mworld, monkeypatch):
    september = ranking.monthly_ranking(D(2025, 9, 15))
    assert september["month"] == "2025-09" and september["of"] == 0  # 3 and 2: too few
    assert {r["unit_code"] for r in september["apart"]} == {"cgj", "zjj", "linshanzhai",
                                                            "zhongyuanxilu"}
    monkeypatch.setattr(ranking, "MIN_APPEALS", 1)
    monkeypatch.setattr(ranking.rank, "__defaults__", (1,))
    board = ranking.monthly_ranking(D(2025, 9, 1))
    # cgj in September: A1, A2, A4 — response 3/3, resolution 3/3, solve 2/2, satisfaction
    # 2/2 → 100; zjj: A3, A5 — response 0, resolution 0, no answers → 0.
    assert [(r["unit_code"], r["score"]) for r in board["ranked"]] == [("cgj", 100.0),
                                                                       ("zjj", 0.0)]
    assert [r["unit_code"] for r in board["red"]] == ["cgj"]
    assert [r["unit_code"] for r in board["black"]] == ["zjj"]
    history = ranking.rank_history(mworld.d.cgj, [D(2025, 9, 1), D(2025, 10, 1)])
    assert [(h["month"], h["rank"], h["received"]) for h in history] == [
        ("2025-09", 1, 3), ("2025-10", 1, 3)]  # October: A6, A7 and A9


# ---------- the API ----------

def api_get(user, **params):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"} if user else {}
    return Client().get(API, params, headers=headers)


def test_api_answers_the_interface(mworld):
    d = mworld.d
    response = api_get(d.leader, start="2025-09-25", end="2025-10-20")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == handling_figures(d.leader, START, END)
    assert {k: body[k] for k in KEYS} == TOTAL
    assert set(body["by_unit"][0]) == {"unit_code", "unit_name", *KEYS}
    for row in [body, *body["by_unit"]]:
        for key in metrics.RATES:
            assert row[key] is None or 0 <= row[key] <= 1
    narrowed = api_get(d.dispatcher, start="2025-09-25", end="2025-10-20", unit="zjj")
    assert narrowed.status_code == 200 and narrowed.json()["received"] == 2


def test_api_refuses_bad_and_hostile_input(mworld):
    d = mworld.d
    assert api_get(None, start="2025-09-25", end="2025-10-20").status_code == 401
    backwards = api_get(d.dispatcher, start="2025-10-20", end="2025-09-25")
    assert backwards.status_code in (400, 422) and "end" in backwards.content.decode()
    out_of_scope = api_get(d.cgj_staff, start="2025-09-25", end="2025-10-20", unit="zjj")
    unknown = api_get(d.cgj_staff, start="2025-09-25", end="2025-10-20", unit="nope")
    assert out_of_scope.status_code == unknown.status_code == 404
    for text in [*HOSTILE, "2025-02-30", "２０２５-01-01"]:
        response = api_get(d.dispatcher, start=text, end="2025-10-20")
        assert response.status_code in (400, 422), text[:20]
        assert "start" in response.content.decode()
        response = api_get(d.dispatcher, start="2025-09-25", end="2025-10-20", unit=text)
        assert response.status_code in (400, 404, 422), text[:20]
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["field"] == "unit"


def test_openapi_documents_the_operation(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][API]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"start", "end", "unit"}
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    ref = schema["$ref"].rsplit("/", 1)[-1]
    properties = document["components"]["schemas"][ref]["properties"]
    assert set(properties) == {*KEYS, "by_unit"}
    assert "解决率" in properties["solve_rate"]["description"]
