"""The submission limit holds under concurrency: 40 residents behind one address post at the
same moment to a real server (waitress, in its own process) and exactly the limit get in."""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

LIMIT = 20
CLIENTS = 40
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(tmp_path) -> dict:
    env = os.environ | {"BANSHI_DATA_DIR": str(tmp_path), "BANSHI_SECRET_KEY": "race",
                        "BANSHI_SUBMIT_RATE": f"{LIMIT}/h",
                        "BANSHI_DEVICE_SUBMIT_RATE": "1000/h"}
    env.pop("BANSHI_REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if connection.vendor == "postgresql":  # the test database pytest-django created
        db = connection.settings_dict
        env["DATABASE_URL"] = (f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}"
                               f"/{db['NAME']}")
    else:
        subprocess.run([sys.executable, "-m", "banshi.manage", "migrate", "--noinput"],
                       env=env, check=True, capture_output=True, timeout=180, cwd=ROOT)
    return env


@pytest.fixture
def server(tmp_path, transactional_db):
    port = free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=24",
         "banshi.wsgi:application"], env=server_env(tmp_path), cwd=ROOT, stdout=log,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            try:
                urllib.request.urlopen(f"{url}/", timeout=2)  # noqa: S310
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def post(url: str, device: int, start: threading.Barrier) -> int:
    body = json.dumps({"title": "路灯不亮", "content": f"第{device}位居民：路灯不亮。"}).encode()
    request = urllib.request.Request(
        f"{url}/api/v1/appeals", data=body, method="POST",
        headers={"Content-Type": "application/json", "X-Banshi-Device": f"phone-{device}"})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_forty_residents_at_once_get_exactly_the_limit(server):
    start = threading.Barrier(CLIENTS)
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = list(pool.map(lambda n: post(server, n, start), range(CLIENTS)))
    assert statuses.count(201) == LIMIT, statuses
    assert statuses.count(429) == CLIENTS - LIMIT, statuses


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of this test's own (Debian's redis-server), gone when the test ends."""
    from .conftest import REQUIRE

    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRE:
            pytest.fail("redis-server not found (apt-get install redis-server)")
        pytest.skip("redis-server not found (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def on_redis(settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url}}
    settings.BANSHI_RATE_LIMIT_STORE = "cache"
    settings.BANSHI_SUBMIT_RATE = f"{LIMIT}/h"
    settings.BANSHI_DEVICE_SUBMIT_RATE = "1000/h"
    return settings


def resident_request(device: int):
    from django.test import RequestFactory

    return RequestFactory().post("/api/v1/appeals", REMOTE_ADDR="203.0.113.50",
                                 HTTP_X_BANSHI_DEVICE=f"phone-{device}")


def test_on_redis_forty_threads_get_exactly_the_limit(on_redis):
    from banshi.web import ratelimit

    start = threading.Barrier(CLIENTS)

    def one(device: int) -> bool:
        start.wait()
        try:
            with ratelimit.reserve(resident_request(device), "submit"):
                return True
        except ratelimit.RateLimited:
            return False

    with ThreadPoolExecutor(CLIENTS) as pool:
        accepted = list(pool.map(one, range(CLIENTS)))
    assert accepted.count(True) == LIMIT


def test_on_redis_failed_work_gives_its_place_back(on_redis):
    from banshi.web import ratelimit

    for device in range(5):
        with pytest.raises(ZeroDivisionError), ratelimit.reserve(resident_request(device),
                                                                  "submit"):
            1 / 0  # noqa: B018 - the work fails
    for device in range(LIMIT):
        with ratelimit.reserve(resident_request(device), "submit"):
            pass
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.attempt(resident_request(99), "submit")
