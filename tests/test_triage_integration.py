"""Triage in the ledger: suggestions after submit, unit suggestions, automatic dispatch and its
undo, learning from the ledger with model versions. Real DB, real models, real huey task
(immediate mode, see conftest)."""

import csv
import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from banshi.appeals import actions
from banshi.appeals.choices import Action, State, TriageSource
from banshi.appeals.learning import suggest
from banshi.appeals.learning.training import (
    ActivationRefused,
    Example,
    activate,
    ledger_training_data,
    split,
    train_and_register,
)
from banshi.appeals.learning.triage import AUTO_LABEL
from banshi.appeals.models import (
    Appeal,
    AutoDispatchRule,
    Category,
    RoutingRule,
    TriageModelVersion,
)
from banshi.appeals.tasks import retrain_triage, triage_appeal
from banshi.org.choices import RegionLevel
from banshi.org.models import Region

from .factories import HOSTILE, PASSWORD, submitted
from .shared import layer, layer_dir
from .triage_texts import CITY, EDU, ENV, TEXTS


@pytest.fixture
def edu(d):
    return Category.objects.get_or_create(code="03", defaults={"name": EDU, "level": 1})[0]


@pytest.fixture(autouse=True)
def models_dir(settings, tmp_path):
    """Every test keeps the versions it trains in its own directory. The ledgers here hold 15
    appeals per class (about 12 train): every class may be suggested from 5 on (the default
    rule is tested in test_suggestions_honest.py)."""
    settings.DATA_DIR = tmp_path
    settings.BANSHI_TRIAGE_MIN_EXAMPLES = 5
    return tmp_path / "models" / "triage"


def handler_of(d, unit):
    return {d.cgj: d.cgj_staff, d.zjj: d.zjj_staff, d.street_unit: d.street_staff}[unit]


def build_ledger(d, edu, *, resolve=True) -> dict[str, list[Appeal]]:
    """15 confirmed appeals per class: dispatched by the dispatcher, handled and answered."""
    route = {CITY: (d.cat_city_3, d.cgj), ENV: (d.cat_env, d.zjj), EDU: (edu, d.street_unit)}
    ledger: dict[str, list[Appeal]] = {}
    for label, rows in TEXTS.items():
        category, unit = route[label]
        for title, content in rows:
            appeal = submitted(d, title=title, content=content)
            appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=unit, category=category)
            if resolve:
                staff = handler_of(d, unit)
                appeal = actions.accept(appeal, actor=staff)
                appeal = actions.resolve(appeal, actor=staff, reply="已办理。")
            ledger.setdefault(label, []).append(appeal)
    return ledger


@layer("d")
def trained(d):
    """A ledger and a first model version trained on it (active), built once and shared
    by the tests that ask (tests/shared.py); its files stay in their own directory."""
    edu = Category.objects.create(code="03", name=EDU, level=1)
    ledger = build_ledger(d, edu)
    outcome = train_and_register(out_dir=layer_dir("trained") / "first")
    assert outcome.activated
    return ledger, outcome.version


def submit_now(d, django_capture_on_commit_callbacks, **fields) -> Appeal:
    """Submit as a resident and run what happens after the commit (the huey task)."""
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submitted(d, **fields)
    appeal.refresh_from_db()
    return appeal


LAMP = {"title": "路灯坏了", "content": "百花路东段路灯晚上不亮，路面漆黑。"}
NOISE = {"title": "工地夜间施工噪音", "content": "附近工地凌晨还在打桩施工，噪音吵得睡不着觉。"}


# ---------- suggestions after submit ----------

def test_suggestion_is_stored_after_submit_through_the_task(
        d, trained, django_capture_on_commit_callbacks):
    _, version = trained
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    assert appeal.suggestion_model == version.version
    assert appeal.suggestion["model"] == version.version
    top = appeal.suggestion["categories"]
    assert [c["name"] for c in top][0] == CITY and 1 <= len(top) <= 3
    assert top[0]["code"] == d.cat_city.code
    assert [c["p"] for c in top] == sorted((c["p"] for c in top), reverse=True)
    assert all(c["p"] >= suggest.SHOWN_FLOOR for c in top)  # less likely: no suggestion
    assert appeal.suggested_category == d.cat_city
    assert appeal.suggestion_confidence == pytest.approx(top[0]["p"])
    # Tempered by the ~36 training texts over 3 classes: at most (36 + 1) / (36 + 3).
    assert 1 / 3 < appeal.suggestion_confidence < 0.96
    assert appeal.state == State.SUBMITTED  # suggesting changes nothing else
    assert appeal.events.count() == 1


