"""The demo's study and lectures reproduce the report (issue 9), counted here independently
from the records — by walking them in Python, not by the statistics' queries — and checked
against `GET /api/v1/stats/campaign`, the speakers' and venues' API and pages:
2 中心组 special sessions; 1,395 person-times over exactly four venues; "百名书记讲党史" 141
lectures by about 100 secretaries to 7,000+ person-times; 20+ experts' 35 talks to 3,992;
林山寨街道's 冯作义 and 王桂春; 开学第一课 《红船故事》 by 薛荣 at 郑州市实验小学."""

from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.campaign.choices import LECTURE_KINDS, SpeakerKind, StudyKind
from banshi.campaign.models import Campaign, Speaker, StudyActivity, Venue
from banshi.org.models import ApiToken

from .test_seed import seed, seeded  # noqa: F401 - a fixture

VENUE_NAMES = {"郑州美术馆新馆", "黄河博物馆", "任长霞纪念馆", "郑州烈士陵园"}


def by_speaker_kind() -> dict[str | None, tuple[int, int]]:
    """(activities, person-times) per speaker kind, walked one record at a time."""
    found: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for activity in StudyActivity.objects.select_related("speaker"):
        entry = found[activity.speaker.kind if activity.speaker else None]
        entry[0] += 1
        entry[1] += activity.person_times
    return {kind: (n, p) for kind, (n, p) in found.items()}


def api(path: str, **params):
    user = get_user_model().objects.get(username="dispatcher")
    return Client().get(f"/api/v1{path}", params,
                        headers={"Authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def test_every_activity_lies_within_the_campaign(seeded):  # noqa: F811
    start = Campaign.objects.current().started_on
    today = timezone.localdate()
    days = list(StudyActivity.objects.values_list("held_on", flat=True))
    assert days and all(start <= day <= today for day in days)


def test_lectures_and_audiences_per_speaker_kind(seeded):  # noqa: F811
    kinds = by_speaker_kind()
    secretaries, secretary_audience = kinds[SpeakerKind.SECRETARY]
    assert secretaries == 141 and secretary_audience >= 7000
    assert 95 <= Speaker.objects.filter(kind=SpeakerKind.SECRETARY).count() <= 105
    assert kinds[SpeakerKind.EXPERT] == (35, 3992)
    assert Speaker.objects.filter(kind=SpeakerKind.EXPERT).count() >= 20
    speakers = api("/campaign/speakers").json()
    for kind, (n, p) in kinds.items():
        if kind is None:
            continue
        assert sum(r["lectures"] for r in speakers if r["kind"] == kind) == n
        assert sum(r["audience"] for r in speakers if r["kind"] == kind) == p


def test_the_veterans_and_the_first_lesson(seeded):  # noqa: F811
    street = [a for a in StudyActivity.objects.select_related("speaker", "unit")
              if a.speaker and a.speaker.name in {"冯作义", "王桂春"}]
    assert {(a.speaker.name, a.speaker.kind, a.unit.code) for a in street} == {
        ("冯作义", SpeakerKind.VETERAN, "linshanzhai"),
        ("王桂春", SpeakerKind.MODEL, "linshanzhai")}
    lesson = StudyActivity.objects.get(kind=StudyKind.FIRST_LESSON)
    assert (lesson.speaker.name, lesson.title, lesson.place) == (
        "薛荣", "《红船故事》", "郑州市实验小学")
    assert lesson.person_times >= lesson.signins.count() > 0


def test_two_special_central_group_sessions_in_march_and_april(seeded):  # noqa: F811
    special = [a for a in StudyActivity.objects.select_related("unit") if a.is_special]
    assert len(special) == 2
    assert all(a.kind == StudyKind.CENTRAL_GROUP and a.unit.code == "qwb" for a in special)
    assert sorted(a.held_on.month for a in special) == [3, 4]
    assert StudyActivity.objects.filter(kind=StudyKind.THREE_ONE).values("unit").distinct(
        ).count() > 10
    assert StudyActivity.objects.filter(kind=StudyKind.PARTY_DAY).values("unit").distinct(
        ).count() > 10


def test_venue_visits_add_up_to_1395_over_the_four_venues(seeded, client):  # noqa: F811
    visits: Counter = Counter()
    people: Counter = Counter()
    for activity in StudyActivity.objects.select_related("venue"):
        if activity.venue is not None:
            visits[activity.venue.name] += 1
            people[activity.venue.name] += activity.person_times
    assert set(visits) == VENUE_NAMES == set(Venue.objects.values_list("name", flat=True))
    assert sum(people.values()) == 1395
    venues = {row["name"]: row for row in api("/campaign/venues").json()}
    assert {name: (row["visits"], row["person_times"]) for name, row in venues.items()} == {
        name: (visits[name], people[name]) for name in VENUE_NAMES}
    client.force_login(get_user_model().objects.get(username="dispatcher"))
    page = client.get(reverse("web:campaign-venues")).content.decode()
    assert '<span id="venue-person-times">1395</span>' in page


def test_the_campaign_statistics_agree(seeded):  # noqa: F811
    start = Campaign.objects.current().started_on
    figures = api("/stats/campaign", start=start.isoformat(),
                  end=timezone.localdate().isoformat()).json()
    rows = list(StudyActivity.objects.all())
    lectures = [a for a in rows if a.kind in LECTURE_KINDS]
    venues = [a for a in rows if a.venue_id]
    assert figures["study_activities"] == len(rows)
    assert figures["study_person_times"] == sum(a.person_times for a in rows)
    assert figures["lectures"] == len(lectures)
    assert figures["lecture_person_times"] == sum(a.person_times for a in lectures)
    assert (figures["venue_visits"], figures["venue_visit_person_times"]) == (len(venues), 1395)
    # every lecture of the report is one: 141 + 35 + the two guests + 开学第一课
    assert len(lectures) >= 141 + 35 + 2 + 1


def test_seeding_again_adds_nothing(seeded):  # noqa: F811
    before = (StudyActivity.objects.count(), Speaker.objects.count(), Venue.objects.count())
    output = seed()
    assert "学习与宣讲：已存在，跳过" in output
    assert (StudyActivity.objects.count(), Speaker.objects.count(),
            Venue.objects.count()) == before
