"""`banshi seed-demo` and `banshi import-taxonomy`: the demo district, its accounts and
appeals, loaded twice without change; taxonomy files in CSV and xlsx."""

import csv
import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook

from banshi.appeals import loaders
from banshi.appeals.choices import Action, Channel, Rating, State
from banshi.appeals.learning import suggest
from banshi.appeals.models import (
    Appeal,
    AppealEvent,
    Aspect,
    Category,
    DeadlinePolicy,
    ExtensionRequest,
    Supervision,
)
from banshi.demo import seeding as demo
from banshi.org.choices import RegionLevel, Role, UnitKind
from banshi.org.loaders import LoadError, load_regions, load_units
from banshi.org.models import Region, Staff, Unit

from .datasets import messageboard
from .factories import HOSTILE
from .shared import layer

APPEALS_DATA = Path(loaders.__file__).parent / "data"
CHANNELS = {"online_form", "wechat_group", "qq_group", "platform", "hotline", "symposium",
            "survey", "opinion_box", "household_visit", "walk_in"}
MODELS = [Region, Unit, Category, Aspect, DeadlinePolicy, get_user_model(), Staff, Appeal,
          AppealEvent, Supervision, ExtensionRequest]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **({"appeals": 60} | options))
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@layer()
def seeded() -> str:
    """The demo district with 60 appeals, seeded once for the tests that ask (tests/shared.py)."""
    return seed()