def test_without_an_active_model_the_task_does_nothing(
        d, edu, models_dir, django_capture_on_commit_callbacks):
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    assert appeal.suggestion == {} and appeal.suggestion_model == ""
    assert triage_appeal.call_local(appeal.pk) is None


def test_the_task_is_queued_on_commit_not_before(d, trained, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        appeal = submitted(d, **LAMP)
    assert len(callbacks) == 1
    appeal.refresh_from_db()
    assert appeal.suggestion == {}  # nothing before the commit
    callbacks[0]()
    appeal.refresh_from_db()
    assert appeal.suggestion["categories"][0]["name"] == CITY


# ---------- unit suggestions ----------

def test_unit_from_the_ledger_explains_itself_with_counts(
        d, trained, django_capture_on_commit_callbacks):
    # Not counted: another street, not yet resolved, and another category.
    other_street = Region.objects.create(code="410102002", name="绿东村街道",
                                         level=RegionLevel.STREET, parent=d.district)
    far = Region.objects.create(code="410102002001", name="绿东村社区",
                                level=RegionLevel.COMMUNITY, parent=other_street)
    elsewhere = actions.dispatch(submitted(d, region=far, **LAMP), actor=d.dispatcher,
                                 unit=d.zjj, category=d.cat_city)
    actions.resolve(actions.accept(elsewhere, actor=d.zjj_staff), actor=d.zjj_staff,
                    reply="已修。")
    actions.dispatch(submitted(d, **LAMP), actor=d.dispatcher, unit=d.cgj, category=d.cat_city)
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    expected = Appeal.objects.filter(
        state__in=[State.RESOLVED, State.CLOSED], unit=d.cgj, region__parent=d.street,
        category__in=[d.cat_city, d.cat_city_2, d.cat_city_3]).count()
    assert expected == 15
    units = appeal.suggestion["units"]
    assert units[0]["code"] == "cgj"
    assert units[0]["reason"] == f"类似诉求 {expected} 件由 区城市管理局 办结"
    assert all(u["code"] != "zjj" for u in units)


def test_routing_rule_comes_first_and_the_most_specific_rule_wins(
        d, trained, django_capture_on_commit_callbacks):
    RoutingRule.objects.create(category=d.cat_city, unit=d.zjj, note="全区")
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    units = appeal.suggestion["units"]
    assert [u["code"] for u in units[:2]] == ["zjj", "cgj"]
    assert units[0]["reason"] == f"派单规则：{CITY} · 全区"
    RoutingRule.objects.create(category=d.cat_city, region=d.street, unit=d.street_unit)
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    assert [u["code"] for u in appeal.suggestion["units"][:3]] == ["linshanzhai", "zjj", "cgj"]
    assert appeal.suggestion["units"][0]["reason"] == f"派单规则：{CITY} · 林山寨街道"


def test_routing_rule_alone_without_ledger_history(
        d, edu, models_dir, django_capture_on_commit_callbacks):
    build_ledger(d, edu, resolve=False)  # confirmed but never answered: no ledger units
    train_and_register()
    RoutingRule.objects.create(category=d.cat_env, region=d.community, unit=d.zjj)
    appeal = submit_now(d, django_capture_on_commit_callbacks, **NOISE)
    assert appeal.suggestion["categories"][0]["name"] == ENV
    assert appeal.suggestion["units"] == [
        {"code": "zjj", "name": "区住房和城乡建设局", "score": 1.0,
         "reason": f"派单规则：{ENV} · 百花社区"}]


# ---------- automatic dispatch ----------

def handmade(d, appeal, p: float, unit="cgj") -> Appeal:
    """Store a suggestion with a chosen confidence, as the task would."""
    suggestion = {"model": "handmade", "categories": [
        {"code": d.cat_city.code, "name": CITY, "path": CITY, "p": p},
        {"code": d.cat_env.code, "name": ENV, "path": ENV, "p": round(1 - p, 4)}],
        "units": [{"code": unit, "name": "x", "score": 1.0, "reason": "类似诉求 3 件由 x 办结"}]}
    return actions.record_suggestion(appeal, suggestion)


def test_auto_dispatch_is_off_by_default_even_at_full_confidence(d):
    appeal = handmade(d, submitted(d), 1.0)
    assert AutoDispatchRule.objects.count() == 0
    assert actions.maybe_auto_dispatch(appeal) is None
    AutoDispatchRule.objects.create(category=d.cat_city, threshold=0.5)  # enabled=False
    assert actions.maybe_auto_dispatch(appeal) is None
    appeal.refresh_from_db()
    assert appeal.state == State.SUBMITTED and appeal.unit is None


@pytest.mark.parametrize(("p", "dispatched"), [(0.81, True), (0.8099, False), (0.5, False)])
def test_auto_dispatch_threshold(d, p, dispatched):
    AutoDispatchRule.objects.create(category=d.cat_city, enabled=True, threshold=0.81)
    appeal = handmade(d, submitted(d), p)
    result = actions.maybe_auto_dispatch(appeal)
    appeal.refresh_from_db()
    assert (result is not None) is dispatched
    assert appeal.state == (State.DISPATCHED if dispatched else State.SUBMITTED)
    if dispatched:
        event = appeal.events.get(action=Action.DISPATCH)
        assert event.actor is None and event.actor_label == AUTO_LABEL
        assert event.from_state == State.SUBMITTED and event.to_state == State.DISPATCHED
        assert event.data["auto"] is True and event.data["model"] == "handmade"
        assert event.data["confidence"] == p and event.data["threshold"] == 0.81
        assert appeal.unit == d.cgj and appeal.category == d.cat_city
        assert appeal.triage_source == TriageSource.AUTO
        assert appeal.response_due_at and appeal.handling_due_at


def test_auto_dispatch_needs_a_unit_suggestion_and_a_submitted_appeal(d):
    AutoDispatchRule.objects.create(category=d.cat_city, enabled=True, threshold=0.5)
    appeal = handmade(d, submitted(d), 0.9, unit="no-such-unit")
    assert actions.maybe_auto_dispatch(appeal) is None
    appeal = handmade(d, submitted(d), 0.9)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.zjj)
    assert actions.maybe_auto_dispatch(appeal) is None
    assert appeal.events.filter(action=Action.DISPATCH).count() == 1


