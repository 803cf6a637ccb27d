"""The demo district's collection records (issue 8) and the link from demo appeals to them.

`seed_collection` runs each part's seeder (symposiums, online groups, questionnaires, boxes,
household visits, liaisons; each idempotent). `Sources` lets the appeals' story file an
appeal collected at a symposium, from an opinion box, on a household visit or in a
questionnaire with that record as its source (Appeal.source), so the channel figures and
the records agree.
"""

import bisect
import datetime as dt
import random
from collections import Counter, defaultdict

from django.db.models import Model
from django.utils import timezone

from banshi.appeals.choices import Channel
from banshi.collection.models import BoxOpening, HouseholdVisit, Response, Symposium
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from .collection_boxes import seed_boxes, seed_liaisons, seed_visits
from .collection_surveys import seed_surveys
from .collection_symposiums import seed_groups, seed_symposiums

# What the seeders' counters name, for the command's report.
LABELS = {
    "symposiums": "座谈会(场)", "attendees": "参会人员名单(人)", "groups": "群组(个)",
    "messages": "贴入消息(条)", "questionnaires": "问卷(份)", "distributed": "发放(份)",
    "returned": "回收(份)", "opinion_boxes": "意见箱(个)", "box_openings": "开箱(次)",
    "box_slips": "意见(条)", "household_visits": "走访(户次)",
    "household_visit_person_times": "走访(人次)", "liaisons": "联络员(人)",
    "liaison_households": "结对户(户)", "liaison_solved": "解决问题(个)",
}

# Messages pasted from each street's groups (each becomes an appeal through the action).
MESSAGES_PER_STREET = 1



def seed_collection(seed: int, messages: bool = True) -> list[str]:
    """Seed every part's records (with `messages`, a message pasted from each street's
    groups, each an appeal); one line per part saying what was created."""
    per_street = MESSAGES_PER_STREET if messages else 0
    seeders = [
        ("座谈会", seed_symposiums),
        ("网络群组", lambda rng: seed_groups(rng, messages_per_street=per_street)),
        ("调查问卷", seed_surveys),
        ("意见箱", seed_boxes),
        ("入户走访", seed_visits),
        ("联络员结对", seed_liaisons),
    ]
    lines = []
    for offset, (label, seeder) in enumerate(seeders):
        done = seeder(random.Random(seed + offset))
        if isinstance(done, Counter):
            done = "，".join(f"{LABELS.get(key, key)} {value}"
                             for key, value in sorted(done.items())) or "已存在"
        lines.append(f"{label}：{done}")
    return lines


class Sources:
    """Collection records by street and day, to pick the one an appeal came from: a record
    of the appeal's street (its community's first) held on or before the day collected."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.by_channel: dict[str, dict[str, tuple[list[dt.date], list[Model]]]] = {}
        streets = {u.pk: u for u in Unit.objects.all()}
        for channel, rows in self._rows():
            grouped: dict[str, list[tuple[dt.date, int, Model]]] = defaultdict(list)
            for day, unit_id, record in rows:
                street = _street_of(streets, unit_id)
                if street is not None:
                    grouped[street.code].append((day, record.pk, record))
            self.by_channel[channel] = {
                code: ([day for day, _pk, _r in items], [r for _day, _pk, r in items])
                for code, items in ((c, sorted(v, key=lambda i: i[:2]))
                                    for c, v in grouped.items())}

    @staticmethod
    def _rows():
        yield Channel.SYMPOSIUM, ((s.held_on, s.unit_id, s) for s in Symposium.objects.all())
        yield Channel.OPINION_BOX, ((o.opened_on, o.box.unit_id, o) for o in
                                    BoxOpening.objects.select_related("box"))
        yield Channel.HOUSEHOLD_VISIT, ((v.visited_on, v.unit_id, v)
                                        for v in HouseholdVisit.objects.all())
        # a questionnaire's text answers: a sample of the returned copies is enough
        responses = Response.objects.only("pk", "unit_id", "submitted_at").order_by("pk")
        yield Channel.SURVEY, ((timezone.localdate(r.submitted_at), r.unit_id, r)
                               for r in responses[:3000])

    def pick(self, channel: str, street: Unit, day: dt.date) -> Model | None:
        days, records = self.by_channel.get(channel, {}).get(street.code, ([], []))
        held = bisect.bisect_right(days, day)
        if not held:
            return None
        return records[self.rng.randrange(max(0, held - 5), held)]


def _street_of(units: dict[int, Unit], unit_id: int) -> Unit | None:
    unit = units.get(unit_id)
    while unit is not None and unit.kind != UnitKind.STREET:
        unit = units.get(unit.parent_id) if unit.parent_id else None
    return unit
