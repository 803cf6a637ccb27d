"""The briefing (工作简报): every number in the Word file equals the statistics API's for the
same period, user and unit (the text read back with python-docx); the shared problems, the
good practices, the ranking table and the charts; the editable sentence templates; the
`banshi briefing` command; the page; and LibreOffice opening the file."""

import datetime as dt
import io
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path
from unittest import mock

import docx
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test import Client

from banshi.appeals.choices import ProblemStatus
from banshi.appeals.models import Appeal, Problem
from banshi.campaign.choices import StoryStatus
from banshi.campaign.models import GoodPractice
from banshi.org.models import ApiToken
from banshi.reports.briefing import SECTIONS, build_briefing, charts
from banshi.reports.briefing.sentences import SENTENCES, TemplateError, check, placeholders
from banshi.reports.management.commands import briefing as briefing_command
from banshi.reports.models import BriefingTemplate

from . import test_campaign_stats as campaign_world
from . import test_collection_stats as collection_world
from .factories import HOSTILE
from .shared import layer

D = dt.date
START, END = D(2026, 3, 1), D(2026, 3, 31)
PAGE = "/staff/reports/briefing/"
REQUIRE = os.environ.get("BANSHI_REQUIRE_SERVICES") == "1"


@layer("d")
def bworld(d):
    """The campaign statistics' records and the collection statistics' records and appeals
    (the two tests' worlds, in one district), two shared problems and three practices."""
    world = campaign_world.build_world(d)
    other = world["other"]
    units = {"street": d.street_unit, "community": d.community_unit,
             "sibling_street": other.street_unit, "other_community": other.community_unit,
             "department": d.cgj}
    users = {"dispatcher": d.dispatcher, "street": d.street_staff,
             "community": d.community_staff, "sibling_street": other.street_staff,
             "other_community": other.community_staff, "department": d.cgj_staff}
    regions = {"a1": d.community, "a2": d.community2, "b": other.community}
    collection_world.build_records(units)
    from banshi.appeals import actions

    for spec in collection_world.APPEALS:
        appeal, _code = actions.submit_appeal(
            title=f"诉求{spec.key}", content="内容", channel=spec.channel,
            region=regions[spec.area], collected_at=collection_world.local(spec.day),
            actor=users[spec.collector] if spec.collector else None)
        if spec.dispatch_to:
            actions.dispatch(appeal, actor=d.dispatcher, unit=units[spec.dispatch_to])
    hot = Problem.objects.create(code="P1", title="百花路夜间路灯不亮", status=ProblemStatus.OPEN,
                                 heat=88.5, owner_unit=d.street_unit)
    cold = Problem.objects.create(code="P2", title="西里社区<b>停车</b>难",
                                  status=ProblemStatus.RESOLVED, heat=12.0,
                                  owner_unit=other.street_unit)
    Problem.objects.create(code="P3", title="尚未确认的问题", status=ProblemStatus.CANDIDATE,
                           heat=99.0)
    Appeal.objects.filter(title__in=["诉求a1", "诉求a2"]).update(problem=hot)
    Appeal.objects.filter(title="诉求a4").update(problem=cold)
    for unit, title, status, day in [
            (d.street_unit, "一楼一议解决老旧小区改造", StoryStatus.PUBLISHED, D(2026, 3, 20)),
            (other.street_unit, "党建+网格办实事", StoryStatus.PUBLISHED, D(2026, 3, 25)),
            (d.street_unit, "草稿不进简报", StoryStatus.DRAFT, None),
            (d.street_unit, "四月发布的不在本期", StoryStatus.PUBLISHED, D(2026, 4, 2))]:
        GoodPractice.objects.create(unit=unit, title=title, body="做法。" * 80, status=status,
                                    published_on=day)
    return world


def text_of(content: bytes) -> tuple[list[str], docx.document.Document]:
    document = docx.Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs], document