def test_auto_dispatch_through_the_task_with_the_real_model(
        d, trained, django_capture_on_commit_callbacks):
    AutoDispatchRule.objects.create(category=d.cat_city, enabled=True, threshold=0.5)
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    assert appeal.suggestion_confidence > 0.5, "the fixture model should be sure of a lamp"
    assert appeal.state == State.DISPATCHED and appeal.unit == d.cgj
    event = appeal.events.get(action=Action.DISPATCH)
    assert (event.actor, event.actor_label) == (None, AUTO_LABEL)
    assert event.data["model"] == trained[1].version
    # Another category's rule does not apply.
    noise = submit_now(d, django_capture_on_commit_callbacks, **NOISE)
    assert noise.suggested_category.root == d.cat_env and noise.state == State.SUBMITTED


def auto_dispatched(d) -> Appeal:
    AutoDispatchRule.objects.get_or_create(category=d.cat_city,
                                           defaults={"enabled": True, "threshold": 0.6})
    appeal = actions.maybe_auto_dispatch(handmade(d, submitted(d), 0.9))
    assert appeal is not None
    return appeal


def test_undo_auto_dispatch_returns_it_to_the_queue(d):
    appeal = auto_dispatched(d)
    actions.request_extension(appeal, actor=d.cgj_staff, days=3, reason="需要时间")
    appeal = actions.undo_auto_dispatch(appeal, actor=d.dispatcher, note="分错了")
    appeal.refresh_from_db()
    assert appeal.state == State.SUBMITTED and appeal.unit is None
    assert appeal.dispatched_at is None and appeal.response_due_at is None
    assert appeal.handling_due_at is None
    assert appeal.category is None and appeal.triage_source == ""
    assert not appeal.extension_requests.filter(status="pending").exists()
    event = appeal.events.last()
    assert event.action == Action.UNDO_DISPATCH and event.actor == d.dispatcher
    assert (event.from_state, event.to_state) == (State.DISPATCHED, State.SUBMITTED)
    assert event.unit == d.cgj and "分错了" in event.note
    # Not dispatched automatically again; a person dispatches it.
    assert actions.maybe_auto_dispatch(appeal) is None
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.zjj, category=d.cat_city_3)
    assert appeal.triage_source == TriageSource.HUMAN


