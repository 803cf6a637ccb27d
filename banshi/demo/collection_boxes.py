"""The demo district's opinion boxes, household visits and liaisons — the records behind the
report's "设置征集意见箱287个" (13 of them 林山寨街道's 征求意见台),
"入户走访群众5981人次" and 西流湖街道's
"1200名党员联络员结对32000余户，解决问题40余个".

The volumes are written with bulk_create (no per-row action: these are the demo's historical
records, not workflow changes), so seeding takes seconds. Being a historical load of
fixtures, they write no 操作记录 (collection RecordEvent): their records' logs start empty. Each
seeder is idempotent: it does nothing when its records are there already. The figures are
the records' own counts; no page reads a constant from here.
"""

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from banshi.collection.choices import BoxKind, BoxStatus
from banshi.collection.models import (
    BoxOpening,
    HouseholdVisit,
    Liaison,
    LiaisonContact,
    LiaisonPairing,
    OpinionBox,
)
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from .collection_common import CAMPAIGN_START
from .seeding import GIVEN_NAMES, ROADS, SURNAMES

BOXES = 287
DESKS_AT_LINSHANZHAI = 13
VISIT_PERSON_TIMES = 5981
SWEEP_SHARE = 0.4  # 桐柏路街道's door-to-door sweep: this share of the person-times
LIAISONS = 1200
HOUSEHOLDS = 32_460
SOLVED = 43
UNSOLVED = 90
BATCH = 2000


def _today() -> dt.date:
    return max(timezone.localdate(), CAMPAIGN_START + dt.timedelta(days=30))


def _day(rng: random.Random, start: dt.date = CAMPAIGN_START) -> dt.date:
    span = max(0, (_today() - start).days)
    return start + dt.timedelta(days=rng.randint(0, span))


def _communities(street_code: str | None = None) -> list[Unit]:
    units = Unit.objects.filter(kind=UnitKind.COMMUNITY, is_active=True).select_related(
        "region", "parent")
    if street_code:
        units = units.filter(parent__code=street_code)
    return list(units.order_by("code"))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _address(rng: random.Random) -> str:
    return (f"{rng.choice(ROADS)}{rng.randint(1, 280)}号{rng.randint(1, 30)}号楼"
            f"{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}")


def _box_places(rng: random.Random, community: Unit) -> str:
    spots = ("社区党群服务中心门口", "小区东门", "小区西门", "便民服务站", "菜市场入口",
             "公交站旁", "广场宣传栏旁", "物业服务中心")
    return f"{community.region.name if community.region else community.name}{rng.choice(spots)}"


@transaction.atomic
def seed_boxes(rng: random.Random) -> Counter:
    """287 boxes and desks (13 desks at 林山寨街道's communities), opened over the campaign."""
    done: Counter = Counter()
    if OpinionBox.objects.exists():
        return done
    linshanzhai = _communities("linshanzhai")
    everywhere = _communities()
    if not linshanzhai or not everywhere:
        return done
    boxes = []
    for i in range(BOXES):
        desk = i < DESKS_AT_LINSHANZHAI
        unit = linshanzhai[i % len(linshanzhai)] if desk else everywhere[i % len(everywhere)]
        boxes.append(OpinionBox(
            unit=unit, code=f"ZY-{'T' if desk else 'X'}{i + 1:03d}",
            kind=BoxKind.DESK if desk else BoxKind.BOX, place=_box_places(rng, unit),
            region=unit.region, status=BoxStatus.ACTIVE if rng.random() > .03
            else BoxStatus.SUSPENDED,
            installed_on=CAMPAIGN_START + dt.timedelta(days=rng.randint(0, 20))))
    boxes = OpinionBox.objects.bulk_create(boxes, batch_size=BATCH)
    openings = []
    for box in boxes:
        for _ in range(rng.randint(1, 6)):
            openings.append(BoxOpening(
                box=box, opened_on=_day(rng, box.installed_on + dt.timedelta(days=7)),
                opened_by=f"{_person(rng)}、{_person(rng)}", slips=rng.randint(0, 9)))
    BoxOpening.objects.bulk_create(openings, batch_size=BATCH)
    done.update(opinion_boxes=len(boxes), box_openings=len(openings),
                box_slips=sum(o.slips for o in openings))
    return done


def _visit(rng: random.Random, unit: Unit, people: int) -> HouseholdVisit:
    return HouseholdVisit(
        unit=unit, region=unit.region, visited_on=_day(rng),
        visitors=f"{_person(rng)}、{_person(rng)}", household_name=_person(rng),
        address=_address(rng), people_met=people,
        notes=rng.choice(("了解家庭情况，宣传活动政策", "收集对小区环境的意见",
                          "询问老人生活需求", "登记反映的问题，已转社区办理", "")))


@transaction.atomic
def seed_visits(rng: random.Random) -> Counter:
    """Household visits adding up to exactly 5,981 person-times; 桐柏路街道's sweep holds a
    large share of them."""
    done: Counter = Counter()
    if HouseholdVisit.objects.exists():
        return done
    sweep, everywhere = _communities("tongbailu"), _communities()
    if not everywhere:
        return done
    sweep = sweep or everywhere
    visits, total = [], 0
    target_sweep = int(VISIT_PERSON_TIMES * SWEEP_SHARE)
    while total < VISIT_PERSON_TIMES:
        people = min(rng.randint(1, 4), VISIT_PERSON_TIMES - total)
        unit = rng.choice(sweep if total < target_sweep else everywhere)
        visits.append(_visit(rng, unit, people))
        total += people
    HouseholdVisit.objects.bulk_create(visits, batch_size=BATCH)
    done.update(household_visits=len(visits), household_visit_person_times=total)
    return done


@transaction.atomic
def seed_liaisons(rng: random.Random) -> Counter:
    """西流湖街道: 1,200 liaisons paired with 32,460 households; 43 problems solved through
    their contacts (and some contacts that solved nothing)."""
    done: Counter = Counter()
    communities = _communities("xiliuhu")
    if not communities or Liaison.objects.filter(unit__in=communities).exists():
        return done
    liaisons = Liaison.objects.bulk_create([
        Liaison(unit=(unit := communities[i % len(communities)]), region=unit.region,
                name=_person(rng), phone=f"139{rng.randrange(10**8):08d}",
                branch=f"{unit.region.name if unit.region else unit.name}第{i % 6 + 1}党支部",
                appointed_on=CAMPAIGN_START + dt.timedelta(days=rng.randint(0, 30)))
        for i in range(LIAISONS)], batch_size=BATCH)
    pairings = []
    for i in range(HOUSEHOLDS):
        liaison = liaisons[i % LIAISONS]
        pairings.append(LiaisonPairing(
            liaison=liaison, region=liaison.region, household_name=_person(rng),
            address=_address(rng), paired_on=liaison.appointed_on))
    pairings = LiaisonPairing.objects.bulk_create(pairings, batch_size=BATCH)
    picked = rng.sample(pairings, SOLVED + UNSOLVED)
    contacts = [LiaisonContact(
        pairing=p, contacted_on=_day(rng, p.paired_on), solved=i < SOLVED,
        note=rng.choice(("楼道灯不亮，联系物业已修好", "反映下水道堵塞，协调疏通",
                         "独居老人需要助餐，已对接社区食堂", "了解近况，无诉求",
                         "咨询医保报销政策，已解答")))
        for i, p in enumerate(picked)]
    LiaisonContact.objects.bulk_create(contacts, batch_size=BATCH)
    done.update(liaisons=len(liaisons), liaison_households=len(pairings),
                liaison_solved=SOLVED)
    return done