def api(user, which: str, **params) -> dict:
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
    response = Client().get(f"/api/v1/stats/{which}", params, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def pct(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}"


NUMBER = re.compile(r"\d+(?:\.\d+)?|—")


def numbers_in(paragraph: str) -> list[str]:
    return NUMBER.findall(paragraph)


def paragraph_after(paragraphs: list[str], start: str) -> str:
    return next(p for p in paragraphs if p.startswith(start))


def expected_numbers(key: str, values: dict) -> list[str]:
    """The numbers the default sentence `key` shows, in order, taken from the API's JSON."""
    return [str(values[name]) for name in placeholders(SENTENCES[key].default)
            if name != "scope"]


def api_values(collection: dict, campaign: dict, handling: dict | None = None) -> dict:
    values = dict(collection) | {"survey_return_rate": pct(collection["survey_return_rate"])}
    if handling is not None:
        values |= {k: v for k, v in handling.items() if k != "by_unit"}
        for rate in ("response_rate", "resolution_rate", "solve_rate", "satisfaction_rate"):
            values[rate] = pct(handling[rate])
        days = handling["avg_handling_days"]
        values["avg_handling_days"] = "—" if days is None else f"{days:.1f}"
    values |= {k: v for k, v in campaign.items() if k != "meetings"}
    values["supervision_coverage"] = pct(campaign["supervision_coverage"])
    names = {"推进会": "progress", "协调会": "coordination", "周例会": "weekly",
             "月度会议": "monthly", "动员大会": "mobilisation", "专题学习": "study",
             "其他会议": "other"}
    values |= {f"meetings_{names[label]}": n for label, n in campaign["meetings"].items()}
    return values


@pytest.mark.parametrize(("role", "unit", "scope"), [
    ("dispatcher", None, "全区"), ("leader", None, "全区"),
    ("dispatcher", "linshanzhai", "林山寨街道办事处"),
    ("street_staff", None, "林山寨街道办事处"), ("community_staff", None, None),
    ("cgj_staff", None, None)])
def test_every_number_equals_the_statistics_api(d, bworld, role, unit, scope):
    user = getattr(d, role)
    params = {"start": START.isoformat(), "end": END.isoformat()} | ({"unit": unit} if unit
                                                                      else {})
    collection, campaign = api(user, "collection", **params), api(user, "campaign", **params)
    handling = api(user, "handling", **params)
    from banshi.collection.stats import stats_unit

    narrowed = stats_unit(user, unit) if unit else None
    paragraphs, _doc = text_of(build_briefing(user, START, END, narrowed))
    values = api_values(collection, campaign, handling)
    scope = scope or (narrowed or user.staff.unit).name
    checked = 0
    for key, lead in [("collection", f"{scope}共召开"), ("collection_more", "座谈会参会"),
                      ("handling", f"期内{scope}收到群众诉求"),
                      ("supervision", "区委派出"), ("meetings", "召开工作推进会"),
                      ("study", "开展各类学习活动"), ("matters", "各单位列入办实事清单")]:
        found = numbers_in(paragraph_after(paragraphs, lead))
        assert found == expected_numbers(key, values), (key, found)
        checked += len(found)
    assert checked >= 48
    # the report's phrases, with their units, from the API's numbers
    text = "\n".join(paragraphs)
    for phrase in [f"座谈会{collection['symposiums']}场",
                   f"发放调查问卷{collection['surveys_distributed']}份",
                   f"收回{collection['surveys_returned']}份",
                   f"设置征集意见箱{collection['opinion_boxes']}个",
                   f"入户走访群众{collection['household_visit_person_times']}人次",
                   f"征集群众诉求{collection['appeals_collected']}条",
                   f"问卷回收率{pct(collection['survey_return_rate'])}%",
                   f"派出{campaign['supervision_groups']}个巡回指导组",
                   f"{campaign['supervision_units_visited']}家单位逐一进行督导",
                   f"宣讲{campaign['lectures']}场、{campaign['lecture_person_times']}人次"]:
        assert phrase in text


def test_the_district_briefing_holds_the_hand_counted_figures(d, bworld):
    paragraphs, document = text_of(build_briefing(d.dispatcher, START, END))
    assert paragraphs[0] == "中原区“我为群众办实事”实践活动工作简报"
    assert paragraphs[1].startswith("(统计期：2026年3月1日至2026年3月31日，")
    headings = [p for p in paragraphs if re.match(r"^[一二三四五六七八九十]、", p)]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、"]
    assert headings[1] == "二、群众诉求办理情况"
    expected = collection_world.expected("dispatcher")
    collection_sentence = paragraph_after(paragraphs, "全区共召开")
    assert f"座谈会{expected['symposiums']}场" in collection_sentence
    assert f"征集群众诉求{expected['appeals_collected']}条" in collection_sentence
    district = campaign_world.DISTRICT  # counted by hand in tests/test_campaign_stats.py
    march = build_briefing(d.dispatcher, campaign_world.START, campaign_world.END)
    text = "\n".join(text_of(march)[0])
    assert f"派出{district['supervision_groups']}个巡回指导组" in text
    assert f"已经对全区{district['supervision_units_visited']}家单位逐一进行督导" in text
    assert f"覆盖率{pct(district['supervision_coverage'])}%" in text
    assert (f"召开工作推进会{district['meetings']['推进会']}次、协调会"
            f"{district['meetings']['协调会']}次") in text
    assert "书记讲师1人宣讲1场、100人次" in text and "黄河博物馆1次、40人次" in text
    # the ranking table: the streets by appeals, then the rest; columns add up to the total
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][:2] == ["排名", "街道"] and rows[0][-1] == "征集诉求(条)"
    assert [r[0] for r in rows[1:3]] == ["1", "2"]
    appeals = [int(r[-1]) for r in rows[1:]]
    assert appeals[:2] == sorted(appeals[:2], reverse=True)
    assert sum(appeals) == expected["appeals_collected"]
    assert sum(int(r[2]) for r in rows[1:]) == expected["symposiums"]


