"""The handling page's second table, grouped by level, street, category, aspect, channel or
month (?by=…): every grouping covers each received appeal once; an unknown grouping falls
back to the level; hostile values never crash it."""

import re

import pytest
from django.test import Client

from banshi.reports.metrics import handling_by, handling_figures

from .factories import HOSTILE, today
from .test_reports_dashboard import dworld  # noqa: F401 - a layer fixture

PAGE = "/staff/reports/handling/"


def page(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(PAGE, params)


@pytest.mark.parametrize("by", ["level", "street", "category", "aspect", "channel", "month"])
def test_each_grouping_adds_up_to_the_period(d, dworld, by):  # noqa: F811
    day = today()
    total = handling_figures(d.dispatcher, day, day)["received"]
    rows = handling_by(d.dispatcher, day, day, by)
    assert sum(row["received"] for row in rows) == total == 5
    response = page(d.dispatcher, start=day.isoformat(), end=day.isoformat(), by=by)
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split(f'id="by-{by}"')[1].split("</table>")[0]
    received = [int(n) for n in re.findall(r'<td>[^<]*</td><td class="num">(\d+)</td>', table)]
    assert sum(received) == total


def test_an_unknown_or_hostile_grouping_shows_the_levels(d, dworld):  # noqa: F811
    for value in ["nonsense", *HOSTILE]:
        response = page(d.dispatcher, by=value)
        assert response.status_code == 200
        assert 'id="by-level"' in response.content.decode()
