"""Data at rest and in transit: a private data directory, responses that caches do not keep,
HTTPS settings that pass Django's deployment check, and a Content-Security-Policy."""

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from banshi.org.models import ApiToken

from .factories import PASSWORD, with_code

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "banshi" / "web" / "templates"
STRONG_KEY = "k3J9-vQ2xLr8Tz6WnB4yPa7Hs1DfGm5Ue0CiZo3XqRt9VbNkYw2Mj8Ls6Hd4Fg_p"


def banshi(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "banshi.manage", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANSHI_")
           and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return env | extra


def test_the_data_directory_and_its_files_are_private(tmp_path):
    data = tmp_path / "fresh" / "var"
    env = clean_env(BANSHI_DATA_DIR=str(data))
    assert banshi("migrate", "--noinput", env=env).returncode == 0
    touch_all = ("from django.core.cache import cache; cache.set('probe', 1);"
                 "from huey.contrib.djhuey import HUEY; HUEY.pending_count();"
                 "from django.core.files.base import ContentFile;"
                 "from django.core.files.storage import default_storage;"
                 "default_storage.save('exports/probe.xlsx', ContentFile(b'x'))")
    assert banshi("shell", "-c", touch_all, env=env).returncode == 0
    names = {p.name for p in data.rglob("*")}
    assert {"banshi.sqlite3", "secret_key", "tasks.sqlite3", "cache", "probe.xlsx"} <= names
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    loose = [f"{p.relative_to(data)} {stat.S_IMODE(p.stat().st_mode):o}"
             for p in data.rglob("*") if p.stat().st_mode & 0o077]
    assert loose == []


def test_an_existing_data_directory_is_made_private_on_start(tmp_path):
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    (data / "banshi.sqlite3").touch(mode=0o644)
    assert banshi("check", env=clean_env(BANSHI_DATA_DIR=str(data))).returncode == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "banshi.sqlite3").stat().st_mode) == 0o600


def test_check_warns_about_a_data_directory_open_to_others(settings, tmp_path):
    from banshi.web.checks import data_dir_is_private

    settings.DATA_DIR = tmp_path
    tmp_path.chmod(0o700)
    assert data_dir_is_private(None) == []
    tmp_path.chmod(0o750)
    assert [w.id for w in data_dir_is_private(None)] == ["banshi.W001"]


def test_deployment_check_is_clean_over_https(tmp_path):
    env = clean_env(BANSHI_DATA_DIR=str(tmp_path), BANSHI_HTTPS="1", BANSHI_DEBUG="0",
                    BANSHI_SECRET_KEY=STRONG_KEY,
                    BANSHI_ALLOWED_HOSTS="banshi.example.gov.cn")
    result = banshi("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def _settings_under(tmp_path, **env: str) -> dict:
    names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE",
             "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"]
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))")
    result = banshi("shell", "-c", code,
                    env=clean_env(BANSHI_DATA_DIR=str(tmp_path), BANSHI_SECRET_KEY="x", **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_settings_and_the_proxy_header_only_from_trusted_proxies(tmp_path):
    plain = _settings_under(tmp_path)
    assert not plain["SECURE_SSL_REDIRECT"] and not plain["SESSION_COOKIE_SECURE"]
    direct = _settings_under(tmp_path, BANSHI_HTTPS="1")
    assert direct["SECURE_SSL_REDIRECT"] and direct["SECURE_HSTS_SECONDS"] >= 31536000
    assert direct["SESSION_COOKIE_SECURE"] and direct["CSRF_COOKIE_SECURE"]
    assert direct["SECURE_PROXY_SSL_HEADER"] is None  # nobody may claim "this was HTTPS"
    proxied = _settings_under(tmp_path, BANSHI_HTTPS="1", BANSHI_TRUSTED_PROXIES="10.0.0.1")
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_api_answers_and_staff_pages_are_not_stored(d):
    appeal, code = with_code(d)
    resident = Client()
    assert _no_store(resident.get("/api/v1/appeals/track",
                                  {"number": appeal.number, "code": code}))
    token = ApiToken.objects.issue(d.dispatcher)
    staff_api = Client(headers={"Authorization": f"Bearer {token}"})
    for path in ("/api/v1/appeals", f"/api/v1/appeals/{appeal.number}", "/api/v1/units"):
        response = staff_api.get(path)
        assert response.status_code == 200 and _no_store(response), path
    staff = Client()
    assert staff.login(request=HttpRequest(), username=d.dispatcher.username, password=PASSWORD)
    for name, args in (("web:home", []), ("web:ledger", []), ("web:case", [appeal.number])):
        response = staff.get(reverse(name, args=args))
        assert response.status_code == 200 and _no_store(response), name


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_sends_a_content_security_policy(d):
    staff = Client()
    assert staff.login(request=HttpRequest(), username=d.dispatcher.username, password=PASSWORD)
    pages = [(Client(), "/"), (Client(), "/h5/submit/"), (Client(), "/login/"),
             (Client(), "/admin/login/"), (Client(), "/api/v1/docs"),
             (Client(), "/api/v1/openapi.json"), (staff, "/staff/"), (staff, "/staff/appeals/"),
             (Client(), "/no-such-page/")]
    for client, path in pages:
        policy = _policy(client.get(path))
        assert policy["default-src"] == ["'self'"], path
        for directive in ("script-src", "style-src"):
            assert policy.get(directive, ["'self'"]) == ["'self'"], (path, directive)
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_scripts_or_styles(template):
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html and not re.search(r"\sstyle=", html), "inline style"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