def test_shared_problems_by_heat_and_the_published_practices(d, bworld):
    paragraphs, _doc = text_of(build_briefing(d.dispatcher, START, END))
    text = "\n".join(paragraphs)
    assert "群众反映集中的共性问题2个,涉及群众诉求3件" in text
    first = text.index("1. 百花路夜间路灯不亮(涉及诉求2件,热度指数88.5,整改中)")
    assert first < text.index("2. 西里社区<b>停车</b>难(涉及诉求1件,热度指数12.0,已解决)")
    assert "尚未确认的问题" not in text
    assert "发布好做法好经验2篇" in text
    assert "林山寨街道办事处：一楼一议解决老旧小区改造。" in text
    assert "草稿不进简报" not in text and "四月发布的不在本期" not in text
    assert "……" in text  # the long body is cut to a summary
    # a street sees its own: its problem and practice, not the sibling street's
    street = "\n".join(text_of(build_briefing(d.street_staff, START, END))[0])
    assert "百花路夜间路灯不亮" in street and "西里社区" not in street
    assert "党建+网格办实事" not in street and "一楼一议解决老旧小区改造" in street


def test_an_empty_period_says_so_in_sentences(d, bworld):
    paragraphs, document = text_of(build_briefing(d.dispatcher, D(2030, 1, 1), D(2030, 1, 2)))
    text = "\n".join(paragraphs)
    assert "期内全区未确认群众反映集中的共性问题。" in text
    assert "期内全区未发布好做法好经验。" in text
    assert "覆盖率0.0%" in text or "覆盖率—%" in text
    assert "征集群众诉求0条" in text and "宣讲：" not in text
    # the boxes still standing keep the streets' table; no lecture, no lecture chart
    assert len(document.tables) == 1 and len(document.inline_shapes) <= 1


def test_charts_are_images_with_a_cjk_font(d, bworld):
    if charts.cjk_font() is None:
        if REQUIRE:
            pytest.fail("no CJK font (fonts-wqy-microhei) for the briefing's charts")
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    _paragraphs, document = text_of(build_briefing(d.dispatcher, START, END))
    assert len(document.inline_shapes) == 2  # the streets, the lectures by speaker kind
    image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[image].blob.startswith(b"\x89PNG")


