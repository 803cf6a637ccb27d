"""Duplicates at intake: the similarity index, which appeals count as nearby and recent, and
the case page's "相似诉求" panel with its one-click merge, with three users."""

import datetime as dt

import pytest
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import State
from banshi.appeals.duplicates import nearby_regions, similar_appeals
from banshi.org.choices import RegionLevel
from banshi.org.models import Region
from banshi.triage.similar import SimilarityIndex

from .factories import HOSTILE, PASSWORD, submitted
from .triage_texts import DUPLICATE_PAIRS, TEXTS, UNRELATED

NEW, OLD = DUPLICATE_PAIRS[0]


def fields(pair) -> dict:
    return {"title": pair[0], "content": pair[1]}


# ---------- the index (pure Python) ----------

def corpus() -> list[tuple[int, str]]:
    rows = [f"{t} {c}" for items in TEXTS.values() for t, c in items]
    return list(enumerate(rows))


@pytest.mark.parametrize(("new", "old"), DUPLICATE_PAIRS)
def test_index_finds_a_reworded_duplicate_among_many(new, old):
    docs = corpus() + [(999, f"{old[0]} {old[1]}")]
    hits = SimilarityIndex(docs).query(f"{new[0]} {new[1]}", k=3)
    assert hits and hits[0][0] == 999 and hits[0][1] >= 0.35
    assert all(score < hits[0][1] for _, score in hits[1:])


def test_index_scores_identity_one_and_unrelated_low():
    index = SimilarityIndex(corpus())
    assert index.query(corpus()[3][1], k=1) == [(3, 1.0)]
    assert index.query("公司拖欠三个月工资不发") == []
    assert index.query("") == [] and SimilarityIndex([]).query("路灯") == []
    assert SimilarityIndex([(1, ""), (2, "！！")]).query("路灯") == []


def test_index_is_deterministic_and_ignores_width_and_punctuation():
    docs = [(1, "百花路路灯不亮，请维修"), (2, "百花路路灯不亮，请维修")]
    index = SimilarityIndex(docs)
    hits = index.query("百花路　路灯不亮！！请　维修")
    assert hits == [(1, 1.0), (2, 1.0)]  # ties keep the given order
    assert SimilarityIndex(docs).query("ＡＢＣ路灯") == SimilarityIndex(docs).query("abc路灯")


def test_index_counts_unseen_words_against_a_long_query():
    index = SimilarityIndex([(1, "路灯不亮")])
    short, long_ = index.scores("路灯不亮")[0], index.scores("路灯不亮" + "公司拖欠工资" * 20)[0]
    assert short == pytest.approx(1.0) and long_ < 0.35


# ---------- nearby and recent ----------

@pytest.fixture
def far(d):
    street = Region.objects.create(code="410102002", name="绿东村街道",
                                   level=RegionLevel.STREET, parent=d.district)
    return Region.objects.create(code="410102002001", name="绿东村社区",
                                 level=RegionLevel.COMMUNITY, parent=street)


def numbers(found) -> list[str]:
    return [s.appeal.number for s in found]