def test_undo_is_refused_for_a_human_dispatch_a_unit_and_after_accept(d):
    human = actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj)
    with pytest.raises(actions.TransitionNotAllowed):
        actions.undo_auto_dispatch(human, actor=d.dispatcher)
    appeal = auto_dispatched(d)
    with pytest.raises(actions.NotPermitted):
        actions.undo_auto_dispatch(appeal, actor=d.cgj_staff)
    # A person re-dispatching makes it a human dispatch.
    redone = actions.dispatch(appeal, actor=d.dispatcher, unit=d.zjj)
    with pytest.raises(actions.TransitionNotAllowed):
        actions.undo_auto_dispatch(redone, actor=d.dispatcher)
    accepted = actions.accept(auto_dispatched(d), actor=d.cgj_staff)
    with pytest.raises(actions.TransitionNotAllowed):
        actions.undo_auto_dispatch(accepted, actor=d.dispatcher)


def test_undo_from_the_case_page_with_three_users(client, d):
    appeal = auto_dispatched(d)
    url = reverse("web:act", args=[appeal.number, "undo-auto-dispatch"])
    client.login(request=HttpRequest(), username="zjj", password=PASSWORD)  # cannot see it
    assert client.post(url).status_code == 404
    client.login(request=HttpRequest(), username="cgj", password=PASSWORD)  # holds it, may not undo
    page = client.get(reverse("web:case", args=[appeal.number]))
    assert "撤销自动派单" not in page.content.decode()
    assert client.post(url).status_code == 403
    client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    page = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert 'id="auto-dispatch"' in page and AUTO_LABEL in page
    assert client.post(url, {"note": "<script>alert(1)</script>"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == State.SUBMITTED
    page = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert "<script>alert(1)</script>" not in page


# ---------- pages ----------

def test_queue_and_dispatch_form_show_the_suggestion(
        client, d, trained, django_capture_on_commit_callbacks):
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    top = appeal.suggestion["categories"][0]
    client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    home = client.get(reverse("web:home")).content.decode()
    assert f"{CITY} {top['p']:.0%}" in home
    assert "类似诉求 15 件由 区城市管理局 办结" in home
    page = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert 'id="suggestion"' in page and trained[1].version in page
    assert '<option value="cgj" selected>' in page
    assert f'<option value="{d.cat_city.code}" selected>' in page
    # Unit staff do not get the model's suggestions.
    client.login(request=HttpRequest(), username="linshanzhai-01", password=PASSWORD)
    page = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert 'id="suggestion"' not in page


# ---------- learning from the ledger, versions ----------

def test_training_data_are_the_appeals_a_person_confirmed(d, edu):
    ledger = build_ledger(d, edu, resolve=False)
    auto = auto_dispatched(d)
    unconfirmed = submitted(d, category=d.cat_env)
    dropped = actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj,
                               category=d.cat_city)
    dropped = actions.return_(dropped, actor=d.cgj_staff, reason="非本单位")
    dropped = actions.invalidate(dropped, actor=d.dispatcher, reason="重复")
    keys = {e.key: e for e in ledger_training_data()}
    assert len(keys) == 45
    for appeal in (auto, unconfirmed, dropped):
        assert f"appeal:{appeal.number}" not in keys
    lamp = keys[f"appeal:{ledger[CITY][0].number}"]
    assert lamp.labels == (CITY, f"{CITY}/市政管理", f"{CITY}/市政管理/路灯")
    assert keys[f"appeal:{ledger[EDU][0].number}"].labels == (EDU, None, None)


def test_the_held_out_split_is_stable_and_covers_every_class(d, edu):
    build_ledger(d, edu, resolve=False)
    examples = ledger_training_data()
    train, held = split(examples)
    assert {e.labels[0] for e in held} == {CITY, ENV, EDU}
    assert not {e.key for e in train} & {e.key for e in held}
    assert 0.1 <= len(held) / len(examples) <= 0.35
    # A bigger ledger later: what was held out stays held out, what was trained on stays out.
    more = examples + [Example(f"appeal:ZY-new-{i}", f"新诉求{i}", (CITY, None, None), "ledger")
                       for i in range(200)]
    later_train, later_held = split(more)
    assert {e.key for e in held} <= {e.key for e in later_held}
    assert not {e.key for e in train} & {e.key for e in later_held}


def write_seed(path, rows) -> str:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "content", "label"])
        writer.writerows(rows)
    return str(path)