def test_without_a_cjk_font_a_note_line_instead_of_charts(d, bworld, monkeypatch):
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    paragraphs, document = text_of(build_briefing(d.dispatcher, START, END))
    assert not document.inline_shapes
    assert paragraphs.count(charts.NO_FONT_NOTE) == 1


def test_a_section_is_one_more_builder(d, bworld):
    def visits(b):
        b.heading("入户走访情况")
        b.paragraph("走访群众100人次。")

    content = build_briefing(d.dispatcher, START, END,
                             sections=[SECTIONS[0], visits, *SECTIONS[1:]])
    headings = [p for p in text_of(content)[0] if re.match(r"^[一二三四五六]、", p)]
    assert headings[1] == "二、入户走访情况" and headings[2] == "三、群众诉求办理情况"


def test_backwards_period_is_refused(d):
    with pytest.raises(ValueError, match="统计期止"):
        build_briefing(d.dispatcher, END, START)


# ---------- the sentence templates ----------

REPORT = ("全区共召开群众诉求征集意见座谈会126场,发放调查问卷17344份、收回15823份,"
          "设置征集意见箱287个,入户走访群众5981人次,征集群众诉求2119条")


def test_the_default_renders_the_reports_wording():
    values = {"scope": "全区", "symposiums": 126, "surveys_distributed": 17344,
              "surveys_returned": 15823, "opinion_boxes": 287,
              "household_visit_person_times": 5981, "appeals_collected": 2119}
    assert SENTENCES["collection"].default.format_map(values) == REPORT + "。"


def test_every_default_passes_its_own_check():
    for key, sentence in SENTENCES.items():
        check(key, sentence.default)


@pytest.mark.parametrize(("text", "named"), [
    ("共召开{symposium}场", "未知的数据名称“symposium”"),
    ("{symposiums.__class__}", "不能取属性或下标"),
    ("{symposiums[0]}", "不能取属性或下标"),
    ("{}场", "须写明数据名称"),
    ("{symposiums场", "花括号须成对"),
    ("{symposiums:q}", "无法套用数据"),
    ("{survey_return_rate:.1f}", "无法套用数据"),  # a percentage is text ("91.2", "—")
])
def test_a_bad_template_is_refused_naming_what_is_wrong(text, named):
    with pytest.raises(TemplateError, match=re.escape(named)):
        check("collection", text)


def test_admin_edits_a_template_and_the_briefing_uses_it(d, bworld):
    User.objects.filter(pk=d.admin.pk).update(is_staff=True)  # as the demo's admin
    client = Client()
    client.force_login(d.admin)
    listing = client.get("/admin/reports/briefingtemplate/")
    assert listing.status_code == 200
    row = BriefingTemplate.objects.get(key="collection")  # created on first use
    url = f"/admin/reports/briefingtemplate/{row.pk}/change/"
    bad = client.post(url, {"key": "collection", "text": "{scope}座谈会{meetings_progress}场"})
    assert bad.status_code == 200
    assert "未知的数据名称“meetings_progress”" in bad.content.decode()
    edited = "{scope}召开座谈会{symposiums}场，走访{household_visits}户次。"
    good = client.post(url, {"key": "collection", "text": edited})
    assert good.status_code == 302
    row.refresh_from_db()
    assert row.updated_by == d.admin
    text = "\n".join(text_of(build_briefing(d.dispatcher, START, END))[0])
    expected = collection_world.expected("dispatcher")
    assert (f"全区召开座谈会{expected['symposiums']}场，走访{expected['household_visits']}户次。"
            in text)
    for hostile in HOSTILE:
        response = client.post(url, {"key": "collection", "text": hostile})
        assert response.status_code in (200, 302), hostile[:20]


