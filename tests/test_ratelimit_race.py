"""The submission limit holds under concurrency: 40 residents behind one address post at the
same moment to a real server (waitress, in its own process) and exactly the limit get in."""

import json
import os
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