def wrong_seed(path) -> str:
    """Every fixture text three times with a systematically wrong label."""
    wrong = {CITY: ENV, ENV: EDU, EDU: CITY}
    rows = [(f"{title}（第{i}次反映）", content, wrong[label])
            for i in range(1, 4) for label, items in TEXTS.items() for title, content in items]
    return write_seed(path, rows)


def test_a_worse_version_is_kept_but_not_activated_and_an_equal_one_is(
        d, trained, tmp_path, django_capture_on_commit_callbacks):
    _, first = trained
    assert first.is_active and first.macro_f1 is not None
    worse = train_and_register(seed_file=wrong_seed(tmp_path / "seed.csv"))
    assert not worse.activated
    row = worse.version
    assert not row.is_active and TriageModelVersion.objects.get(is_active=True) == first
    compared = row.scores["active_on_held_out"]
    assert compared["version"] == first.version
    assert row.macro_f1 < compared["macro_f1"]
    assert "未启用" in row.note and row.scores["held_out"] == "ledger"
    assert row.data_source == "台账 45 条 + seed.csv 135 条"
    # The worse model is not used.
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    assert appeal.suggestion_model == first.version
    # The same ledger again gives an equal score: activated (≥), and used from then on.
    equal = train_and_register()
    assert equal.activated and equal.version.macro_f1 == pytest.approx(compared["macro_f1"])
    first.refresh_from_db()
    assert not first.is_active and equal.version.is_active
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    assert appeal.suggestion_model == equal.version.version


def test_activation_by_hand_follows_the_rule_unless_forced(
        d, trained, tmp_path, django_capture_on_commit_callbacks):
    _, first = trained
    worse = train_and_register(seed_file=wrong_seed(tmp_path / "seed.csv")).version
    with pytest.raises(ActivationRefused):
        activate(worse)
    with pytest.raises(CommandError, match="低于当前版本"):
        call_command("triage_activate", worse.version)
    with pytest.raises(CommandError, match="没有版本"):
        call_command("triage_activate", "nope")
    call_command("triage_activate", worse.version, "--force")
    worse.refresh_from_db()
    assert worse.is_active and TriageModelVersion.objects.filter(is_active=True).count() == 1
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    assert appeal.suggestion_model == worse.version  # the cache follows the active version
    activate(first)  # better than the active one: allowed without force
    assert suggest.active_models()[0] == first.version


def test_deeper_levels_are_trained_when_the_ledger_has_enough_examples(
        d, edu, models_dir, monkeypatch, settings, django_capture_on_commit_callbacks):
    from banshi.appeals.learning import training

    monkeypatch.setattr(training, "MIN_PER_CLASS", 2)
    settings.BANSHI_TRIAGE_MIN_EXAMPLES = 2
    road = Category.objects.create(code="0102", name="道路", level=2, parent=d.cat_city)
    ledger = build_ledger(d, edu, resolve=False)
    for appeal in ledger[CITY][7:]:  # 7 stay 市政管理/路灯, 8 become 道路
        actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj, category=road)
    outcome = train_and_register()
    assert outcome.version.scores["level2"]["n_train"] > 0
    assert (models_dir / outcome.version.version / "level2").is_dir()
    assert "level3" not in outcome.version.scores  # one class only at level 3
    appeal = submit_now(d, django_capture_on_commit_callbacks, **LAMP)
    level2 = appeal.suggestion["level2"]
    assert {c["path"] for c in level2} == {f"{CITY}/市政管理", f"{CITY}/道路"}
    assert "level3" not in appeal.suggestion


def test_training_needs_two_classes(d, models_dir):
    from banshi.appeals.learning.training import TrainingError

    for _ in range(3):
        actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj, category=d.cat_city)
    with pytest.raises(TrainingError):
        train_and_register()
    assert retrain_triage.call_local() is None
    assert not TriageModelVersion.objects.exists()


def test_weekly_retraining_is_scheduled_on_sunday_night(d, edu, models_dir):
    def scheduled(day: int, hour: int) -> bool:
        at = dt.datetime(2026, 3, day, hour, 0, tzinfo=dt.UTC)
        return any(isinstance(task, retrain_triage.task_class)
                   for task in HUEY.read_periodic(at))

    assert scheduled(1, 3)  # 2026-03-01 is a Sunday
    assert not scheduled(2, 3) and not scheduled(1, 4)
    build_ledger(d, edu, resolve=False)
    version = retrain_triage.call_local()
    assert TriageModelVersion.objects.get(is_active=True).version == version


# ---------- admin ----------

