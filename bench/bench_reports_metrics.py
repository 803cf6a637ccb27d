"""The handling statistics at demo size: `GET /api/v1/stats/handling` for the campaign so far,
the 红黑榜 of a month and a unit's 12-month page, each timed over a few runs (target: under
300 ms for the statistics call). Run on a database the demo was seeded into:

    export BANSHI_DATA_DIR=… BANSHI_SECRET_KEY=…
    .venv/bin/banshi migrate && .venv/bin/banshi seed-demo
    .venv/bin/python bench/bench_reports_metrics.py [--runs 5]

Prints the median and the worst time of each, and the number of appeals counted (the worst
of the first case includes the process's first request: URL and schema set-up). On the demo
(2,119 appeals) the statistics call's median was about 80 ms, the handling page's 100 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banshi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from banshi.appeals.models import Appeal  # noqa: E402
from banshi.org.models import ApiToken, Staff  # noqa: E402
from banshi.reports import ranking  # noqa: E402

HOST = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".") or "localhost"


def timed(runs: int, call) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    bounds = Appeal.objects.aggregate(first=Min("collected_at"), last=Max("collected_at"))
    if bounds["first"] is None:
        sys.exit("no appeals: run `banshi seed-demo` first")
    start = timezone.localtime(bounds["first"]).date()
    end = timezone.localtime(bounds["last"]).date()
    user = Staff.objects.filter(role="dispatcher").first().user
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    params = {"start": start.isoformat(), "end": end.isoformat()}

    def api():
        response = Client(HTTP_HOST=HOST).get("/api/v1/stats/handling", params, headers=headers)
        assert response.status_code == 200, response.content

    month = timezone.localtime(bounds["last"]).date()
    unit = ranking.district_units()[0]
    cases = [("GET /api/v1/stats/handling", api),
             ("ranking.monthly_ranking", lambda: ranking.monthly_ranking(month)),
             ("/staff/reports/handling/", lambda: client.get("/staff/reports/handling/", params)),
             (f"/staff/reports/units/{unit.code}/",
              lambda: client.get(f"/staff/reports/units/{unit.code}/"))]
    print(f"{Appeal.objects.count()} appeals, {start} … {end}, {runs} runs each")
    for name, call in cases:
        median, worst = timed(runs, call)
        print(f"{name:45} median {median:7.1f} ms   worst {worst:7.1f} ms")


if __name__ == "__main__":
    main()