@pytest.mark.parametrize("role", ["dispatcher", "leader", "street_staff"])
def test_only_the_admin_may_edit_templates(d, role):
    user = getattr(d, role)
    User.objects.filter(pk=user.pk).update(is_staff=True)  # even with admin-site access
    client = Client()
    client.force_login(user)
    assert client.get("/admin/reports/briefingtemplate/").status_code in (302, 403)
    assert client.post("/admin/reports/briefingtemplate/add/",
                       {"key": "title", "text": "x"}).status_code in (302, 403)
    assert not BriefingTemplate.objects.filter(text="x").exists()


def test_a_broken_template_falls_back_to_the_default_and_logs(d, bworld, caplog):
    build_briefing(d.dispatcher, START, END)
    BriefingTemplate.objects.filter(key="collection").update(text="{nosuch}座谈会")
    BriefingTemplate.objects.filter(key="title").update(text="{area.__class__}")
    with caplog.at_level(logging.WARNING, logger="banshi.reports.briefing.sentences"):
        paragraphs, _doc = text_of(build_briefing(d.dispatcher, START, END))
    assert paragraphs[0] == "中原区“我为群众办实事”实践活动工作简报"
    assert any(p.startswith("全区共召开群众诉求征集意见座谈会") for p in paragraphs)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "collection" in logged and "title" in logged and "default" in logged


# ---------- the command ----------

def run(*argv: str) -> int:
    """`banshi briefing …` as the console runs it: its exit status. (run_from_argv closes the
    database connections when it is done — the test's own, with its transaction, stays.)"""
    with mock.patch.object(connections, "close_all"):
        try:
            briefing_command.Command().run_from_argv(["banshi", "briefing", *argv])
        except SystemExit as exit_:
            return int(exit_.code or 0)
    return 0


def test_the_command_writes_a_valid_docx(d, bworld, tmp_path, capsys):
    out = tmp_path / "简报.docx"
    assert run("--start", "2026-03-01", "--end", "2026-03-31", "--out", str(out)) == 0
    paragraphs, _doc = text_of(out.read_bytes())
    assert paragraphs[0] == "中原区“我为群众办实事”实践活动工作简报"
    assert not list(tmp_path.glob("*.part"))
    narrowed = tmp_path / "street.docx"
    assert run("--start", "2026-03-01", "--end", "2026-03-31", "--out", str(narrowed),
               "--unit", "linshanzhai") == 0
    assert text_of(narrowed.read_bytes())[0][0].startswith("林山寨街道办事处“我为群众办实事”")
    own = tmp_path / "own.docx"
    assert run("--start", "2026-03-01", "--end", "2026-03-31", "--out", str(own),
               "--user", d.street_staff.username) == 0
    assert "林山寨街道办事处共召开" in "\n".join(text_of(own.read_bytes())[0])


@pytest.mark.parametrize(("argv", "message"), [
    (["--start", "2026-3-1", "--end", "2026-03-31"], "--start: 日期须写作 YYYY-MM-DD"),
    (["--start", "2026-03-01", "--end", "2026-02-30"], "--end: 日期须写作 YYYY-MM-DD"),
    (["--start", "2026-03-31", "--end", "2026-03-01"], "--end: 统计期止不能早于统计期起"),
    (["--start", "2026-03-01", "--end", "2026-03-31", "--unit", "no-such"], "--unit: 没有代码"),
    (["--start", "2026-03-01", "--end", "2026-03-31", "--user", "nobody"], "--user: 没有名为"),
])
def test_the_command_refuses_bad_input(d, tmp_path, capsys, argv, message):
    out = tmp_path / "x.docx"
    assert run(*argv, "--out", str(out)) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_command_refuses_hostile_input_and_unitless_accounts(d, tmp_path, capsys):
    out = tmp_path / "x.docx"
    for text in HOSTILE:
        for option in ("--start", "--end", "--unit", "--user"):
            argv = {"--start": "2026-03-01", "--end": "2026-03-31"} | {option: text}
            assert run(*[a for pair in argv.items() for a in pair], "--out", str(out)) == 1
            assert option in capsys.readouterr().err, (option, text[:20])
    assert not out.exists()
    unitless = User.objects.create_user("unitless-cmd")
    from banshi.org.choices import Role
    from banshi.org.models import Staff

    Staff.objects.create(user=unitless, role=Role.UNIT, unit=None)
    assert run("--start", "2026-03-01", "--end", "2026-03-31", "--out", str(out),
               "--user", "unitless-cmd") == 1
    assert "--user: 账号“unitless-cmd”无权查看统计" in capsys.readouterr().err