def test_the_district_its_units_and_taxonomy(seeded):
    communities = Region.objects.filter(level=RegionLevel.COMMUNITY).count()
    assert communities >= 60
    assert Region.objects.filter(level=RegionLevel.STREET).count() == 14
    assert Region.objects.get(level=RegionLevel.DISTRICT).code == "410102"
    assert Region.objects.count() == 1 + 14 + communities
    kinds = {kind: Unit.objects.filter(kind=kind).count() for kind in UnitKind.values}
    assert kinds == {"district": 1, "department": 57, "street": 14, "community": communities}
    community = Unit.objects.filter(kind=UnitKind.COMMUNITY).select_related("parent").first()
    assert community.path == f"district/{community.parent.code}/{community.code}/"
    assert community.region.parent == community.parent.region
    level_one = list(Category.objects.filter(level=1).order_by("code"))
    assert [c.code for c in level_one] == [f"{n:02d}" for n in range(1, 16)]
    with open(APPEALS_DATA / "taxonomy.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))[1:]
    assert [c.name for c in level_one] == list(dict.fromkeys(r[0] for r in rows))
    assert Category.objects.filter(level=3).count() == len({tuple(r) for r in rows})
    for leaf in Category.objects.filter(level=3).select_related("parent__parent")[:50]:
        assert leaf.code.startswith(leaf.parent.code) and len(leaf.code) == 6
        assert leaf.parent.code.startswith(leaf.parent.parent.code)
    assert list(Aspect.objects.values_list("code", flat=True)) == [f"a{n}" for n in range(1, 10)]
    assert DeadlinePolicy.objects.filter(category__isnull=True).count() == 3
    assert DeadlinePolicy.objects.filter(category__name="城乡建设", urgency="normal").exists()


def test_accounts_for_every_role_and_unit(seeded):
    User = get_user_model()
    assert User.objects.count() == 4 + Unit.objects.count()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.staff.role == Role.ADMIN
    for name in ("dispatcher", "leader", "inspector"):
        assert User.objects.get(username=name).staff.role == name
    for unit in Unit.objects.all():
        staff = Staff.objects.get(user__username=unit.code)
        assert (staff.role, staff.unit) == (Role.UNIT, unit)
    assert User.objects.get(username="cgj").check_password(demo.DEMO_PASSWORD)
    assert "banshi-demo" in seeded and "每个单位的账号名即单位代码" in seeded
    assert "dispatcher" in seeded and "http://127.0.0.1:" in seeded


def test_second_run_changes_nothing(seeded):
    before = counts()
    numbers = list(Appeal.objects.order_by("pk").values_list("number", "state", "unit_id"))
    output = seed()
    assert counts() == before
    assert list(Appeal.objects.order_by("pk").values_list("number", "state", "unit_id")) == numbers
    assert "新增 0" in output and "演示诉求已存在" in output


def test_passwords_are_kept_unless_reset(seeded):
    user = get_user_model().objects.get(username="jianshelu")
    user.set_password("changed-by-the-unit")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-unit")
    assert "重置密码" in seed(reset_passwords=True)
    user.refresh_from_db()
    assert user.check_password(demo.DEMO_PASSWORD)


def test_demo_appeals_reach_every_state(seeded):
    appeals = Appeal.objects.filter(external_id__startswith=demo.DEMO_PREFIX)
    assert Appeal.objects.count() == 60  # the story's and those pasted from the groups
    assert appeals.count() < 60
    assert set(appeals.values_list("state", flat=True)) == set(State.values)
    assert set(appeals.values_list("channel", flat=True)) == CHANNELS
    assert appeals.values("region__parent").distinct().count() == 14
    assert appeals.filter(is_overdue=True).exists()
    assert appeals.filter(rating=Rating.SATISFIED).exists()
    merged = appeals.filter(state=State.MERGED).select_related("merged_into")
    assert merged and all(a.merged_into.collected_at <= a.collected_at for a in merged)
    assert Supervision.objects.exists() and ExtensionRequest.objects.exists()
    actions = set(AppealEvent.objects.values_list("action", flat=True))
    assert {Action.RETURN, Action.FEEDBACK, Action.MERGE, Action.INVALIDATE, Action.OVERDUE,
            Action.SUPERVISE} <= actions
    ages = [timezone.now() - at for at in appeals.values_list("collected_at", flat=True)]
    assert max(ages) > dt.timedelta(days=60) and min(ages) < dt.timedelta(days=14)
    assert all(age > dt.timedelta(0) for age in ages)
    submitted = appeals.filter(state=State.SUBMITTED)
    assert not submitted.exclude(category=None).exists()  # left for triage
    assert not appeals.filter(state=State.CLOSED, unit=None).exists()


def test_event_chains_are_consistent(seeded):
    for appeal in Appeal.objects.prefetch_related("events"):
        events = sorted(appeal.events.all(), key=lambda e: e.pk)
        assert events[0].action == Action.SUBMIT and events[0].from_state == ""
        previous = ""
        for event in events:
            assert event.from_state == previous, (appeal.number, event.action)
            previous = event.to_state
        assert previous == appeal.state


def _late(appeals, when):
    """Open cases with a deadline before `when`, worked out here from the deadlines alone."""
    late = set()
    for pk, state, response_due, handling_due in appeals.values_list(
            "pk", "state", "response_due_at", "handling_due_at"):
        if state == State.DISPATCHED and response_due and response_due < when:
            late.add(pk)
        if state in {State.DISPATCHED, State.IN_PROGRESS, State.PENDING_REVIEW} \
                and handling_due and handling_due < when:
            late.add(pk)
    return late


def test_the_timeline_follows_each_appeals_own_dates(seeded):
    now = timezone.now()
    appeals = Appeal.objects.filter(external_id__startswith=demo.DEMO_PREFIX)
    assert not AppealEvent.objects.filter(at__gt=now).exists()
    old_closed = 0
    for appeal in appeals.prefetch_related("events"):
        events = sorted(appeal.events.all(), key=lambda e: e.pk)
        times = [e.at for e in events]
        assert times == sorted(times), appeal.number
        assert times[0] >= appeal.collected_at, appeal.number
        # The number is that of the day it was entered, not of the seeding.
        assert appeal.number[2:10] == f"{timezone.localtime(times[0]):%Y%m%d}"
        if appeal.state == State.CLOSED and now - appeal.collected_at > dt.timedelta(days=60):
            old_closed += 1  # answered and rated within weeks of its collection, not today
            assert times[-1] - appeal.collected_at < dt.timedelta(days=40), appeal.number
        if appeal.dispatched_at:
            assert appeal.dispatched_at in times and appeal.dispatched_at >= appeal.collected_at
    assert old_closed


def test_overdue_means_a_deadline_passed_before_now(seeded):
    from banshi.appeals.models import HistoricalLoad

    appeals = Appeal.objects.filter(external_id__startswith=demo.DEMO_PREFIX)
    # the sweep ran right after the appeals' load closed
    load = HistoricalLoad.objects.get(reason=demo.HISTORY_REASON)
    flagged = set(appeals.filter(is_overdue=True).values_list("pk", flat=True))
    assert flagged and flagged == _late(appeals, load.finished_at) == _late(appeals,
                                                                          timezone.now())
    assert len(flagged) < appeals.count() / 4
    for appeal in appeals.filter(is_overdue=True):
        assert appeal.state in {State.DISPATCHED, State.IN_PROGRESS, State.PENDING_REVIEW}
        overdue = appeal.events.get(action=Action.OVERDUE)
        assert overdue.at >= load.finished_at  # flagged by the real sweep, at the real time
    future = appeals.filter(handling_due_at__gt=timezone.now()).exclude(
        state=State.DISPATCHED, response_due_at__lt=timezone.now())
    assert future.exists() and not future.filter(is_overdue=True).exists()


def test_the_demo_timeline_is_one_recorded_historical_load(seeded):
    from banshi.appeals.models import HistoricalLoad

    # the appeals' load (the campaign's selection and good practices have their own)
    load = HistoricalLoad.objects.get(reason=demo.HISTORY_REASON)
    assert load.run_by.startswith("banshi seed-demo")
    assert load.finished_at is not None
    past = AppealEvent.objects.filter(at__lt=load.started_at - dt.timedelta(minutes=5))
    assert load.events == past.count() > 150
    assert not past.filter(at__lt=load.not_before).exists()
    loads = HistoricalLoad.objects.count()
    seed()
    assert HistoricalLoad.objects.count() == loads  # a second run loads nothing


@pytest.mark.slow
def test_returns_and_reopens_are_recorded(db):
    seed(appeals=200)
    appeals = Appeal.objects.filter(external_id__startswith=demo.DEMO_PREFIX)
    assert appeals.filter(reopen_count__gt=0).exists()  # 不满意 → 重新办理
    assert appeals.filter(rating=Rating.BASICALLY_SATISFIED).exists()
    assert AppealEvent.objects.filter(action=Action.ESCALATE).exists()
    returned_then_closed = appeals.filter(state=State.CLOSED, events__action=Action.RETURN)
    assert returned_then_closed.exists()
    assert appeals.filter(channel=Channel.ONLINE_FORM, created_by=None).exists()
    assert not appeals.filter(channel=Channel.SYMPOSIUM, collector_unit=None).exists()


def test_too_few_appeals_is_refused(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", appeals=5, stdout=StringIO())
    assert not Appeal.objects.exists()


# ---------------------------------------------------------------- loaders and import

def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_units_follow_a_moved_parent(db, tmp_path):
    regions = write_csv(tmp_path / "regions.csv", ["code", "name", "level", "parent_code"], [
        ["c1", HOSTILE[0], "community", "s1"],  # child before parent: loaded after it
        ["d", "区", "district", ""], ["s1", "一街道", "street", "d"],
        ["s2", "二街道", "street", "d"],
    ])
    header = ["code", "name", "kind", "parent_code", "region_code"]
    rows = [["top", "专班", "district", "", "d"], ["s1", "一街道办", "street", "top", "s1"],
            ["s2", "二街道办", "street", "top", "s2"], ["c1", "一社区", "community", "s1", "c1"]]
    assert load_regions(regions)["created"] == 4
    assert Region.objects.get(code="c1").name == HOSTILE[0]
    assert load_units(write_csv(tmp_path / "units.csv", header, rows))["created"] == 4
    assert load_units(tmp_path / "units.csv")["updated"] == 0
    rows[3][3] = "s2"
    assert load_units(write_csv(tmp_path / "units.csv", header, rows))["updated"] == 1
    assert Unit.objects.get(code="c1").path == "top/s2/c1/"


def test_loader_names_the_bad_line(db, tmp_path):
    bad = write_csv(tmp_path / "regions.csv", ["code", "name", "level", "parent_code"],
                    [["d", "区", "district", ""], ["x", "某地", "village", "d"]])
    with pytest.raises(LoadError, match="第3行"):
        load_regions(bad)
    orphan = write_csv(tmp_path / "r2.csv", ["code", "name", "level", "parent_code"],
                       [["x", "某地", "street", "nowhere"]])
    with pytest.raises(LoadError, match="nowhere"):
        load_regions(orphan)
    assert not Region.objects.exists()


def test_loader_line_numbers_count_blank_lines(db, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name,level,parent_code\nd,区,district,\n\nx,某地,village,d\n",
                    encoding="utf-8")
    with pytest.raises(LoadError, match="第4行"):  # the line a text editor shows
        load_regions(path)


def test_loaders_read_gb18030_csv_and_xlsx(db, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_bytes("code,name,level,parent_code\nd,某区,district,\n".encode("gb18030"))
    assert load_regions(regions)["created"] == 1
    units = tmp_path / "units.xlsx"
    book = Workbook()
    book.active.append(["code", "name", "kind", "parent_code", "region_code"])
    book.active.append(["top", "\u3000区专班 ", "district", None, "d"])
    book.save(units)
    assert load_units(units)["created"] == 1
    assert Unit.objects.get(code="top").name == "区专班"
    taxonomy = write_csv(tmp_path / "t.csv", ["一级分类", "二级分类", "三级分类"],
                         [["城乡建设", "市政管理", "路灯"]])
    taxonomy.write_bytes(taxonomy.read_text(encoding="utf-8").encode("gb18030"))
    assert "新增分类 3 个" in import_taxonomy(taxonomy)


def taxonomy_xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["一级分类", "二级分类", "三级分类"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def import_taxonomy(path: Path, *args) -> str:
    out = StringIO()
    call_command("import_taxonomy", str(path), *args, stdout=out)
    return out.getvalue()


def test_import_taxonomy_xlsx_is_idempotent_and_additive(db, tmp_path):
    first = taxonomy_xlsx(tmp_path / "t.xlsx", [
        ["城乡建设", "市政管理", "路灯"],
        [None, None, "井盖"],                      # merged cells read as blanks
        ["\u3000城乡建设 ", "物业管理\xa0", "收费"],  # padding is not part of a name
        ["环境保护", HOSTILE[0], HOSTILE[1]],
        ["交通运输", None, None],
        [None, None, None],
    ])
    assert "新增分类 10 个" in import_taxonomy(first)
    codes = dict(Category.objects.values_list("path_name", "code"))
    assert codes["城乡建设"] == "01" and codes["环境保护"] == "02" and codes["交通运输"] == "03"
    assert codes["城乡建设/市政管理/井盖"] == "010102"
    assert codes["城乡建设/物业管理/收费"] == "010201"
    assert codes[f"环境保护/{HOSTILE[0]}/{HOSTILE[1]}"] == "020101"
    assert "新增分类 0 个" in import_taxonomy(first)
    second = write_csv(tmp_path / "t.csv", ["一级分类", "二级分类", "三级分类"],
                       [["政法", "治安", "噪声"], ["城乡建设", "市政管理", "路灯"],
                        ["城乡建设", "市政管理", "道路"]])
    assert "试运行" in import_taxonomy(second, "--dry-run")
    assert not Category.objects.filter(name="政法").exists()
    assert "新增分类 4 个" in import_taxonomy(second)
    codes = dict(Category.objects.values_list("path_name", "code"))
    assert codes["政法"] == "04" and codes["城乡建设/市政管理/道路"] == "010103"
    assert codes["城乡建设/市政管理/路灯"] == "010101"  # never renumbered


def test_import_taxonomy_refuses_bad_files(db, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        import_taxonomy(tmp_path / "missing.xlsx")
    too_long = taxonomy_xlsx(tmp_path / "long.xlsx", [["城乡建设", HOSTILE[4], "x"]])
    with pytest.raises(CommandError, match="超过100个字符"):
        import_taxonomy(too_long)
    orphan = taxonomy_xlsx(tmp_path / "orphan.xlsx", [["城乡建设", None, "路灯"]])
    with pytest.raises(CommandError, match="缺少上级分类"):
        import_taxonomy(orphan)
    (tmp_path / "t.json").write_text("{}")
    with pytest.raises(CommandError, match="csv"):
        import_taxonomy(tmp_path / "t.json")
    assert not Category.objects.exists()


def test_import_the_real_taxonomy(db):
    taxonomy = messageboard("taxonomy.xlsx")
    import_taxonomy(taxonomy)
    assert [Category.objects.filter(level=n).count() for n in (1, 2, 3)] == [15, 118, 517]
    assert Category.objects.get(code="01").name == "城乡建设"
    assert "新增分类 0 个" in import_taxonomy(taxonomy)


def test_the_demo_records_its_shared_problems(seeded):
    from banshi.appeals.choices import ProblemStatus
    from banshi.appeals.models import Problem

    candidates = Problem.objects.filter(status=ProblemStatus.CANDIDATE)
    assert candidates.exists() and "共性问题(待确认)：新增" in seeded
    before = sorted(candidates.values_list("pk", "title"))
    output = seed()
    assert sorted(candidates.values_list("pk", "title")) == before
    assert "新增 0 个" in output
    fragments = {"人跳广场", "引入个物业", "电线短路", "督促物业"}
    assert not fragments & {p for places in candidates.values_list("places", flat=True)
                            for p in places}


def test_the_dispatcher_sees_the_demo_problems(seeded, client):
    from html import escape

    from django.http import HttpRequest
    from django.urls import reverse

    from banshi.appeals.choices import ProblemStatus
    from banshi.appeals.models import Problem

    assert client.login(request=HttpRequest(), username="dispatcher",
                        password=demo.DEMO_PASSWORD)
    html = client.get(reverse("web:problems")).content.decode()
    titles = Problem.objects.filter(status=ProblemStatus.CANDIDATE).values_list("title", flat=True)
    assert titles and all(escape(title) in html for title in titles[:5])


def test_the_demo_leader_has_units_and_problems_in_baolian(seeded):
    """包联: the demo's leader answers for streets, departments and the hottest problems, and
    督办s the cases of those units (the dispatcher the others)."""
    from banshi.appeals.models import Problem, Supervision
    from banshi.org.models import LeaderAssignmentChange

    leader = get_user_model().objects.get(username="leader")
    units = set(Unit.objects.led_by(leader).values_list("code", flat=True))
    assert set(demo.LEADER_UNITS) <= units
    assert Problem.objects.filter(leaders=leader).count() == demo.LEADER_PROBLEMS
    assert "领导包联：11 个单位，3 个共性问题" in seeded
    assert LeaderAssignmentChange.objects.filter(leader=leader).count() == 2
    led = Appeal.objects.led_by(leader)
    for order in Supervision.objects.filter(issued_by=leader):
        assert led.filter(pk=order.appeal_id).exists()
    assert "领导包联：11 个单位，3 个共性问题" in seed()  # a second run keeps them
    assert LeaderAssignmentChange.objects.filter(leader=leader).count() == 2


# ------------------------------------------------ routing from duties, honest suggestions

def rule_unit(path: str) -> str:
    from banshi.appeals.models import RoutingRule

    return RoutingRule.objects.get(category__path_name=path, region=None).unit.code


def test_the_routing_table_follows_the_departments_duties(seeded):
    assert rule_unit("教育文体/体育健身/健身器材") == "tyj"
    assert rule_unit("教育文体/体育健身") == "tyj"
    assert rule_unit("商贸旅游/市场监管/食品安全") == "scjgj"
    assert rule_unit("商贸旅游") == "scjgj"
    assert rule_unit("商贸旅游/商业网点/菜市场建设") == "swuj"  # 菜市场 beats 市场
    assert rule_unit("政法/消防安全/电动车楼道充电") == "xfdd"
    assert rule_unit("城乡建设/市政设施/路灯照明") == "cgj"
    assert rule_unit("民政/优抚安置/退役军人服务") == "tyjrj"
    assert rule_unit("劳动和社会保障/社会保险/医疗保险") == "ybj"


def test_a_named_duty_routes_an_appeal_whatever_the_first_level(seeded):
    community = Region.objects.filter(level=RegionLevel.COMMUNITY).first()
    sport = Category.objects.get(path_name="教育文体")
    trade = Category.objects.get(path_name="商贸旅游")
    text = "小区健身器材坏了好久没人修，漫步机的踏板掉了"
    units = suggest.unit_suggestions([sport], community, text)
    assert units[0]["code"] == "tyj" and "健身器材" in units[0]["reason"]
    # Even when the model took it for 商贸旅游, the 体育局 is offered, after that category's own.
    codes = [u["code"] for u in suggest.unit_suggestions([trade], community, text)]
    assert codes[:2] == ["scjgj", "tyj"]
    food = suggest.unit_suggestions([trade], community, "饭店后厨卫生太差，食品安全没保障")
    assert food[0]["code"] == "scjgj"


def test_an_administrators_rule_is_kept_when_the_demo_is_seeded_again(seeded):
    from banshi.appeals.models import RoutingRule

    rule = RoutingRule.objects.get(category__path_name="教育文体/体育健身/健身器材", region=None)
    rule.unit, rule.note = Unit.objects.get(code="wglj"), "管理员改派"
    rule.save()
    count = RoutingRule.objects.count()
    assert "派单规则(据单位职责)：共" in seed()
    assert RoutingRule.objects.count() == count
    assert rule_unit("教育文体/体育健身/健身器材") == "wglj"


def test_suggestions_on_the_demo_are_plausible_and_not_over_sure(seeded, settings, tmp_path):
    from banshi.appeals import actions
    from banshi.appeals.learning.suggest import active_models
    from banshi.appeals.learning.training import train_and_register

    settings.DATA_DIR = tmp_path
    train_and_register()
    model = active_models()[1][1]
    counts = model.class_counts()
    appeals = list(Appeal.objects.filter(external_id__startswith=demo.DEMO_PREFIX)[:40])
    for enough in (demo_min := suggest.min_examples(), 3):
        settings.BANSHI_TRIAGE_MIN_EXAMPLES = enough
        chips = []
        for appeal in appeals:
            found = suggest.suggest(appeal)
            assert found["min_examples"] == enough
            assert all(counts[c["name"]] >= enough for c in found["categories"])
            assert all(suggest.SHOWN_FLOOR <= c["p"] < 0.99 for c in found["categories"])
            chips.append(" / ".join(f"{c['name']} {suggest.confidence_text(c['p'])}"
                                    for c in found["categories"]))
        assert not any("100%" in chip or " 0%" in chip for chip in chips)
    assert any(chips), f"with {demo_min} the small demo model may suggest nothing; with 3 some"
    gym, _ = actions.submit_appeal(
        title="小区健身器材坏了没人修",
        content="小区里的健身器材好几件都坏了，单杠也晃，请来修一修。",
        region=Region.objects.filter(level=RegionLevel.COMMUNITY).first(), route=False)
    assert "tyj" in [u["code"] for u in suggest.suggest(gym)["units"][:2]]
