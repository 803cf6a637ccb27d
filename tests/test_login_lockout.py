"""Login brute force: /login/, /admin/login/ and POST /api/v1/auth/token share one lockout policy
(per account and per client address), with a Chinese message."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from .factories import PASSWORD

LOCKED = "登录失败次数过多"
LIMIT = 5  # BANSHI_LOGIN_FAILURE_LIMIT's default
IP_LIMIT = 30  # BANSHI_LOGIN_IP_FAILURE_LIMIT's default


def web_login(client, username, password, path="/login/"):
    return client.post(path, {"username": username, "password": password})


def token_login(client, username, password):
    return client.post("/api/v1/auth/token", json.dumps(
        {"username": username, "password": password}), content_type="application/json")


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def superuser(d):
    return get_user_model().objects.create_superuser("root", password=PASSWORD)


def test_web_login_locks_the_account_after_repeated_failures(d):
    client = Client()
    for _ in range(LIMIT + 1):
        web_login(client, "dispatcher", "wrong")
    response = web_login(client, "dispatcher", PASSWORD)
    assert response.status_code == 429 and not logged_in(client)
    text = response.content.decode()
    assert LOCKED in text and "15分钟后再试" in text and "联系管理员" in text
    assert "办实事工作平台" in text  # the project's own page, not axes' plain text


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(d):
    client = Client()
    for _ in range(LIMIT - 1):
        assert web_login(client, "dispatcher", "wrong").status_code == 200
    assert web_login(client, "dispatcher", PASSWORD).status_code == 302
    assert logged_in(client)


def test_admin_login_locks_the_same_way(d, superuser):
    client = Client()
    for _ in range(LIMIT + 1):
        web_login(client, "root", "wrong", "/admin/login/")
    response = web_login(client, "root", PASSWORD, "/admin/login/")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)


def test_failures_on_one_door_count_on_the_others(d, superuser):
    client = Client()
    for _ in range(3):
        web_login(client, "root", "wrong", "/admin/login/")
    for _ in range(3):
        token_login(client, "root", "wrong")
    assert web_login(client, "root", PASSWORD).status_code == 429


def test_token_endpoint_locks_with_429_and_chinese_detail(d):
    client = Client()
    statuses = [token_login(client, "dispatcher", "wrong").status_code for _ in range(LIMIT + 1)]
    assert statuses[:LIMIT - 1] == [401] * (LIMIT - 1) and statuses[-1] == 429
    response = token_login(client, "dispatcher", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.json()["detail"] and "token" not in response.json()


def test_lockout_is_per_account_not_for_everyone(d):
    client = Client()
    for _ in range(LIMIT + 1):
        web_login(client, "dispatcher", "wrong")
    assert web_login(Client(), "leader", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(d):
    client = Client()
    for n in range(IP_LIMIT):
        web_login(client, f"unit-{n:03d}", "wrong")  # one try each: no account lock
    assert web_login(client, "leader", PASSWORD).status_code == 429
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert web_login(other_address, "leader", PASSWORD).status_code == 302


def test_forwarded_for_header_does_not_escape_the_address_lock(d):
    client = Client()
    for n in range(IP_LIMIT):
        client.post("/login/", {"username": f"unit-{n:03d}", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post("/login/", {"username": "leader", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_lockout_ends_after_the_cool_off(d):
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(LIMIT + 1):
        web_login(client, "dispatcher", "wrong")
    assert web_login(client, "dispatcher", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert web_login(client, "dispatcher", PASSWORD).status_code == 302


def test_cool_off_is_configurable(d, settings):
    from axes.models import AccessAttempt

    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=60)
    client = Client()
    for _ in range(LIMIT):
        web_login(client, "dispatcher", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    response = web_login(client, "dispatcher", PASSWORD)
    assert response.status_code == 429 and "60分钟后再试" in response.content.decode()


def test_successful_login_clears_the_accounts_failures(d):
    client = Client()
    for _ in range(LIMIT - 1):
        web_login(client, "dispatcher", "wrong")
    assert web_login(client, "dispatcher", PASSWORD).status_code == 302
    client = Client()
    for _ in range(LIMIT - 1):
        web_login(client, "dispatcher", "wrong")
    assert web_login(client, "dispatcher", PASSWORD).status_code == 302


def test_token_success_clears_failures_too(d):
    client = Client()
    for _ in range(LIMIT - 1):
        token_login(client, "dispatcher", "wrong")
    assert token_login(client, "dispatcher", PASSWORD).status_code == 200
    for _ in range(LIMIT - 1):
        token_login(client, "dispatcher", "wrong")
    assert token_login(client, "dispatcher", PASSWORD).status_code == 200


def test_own_login_does_not_clear_the_failures_against_other_accounts(d):
    client = Client()
    for _ in range(LIMIT - 1):
        web_login(client, "leader", "wrong")
    assert web_login(client, "dispatcher", PASSWORD).status_code == 302
    client.logout()
    web_login(client, "leader", "wrong")
    assert web_login(client, "leader", PASSWORD).status_code == 429


def test_admin_lists_lockouts_and_unlocks(d, superuser):
    from axes.models import AccessAttempt

    for _ in range(LIMIT + 1):
        web_login(Client(), "dispatcher", "wrong")
    admin = Client()
    admin.force_login(superuser)
    listing = admin.get("/admin/org/loginfailure/")
    assert listing.status_code == 200
    assert "dispatcher" in listing.content.decode() and "登录失败记录" in listing.content.decode()
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    admin.post("/admin/org/loginfailure/", {"action": "unlock", "_selected_action": ids})
    assert not AccessAttempt.objects.exists()
    assert web_login(Client(), "dispatcher", PASSWORD).status_code == 302