def test_same_community_and_same_street_without_configured_neighbours(d, far):
    old = submitted(d, **fields(OLD))
    sibling = submitted(d, region=d.community2, **fields(OLD))
    submitted(d, region=far, **fields(OLD))
    submitted(d, **{"title": UNRELATED[0], "content": UNRELATED[1]})
    new = submitted(d, **fields(NEW))
    found = similar_appeals(new)
    assert set(numbers(found)) == {old.number, sibling.number}
    assert all(s.score >= 0.35 for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert set(nearby_regions(d.community)) == {d.community.pk, d.community2.pk}


def test_configured_neighbours_replace_the_street(d, far):
    d.community.neighbours.add(far)
    across = submitted(d, region=far, **fields(OLD))
    sibling = submitted(d, region=d.community2, **fields(OLD))
    new = submitted(d, **fields(NEW))
    assert numbers(similar_appeals(new)) == [across.number]
    # Symmetrical: from the far community, ours is a neighbour.
    back = submitted(d, region=far, **fields(NEW))
    found = numbers(similar_appeals(back))
    assert new.number in found and sibling.number not in found


def test_the_window_is_90_days_and_any_channel(d):
    now = timezone.now()
    recent = submitted(d, collected_at=now - dt.timedelta(days=80), channel="hotline",
                       **fields(OLD))
    submitted(d, collected_at=now - dt.timedelta(days=100), **fields(OLD))
    new = submitted(d, **fields(NEW))
    assert numbers(similar_appeals(new)) == [recent.number]
    assert len(similar_appeals(new, days=200)) == 2


def test_invalid_and_merged_appeals_are_left_out_but_problem_members_stay(d):
    target = submitted(d, **fields(OLD))
    dead = actions.invalidate(submitted(d, **fields(OLD)), actor=d.dispatcher, reason="重复")
    follower = actions.merge(submitted(d, **fields(OLD)), actor=d.dispatcher, into=target)
    problem = actions.create_problem(actor=d.dispatcher, title="百花路路灯集中不亮")
    member = actions.link_appeal(submitted(d, **fields(OLD)), problem, actor=d.dispatcher)
    new = submitted(d, **fields(NEW))
    found = {s.appeal.number: s for s in similar_appeals(new)}
    assert dead.number not in found and follower.number not in found
    assert set(found) == {target.number, member.number}
    assert found[member.number].in_open_problem and not found[member.number].mergeable
    assert found[member.number].problem == problem
    assert found[target.number].problem is None and found[target.number].mergeable
    assert new.number not in found


def test_an_appeal_without_community_is_compared_with_others_without(d):
    loose = submitted(d, region=None, **fields(OLD))
    submitted(d, **fields(OLD))
    new = submitted(d, region=None, **fields(NEW))
    assert numbers(similar_appeals(new)) == [loose.number]


# ---------- the case page ----------

def case_url(appeal) -> str:
    return reverse("web:case", args=[appeal.number])


def merge_url(appeal) -> str:
    return reverse("web:act", args=[appeal.number, "merge"])


def test_panel_and_one_click_merge_with_three_users(client, d):
    old = submitted(d, **fields(OLD))
    new = submitted(d, **fields(NEW))
    # An outsider does not see the appeal at all.
    client.login(request=HttpRequest(), username="zjj", password=PASSWORD)
    assert client.get(case_url(new)).status_code == 404
    assert client.post(merge_url(new), {"into": old.number}).status_code == 404
    # The community sees the panel (it may see both appeals) but may not merge.
    client.login(request=HttpRequest(), username="linshanzhai-01", password=PASSWORD)
    page = client.get(case_url(new)).content.decode()
    assert "相似诉求" in page and old.number in page
    assert "合并到该诉求" not in page
    assert client.post(merge_url(new), {"into": old.number}).status_code == 403
    new.refresh_from_db()
    assert new.state == State.SUBMITTED
    # The dispatcher merges with one click.
    client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    page = client.get(case_url(new)).content.decode()
    assert "合并到该诉求" in page and f'name="into" value="{old.number}"' in page
    response = client.post(merge_url(new), {"into": old.number, "note": "相似诉求，一键合并"})
    assert response.status_code == 302 and response.url == case_url(new)
    new.refresh_from_db()
    assert new.state == State.MERGED and new.merged_into == old
    page = client.get(case_url(new)).content.decode()
    assert 'id="similar"' not in page  # no panel on a closed appeal


def test_panel_offers_joining_an_open_problem(client, d):
    problem = actions.create_problem(actor=d.dispatcher, title="百花路路灯集中不亮")
    member = actions.link_appeal(submitted(d, **fields(OLD)), problem, actor=d.dispatcher)
    new = submitted(d, **fields(NEW))
    client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    page = client.get(case_url(new)).content.decode()
    assert member.number in page and "并入该共性问题" in page
    assert f'name="code" value="{problem.code}"' in page
    response = client.post(reverse("web:case-problem", args=[new.number]),
                           {"code": problem.code})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.problem == problem and new.state == State.MERGED


def test_panel_only_shows_appeals_the_user_may_see(client, d):
    submitted(d, region=d.community2, **fields(OLD))  # the community may not see this one
    new = submitted(d, **fields(NEW))
    client.login(request=HttpRequest(), username="linshanzhai-01", password=PASSWORD)
    assert 'id="similar"' not in client.get(case_url(new)).content.decode()
    client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    assert 'id="similar"' in client.get(case_url(new)).content.decode()


def test_after_offline_entry_the_worker_sees_similar_appeals(client, d):
    old = submitted(d, **fields(OLD))
    client.login(request=HttpRequest(), username="linshanzhai-01", password=PASSWORD)
    response = client.post(reverse("web:entry"), {
        "channel": "symposium", "collected_date": timezone.localdate().isoformat(),
        "region": d.community.code, "title": NEW[0], "content": NEW[1]}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "相似诉求" in page and old.number in page


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_compared_and_shown_escaped(client, d, text):
    old = submitted(d, title=text[:200], content=text)
    new = submitted(d, title=text[:200], content=text + "。")
    found = similar_appeals(new)
    assert numbers(found) == [old.number]
    client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    page = client.get(case_url(new)).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "相似诉求" in page
    response = client.post(merge_url(new), {"into": text[:32]})
    assert response.status_code == 422
    assert "<script>alert('x')</script>" not in response.content.decode()
    new.refresh_from_db()
    assert new.state == State.SUBMITTED