def test_the_command_refuses_a_bad_output_path(d, tmp_path):
    period = {"start": "2026-03-01", "end": "2026-03-31"}
    with pytest.raises(CommandError, match="--out: 输出文件须以 .docx 结尾"):
        call_command("briefing", out=tmp_path / "x.pdf", **period)
    with pytest.raises(CommandError, match="--out: 目录不存在"):
        call_command("briefing", out=tmp_path / "no" / "x.docx", **period)
    with pytest.raises(CommandError, match="--unit: 没有代码"):  # out of the street's scope
        call_command("briefing", out=tmp_path / "x.docx", unit="zjj",
                     user=d.street_staff.username, **period)


# ---------- the page ----------

def test_the_page_defaults_to_the_campaign_so_far_and_downloads(d, bworld):
    from banshi.campaign.models import campaign_start

    client = Client()
    client.force_login(d.dispatcher)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{campaign_start().isoformat()}"' in html and "生成简报" in html
    response = client.get(PAGE, {"start": "2026-03-01", "end": "2026-03-31", "generate": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert ".docx" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content == build_briefing(d.dispatcher, START, END) or text_of(content)[0] == \
        text_of(build_briefing(d.dispatcher, START, END))[0]


def test_unit_staff_get_their_units_briefing(d, bworld):
    client = Client()
    client.force_login(d.street_staff)
    response = client.get(PAGE, {"start": "2026-03-01", "end": "2026-03-31", "generate": "1"})
    paragraphs = text_of(b"".join(response.streaming_content))[0]
    assert paragraphs[0] == "林山寨街道办事处“我为群众办实事”实践活动工作简报"
    own = api(d.street_staff, "collection", start="2026-03-01", end="2026-03-31")
    assert f"共召开群众诉求征集意见座谈会{own['symposiums']}场" in paragraphs[3]
    outside = client.get(PAGE, {"start": "2026-03-01", "end": "2026-03-31",
                                "unit": "zhongyuanxilu", "generate": "1"})
    assert outside.status_code == 404


@pytest.mark.parametrize("field", ["start", "end", "unit"])
def test_the_page_answers_hostile_input_without_500(d, field):
    client = Client()
    client.force_login(d.dispatcher)
    for text in [*HOSTILE, "2026-13-01"]:
        params = {"start": "2026-03-01", "end": "2026-03-31", "generate": "1", field: text}
        response = client.get(PAGE, params)
        assert response.status_code in (400, 404), (field, text[:20])
        if response.status_code == 400:
            body = response.content.decode()
            assert {"start": "统计期起", "end": "统计期止"}[field] in body
            assert "<script>" not in body.replace("&lt;script&gt;", "")


# ---------- LibreOffice ----------

def test_libreoffice_converts_the_briefing_and_its_first_page_renders(d, bworld, tmp_path,
                                                                     output_dir):
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not (soffice and pdftoppm):
        message = ("LibreOffice or poppler missing "
                   "(apt-get install libreoffice-writer poppler-utils)")
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    source = tmp_path / "briefing.docx"
    source.write_bytes(build_briefing(d.dispatcher, START, END))
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "briefing.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, capture_output=True, timeout=60)
    page = next(tmp_path.glob("page*.png"))
    assert page.stat().st_size > 20_000  # a page with text and a chart, not a blank one
    shutil.copy(page, Path(output_dir) / "briefing-page1.png")
    shutil.copy(pdf, Path(output_dir) / "briefing.pdf")