@pytest.fixture
def root(client, d):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.login(request=HttpRequest(), username="root", password=PASSWORD)
    return client


def test_admin_edits_routing_and_auto_dispatch_rules(root, d):
    for model in ("routingrule", "autodispatchrule", "triagemodelversion"):
        assert root.get(reverse(f"admin:appeals_{model}_changelist")).status_code == 200
    response = root.post(reverse("admin:appeals_autodispatchrule_add"),
                         {"category": d.cat_env.pk, "enabled": "on", "threshold": "0.9"})
    assert response.status_code == 302
    rule = AutoDispatchRule.objects.get()
    assert rule.enabled and rule.threshold == 0.9 and rule.updated_by.username == "root"
    too_low = root.post(reverse("admin:appeals_autodispatchrule_change", args=[rule.pk]),
                        {"category": d.cat_env.pk, "enabled": "on", "threshold": "0.3"})
    assert too_low.status_code == 200  # the form shows the error
    rule.refresh_from_db()
    assert rule.threshold == 0.9
    level2 = root.post(reverse("admin:appeals_autodispatchrule_add"),
                       {"category": d.cat_city_2.pk, "threshold": "0.9"})
    assert level2.status_code == 200 and AutoDispatchRule.objects.count() == 1
    response = root.post(reverse("admin:appeals_routingrule_add"),
                         {"category": d.cat_city_3.pk, "region": d.street.pk,
                          "unit": d.cgj.pk, "note": HOSTILE[0]})
    assert response.status_code == 302
    assert RoutingRule.objects.get().note == HOSTILE[0]
    page = root.get(reverse("admin:appeals_routingrule_changelist")).content.decode()
    assert HOSTILE[0] not in page


def test_admin_activates_a_version_by_the_rule_or_by_force(root, d, trained, tmp_path):
    _, first = trained
    worse = train_and_register(seed_file=wrong_seed(tmp_path / "seed.csv")).version
    url = reverse("admin:appeals_triagemodelversion_changelist")
    page = root.get(url).content.decode()
    assert worse.version in page and first.version in page
    root.post(url, {"action": "activate", "_selected_action": [worse.pk]})
    worse.refresh_from_db()
    assert not worse.is_active
    root.post(url, {"action": "force_activate", "_selected_action": [worse.pk]})
    worse.refresh_from_db()
    first.refresh_from_db()
    assert worse.is_active and not first.is_active
    assert root.get(reverse("admin:appeals_triagemodelversion_add")).status_code == 403


def test_triage_train_without_data_trains_on_the_ledger(d, edu, models_dir, tmp_path, capsys):
    with pytest.raises(CommandError, match="至少需要两个分类"):
        call_command("triage_train")
    build_ledger(d, edu, resolve=False)
    call_command("triage_train")
    first = TriageModelVersion.objects.get(is_active=True)
    assert first.data_source == "台账 45 条" and first.version in capsys.readouterr().out
    assert (models_dir / first.version / "meta.json").is_file()
    out = tmp_path / "chosen"
    call_command("triage_train", "--seed-file", wrong_seed(tmp_path / "seed.csv"),
                 "--out", str(out))
    second = TriageModelVersion.objects.latest("created_at")
    assert second != first and not second.is_active and "未启用" in capsys.readouterr().out
    assert second.path == str(out.resolve()) and (out / "meta.json").is_file()
    with pytest.raises(CommandError, match="只用于台账训练"):
        call_command("triage_train", "--data", wrong_seed(tmp_path / "s2.csv"),
                     "--seed-file", wrong_seed(tmp_path / "s3.csv"))
    call_command("triage_activate")
    listing = capsys.readouterr().out
    assert f"* {first.version}" in listing and f"  {second.version}" in listing


def test_the_unit_that_returned_a_case_is_not_suggested_to_it_again(client, d):
    """A case the unit handed back as not its own: the dispatch form and the triage box
    suggest the next unit, never that one."""
    from banshi.appeals.learning.suggest import usable_units

    appeal = handmade(d, submitted(d), 0.9)
    appeal.suggestion["units"].append({"code": "zjj", "name": d.zjj.name, "reason": "规则"})
    appeal.save(update_fields=["suggestion"])
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    appeal = actions.return_(appeal, actor=d.cgj_staff, reason="属于区住建局职责")
    assert [u["code"] for u in usable_units(appeal)] == ["zjj"]
    client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    html = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert f"建议：{d.zjj.name}" in html and "建议：x（" not in html
