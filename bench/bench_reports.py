"""Dashboard and statistics at demo size: each page and API answer timed over repeated requests.

    .venv/bin/python bench/bench_reports.py [--runs 20] [--data-dir DIR]

Seeds the demo district (`banshi seed-demo`: 2,119 appeals and every collection and campaign
record) into a fresh SQLite database in DIR (a temporary folder by default; an existing seeded
DIR is reused), then requests each page and API operation through Django's test client as the
dispatcher (whole district) and as the demo leader (包联 first), the campaign period as the
period, and prints the median, p95 and max milliseconds of each. The target: every answer in
under 300 ms.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    os.environ["BANSHI_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="banshi-bench-")
    os.environ.setdefault("BANSHI_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banshi.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from banshi.appeals.models import Appeal
    from banshi.campaign.models import campaign_start
    from banshi.org.models import ApiToken

    setup_test_environment()  # the test client's ALLOWED_HOSTS
    call_command("migrate", verbosity=0)
    if not Appeal.objects.exists():
        started = time.monotonic()
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"seeded the demo in {time.monotonic() - started:.0f} s")
    period = {"start": campaign_start().isoformat(), "end": timezone.localdate().isoformat()}
    print(f"{Appeal.objects.count()} appeals, period {period['start']} – {period['end']}, "
          f"{args.runs} runs each")
    users = get_user_model().objects
    targets = [
        ("dispatcher", "/staff/reports/dashboard/", period),
        ("leader", "/staff/reports/dashboard/", period),
        ("dispatcher", "/staff/campaign/", period),
        ("dispatcher", "/staff/stats/collection/", period),
        ("dispatcher", "/api/v1/stats/collection", period),
        ("dispatcher", "/api/v1/stats/campaign", period),
        ("dispatcher", "/api/v1/stats/handling", period),
        ("dispatcher", "/staff/reports/handling/", period),
    ]
    for username, path, params in targets:
        user = users.get(username=username)
        client = Client()
        headers = {}
        if path.startswith("/api/"):
            headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
        else:
            client.force_login(user)
        client.get(path, params, headers=headers)  # warm up
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(path, params, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        print(f"{username:10s} {path:32s} median {statistics.median(times):6.1f} ms  "
              f"p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms")


if __name__ == "__main__":
    main()
