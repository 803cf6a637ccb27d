"""The demo's opinion boxes, household visits and liaisons reproduce the report's figures,
counted from the records (an independent count here), quickly and idempotently."""

import random
import time

import pytest
from django.db.models import Sum

from banshi.collection.models import (
    HouseholdVisit,
    Liaison,
    LiaisonContact,
    LiaisonPairing,
    OpinionBox,
)
from banshi.demo.collection_boxes import seed_boxes, seed_liaisons, seed_visits
from banshi.demo.seeding import load_reference_data

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_the_reports_figures():
    load_reference_data()
    started = time.monotonic()
    rng = random.Random(8)
    first = seed_boxes(rng) + seed_visits(rng) + seed_liaisons(rng)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"seeding took {elapsed:.1f}s"
    assert OpinionBox.objects.count() == 287
    desks = OpinionBox.objects.filter(kind="desk")
    assert desks.count() == 13
    assert {box.unit.parent.name for box in desks} == {"林山寨街道办事处"}
    assert HouseholdVisit.objects.aggregate(n=Sum("people_met"))["n"] == 5981
    tongbailu = HouseholdVisit.objects.filter(unit__parent__code="tongbailu").aggregate(
        n=Sum("people_met"))["n"]
    assert tongbailu > 5981 * 0.35
    xiliuhu = Liaison.objects.filter(unit__parent__code="xiliuhu")
    assert xiliuhu.count() == Liaison.objects.count() == 1200
    assert LiaisonPairing.objects.filter(liaison__in=xiliuhu).count() > 32_000
    assert 40 <= LiaisonContact.objects.filter(solved=True).count() < 50
    assert first["opinion_boxes"] == 287
    # a second run changes nothing
    again = seed_boxes(rng) + seed_visits(rng) + seed_liaisons(rng)
    assert not again and OpinionBox.objects.count() == 287
    assert HouseholdVisit.objects.aggregate(n=Sum("people_met"))["n"] == 5981
