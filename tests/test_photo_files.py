"""Photos beyond the page: staff fetch a photo's bytes through the API, residents whose appeal
was merged into another see the photos of the answer they were given, and an action that
fails leaves no photo file behind."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from banshi.appeals import actions
from banshi.appeals.actions import workflow
from banshi.appeals.choices import PhotoKind, State
from banshi.appeals.models import Appeal, Attachment
from banshi.appeals.photos import photo_transaction

from .factories import HOSTILE, with_code
from .test_progress import API, api, photo_links, png, post_json, track_page, tracked


def stored(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as file:
        return file.read()


def fetched(response) -> bytes:
    return b"".join(response.streaming_content)


# ---------- the API's photo endpoint ----------


def test_api_serves_the_photo_listed_in_the_detail(d):
    appeal, _ = tracked(d)
    appeal = actions.add_progress(appeal, actor=d.cgj_staff, note="内部：现场", public=False,
                                  photos=[("site.png", png())])
    photo = appeal.attachments.get()
    headers = api(d.cgj_staff)
    detail = Client().get(f"{API}/appeals/{appeal.number}", headers=headers).json()
    [listed] = detail["photos"]
    assert listed["url"] == f"{API}/appeals/{appeal.number}/photos/{photo.pk}"
    assert listed["web_url"] == reverse("web:photo", args=[appeal.number, photo.pk])
    assert detail["progress"][0]["photos"] == [listed]
    response = Client().get(listed["url"], headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" == photo.content_type
    assert "no-store" in response["Cache-Control"].split(", ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert fetched(response) == stored(photo) == png()
    # staff of the appeal see internal photos too; the district's dispatcher as well
    assert Client().get(listed["url"], headers=api(d.dispatcher)).status_code == 200


def test_api_photo_is_404_alike_when_missing_foreign_or_of_another_appeal(d):
    appeal, _ = tracked(d)
    appeal = actions.add_progress(appeal, actor=d.cgj_staff, note="进展", public=True,
                                  photos=[("a.png", png())])
    photo = appeal.attachments.get()
    other, _ = with_code(d, photos=[("b.png", png((1, 2, 3)))])
    foreign = other.attachments.get()
    url = f"{API}/appeals/{appeal.number}/photos"
    refused = [
        Client().get(f"{url}/{photo.pk}", headers=api(d.zjj_staff)),  # a sibling department
        Client().get(f"{url}/{foreign.pk}", headers=api(d.cgj_staff)),  # not this appeal's
        Client().get(f"{url}/{photo.pk + foreign.pk + 100}", headers=api(d.cgj_staff)),
        Client().get(f"{API}/appeals/ZY00000000-9999/photos/{photo.pk}",
                     headers=api(d.cgj_staff)),
    ]
    assert [r.status_code for r in refused] == [404] * 4
    assert refused[0].json() == {"detail": "诉求不存在"} == refused[3].json()
    assert refused[1].json() == refused[2].json() == {"detail": "照片不存在"}
    assert all(appeal.title not in r.content.decode() for r in refused)
    assert Client().get(f"{url}/{photo.pk}").status_code == 401
    assert Client().get(f"{url}/x", headers=api(d.cgj_staff)).status_code == 422


@pytest.mark.parametrize("text", HOSTILE)
def test_api_photo_with_hostile_numbers(d, text):
    response = Client().get(f"{API}/appeals/{quote(text[:300], safe='')}/photos/1",
                            headers=api(d.dispatcher))
    assert response.status_code in {400, 404}, response.content
    if "/" not in text:  # a slash leaves the API's routes: Django's own 404
        assert response["Content-Type"].startswith("application/json")


# ---------- merged appeals see the photos of the answer they got ----------


def _merge(d, appeal, into):
    return actions.merge(appeal, actor=d.dispatcher, into=into, note="同一路段")


def test_merged_residents_see_the_answer_photos_of_the_appeal_they_follow(client, d):
    target, target_code = tracked(d)
    follower, code = with_code(d, title="路灯坏了")
    earlier, earlier_code = with_code(d, title="百花路晚上很黑")
    earlier = _merge(d, earlier, follower)  # earlier → follower → target
    follower = _merge(d, follower, target)
    target = actions.add_progress(target, actor=d.cgj_staff, note="内部：等待配件",
                                  public=False, photos=[("inside.png", png((9, 9, 9)))])
    target = actions.resolve(target, actor=d.cgj_staff, reply="路灯已更换。",
                             photos=[("fixed.png", png((0, 200, 0)))])
    answer = target.attachments.get(kind=PhotoKind.ANSWER)
    inside = target.attachments.get(kind=PhotoKind.PROGRESS)
    assert Attachment.objects.count() == 2  # linked, not copied
    for appeal, appeal_code in ((follower, code), (earlier, earlier_code)):
        appeal.refresh_from_db()
        assert appeal.state == State.RESOLVED
        html = track_page(client, appeal, appeal_code)
        reply = html[html.index('id="reply"'):]
        assert "路灯已更换" in reply
        [link] = photo_links(html)
        response = client.get(link)
        assert response.status_code == 200 and fetched(response) == stored(answer)
        tracked_api = post_json("/appeals/track", {"number": appeal.number,
                                                   "code": appeal_code}).json()
        [api_link] = tracked_api["reply_photos"]
        assert fetched(client.get(api_link)) == stored(answer)
        assert target.number not in html and inside.sha256 not in html
    # the target's own resident sees the same one photo with the answer
    [own] = photo_links(track_page(client, target, target_code))
    assert fetched(client.get(own)) == stored(answer)


def test_an_appeal_merged_into_an_answered_one_gets_its_photos_at_once(client, d):
    target, _ = tracked(d)
    target = actions.resolve(target, actor=d.cgj_staff, reply="已修复。",
                             photos=[("a.png", png((1, 1, 1))), ("b.png", png((2, 2, 2)))])
    late, code = with_code(d, title="路灯还是不亮吗")
    late = _merge(d, late, target)
    assert late.state == State.RESOLVED
    links = photo_links(track_page(client, late, code))
    assert len(links) == 2
    assert sorted(fetched(client.get(link)) for link in links) == sorted(
        stored(p) for p in target.attachments.all())


def test_a_follower_sees_a_reviewed_answers_photos_only_once_approved(client, d):
    target, _ = with_code(d)
    target = actions.dispatch(target, actor=d.dispatcher, unit=d.street_unit)
    target = actions.accept(target, actor=d.street_staff)
    target = actions.delegate(target, actor=d.street_staff, unit=d.community_unit, note="核实")
    target = actions.accept(target, actor=d.community_staff)
    follower, code = with_code(d, title="同一盏路灯")
    follower = _merge(d, follower, target)
    target = actions.resolve(target, actor=d.community_staff, reply="社区已修复。",
                             photos=[("fixed.png", png((7, 7, 7)))])
    assert target.state == State.PENDING_REVIEW
    assert photo_links(track_page(client, follower, code)) == []
    actions.review(target, actor=d.street_staff, approve=True)
    [link] = photo_links(track_page(client, follower, code))
    assert fetched(client.get(link)) == stored(target.attachments.get())


# ---------- no stray files ----------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_successful_action_stores_its_photo_file(d, media):
    appeal, _ = tracked(d)
    actions.add_progress(appeal, actor=d.cgj_staff, note="进展", public=True,
                         photos=[("a.png", png())])
    [path] = files(media)
    assert path.read_bytes() == png()


def test_a_refused_action_leaves_no_file(d, media):
    appeal, _ = tracked(d)
    with pytest.raises(actions.NotPermitted):
        actions.add_progress(appeal, actor=d.leader, note="进展", public=True,
                             photos=[("a.png", png())])
    assert files(media) == [] and not Attachment.objects.exists()


def test_an_action_failing_after_its_photos_were_written_leaves_no_file(d, media,
                                                                          monkeypatch):
    appeal, _ = tracked(d)

    def refuse(*args, **kwargs):
        assert len(files(media)) == 2  # the photos were written before the failure
        raise actions.TransitionNotAllowed("合并的诉求不能答复")

    monkeypatch.setattr(workflow, "answer_merged", refuse)
    with pytest.raises(actions.TransitionNotAllowed):
        actions.resolve(appeal, actor=d.cgj_staff, reply="已修复",
                        photos=[("a.png", png()), ("b.png", png((4, 4, 4)))])
    assert files(media) == [] and not Attachment.objects.exists()
    assert Appeal.objects.get(pk=appeal.pk).state == State.IN_PROGRESS


def test_a_submission_failing_after_its_photos_were_written_leaves_no_file(d, media,
                                                                           monkeypatch):
    from banshi.appeals.actions import intake

    def fail(appeal):
        raise RuntimeError("routing failed")

    monkeypatch.setattr(intake, "route_new_appeal", fail)
    with pytest.raises(RuntimeError):
        with_code(d, photos=[("a.png", png())])
    assert files(media) == [] and not Appeal.objects.exists()


def test_an_outer_photo_transaction_that_fails_takes_the_inner_files_with_it(d, media):
    appeal, _ = tracked(d)
    with pytest.raises(RuntimeError), photo_transaction():
        actions.add_progress(appeal, actor=d.cgj_staff, note="进展", public=True,
                             photos=[("a.png", png())])
        assert len(files(media)) == 1
        raise RuntimeError("the caller's work failed")
    assert files(media) == [] and not Attachment.objects.exists()


def test_photos_are_saved_only_inside_an_actions_photo_transaction(d, media):
    from banshi.appeals.photos import check_photos, save_photos

    appeal, _ = tracked(d)
    with pytest.raises(RuntimeError, match="photo_transaction"):
        save_photos(appeal, check_photos([("a.png", png())]), kind=PhotoKind.PROGRESS,
                    event=None, public=False)
    assert files(media) == []
