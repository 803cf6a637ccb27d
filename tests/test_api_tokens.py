"""API tokens: they expire, are stored hashed, can be revoked by their holder and in /admin/,
die with a password change or deactivation, are purged, and do not pile up."""

import datetime as dt
import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from banshi.org.models import ApiToken

from .factories import PASSWORD

API = "/api/v1"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def works(token: str) -> bool:
    status = Client().get(f"{API}/appeals", headers=bearer(token)).status_code
    assert status in (200, 401)
    return status == 200


def issue_over_http(username="dispatcher") -> str:
    response = Client().post(f"{API}/auth/token", json.dumps(
        {"username": username, "password": PASSWORD}), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_token_from_the_year_2000_is_refused(d):
    token = ApiToken.objects.issue(d.dispatcher)
    assert works(token)
    ApiToken.objects.update(created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                            expires_at=dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC))
    assert not works(token)


def test_token_expires_after_the_configured_ttl(d, settings):
    settings.BANSHI_TOKEN_TTL = dt.timedelta(hours=2)
    response = Client().post(f"{API}/auth/token", json.dumps(
        {"username": "dispatcher", "password": PASSWORD}), content_type="application/json")
    body = response.json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(hours=2))) < dt.timedelta(minutes=1)
    row = ApiToken.objects.get()
    assert abs(row.expires_at - expires) < dt.timedelta(seconds=1)
    row.expires_at = timezone.now() - dt.timedelta(seconds=1)
    row.save()
    assert not works(body["token"])


def test_stored_value_is_a_digest_not_the_token(d):
    token = issue_over_http()
    row = ApiToken.objects.get()
    stored = [str(getattr(row, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(token in value for value in stored)
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:8]


def test_delete_revokes_the_presented_token_only(d):
    first, second = issue_over_http(), issue_over_http()
    response = Client().delete(f"{API}/auth/token", headers=bearer(first))
    assert response.status_code == 204
    assert not works(first) and works(second)
    assert Client().delete(f"{API}/auth/token", headers=bearer(first)).status_code == 401


def test_password_change_revokes_all_tokens(d):
    tokens = [issue_over_http(), issue_over_http()]
    other = issue_over_http("leader")
    user = d.dispatcher
    user.set_password("a-new-password-2025")
    user.save()
    assert not any(works(t) for t in tokens) and works(other)
    assert not ApiToken.objects.filter(user=user).exists()


def test_password_changed_in_bulk_revokes_too(d):
    """`seed-demo --reset-passwords` and other bulk updates send no signals."""
    from django.contrib.auth.hashers import make_password

    token = issue_over_http()
    get_user_model().objects.filter(pk=d.dispatcher.pk).update(
        password=make_password("bulk-reset-password"))
    assert not works(token)


def test_password_change_in_admin_revokes_tokens(d):
    token = issue_over_http()
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    admin = Client()
    admin.force_login(root)
    new = "another-strong-password-77"
    response = admin.post(f"/admin/auth/user/{d.dispatcher.pk}/password/",
                          {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not works(token)


def test_unrelated_save_keeps_tokens(d):
    token = issue_over_http()
    user = d.dispatcher
    user.first_name = "张"
    user.save()
    assert works(token)


def test_deactivation_revokes_and_reactivation_does_not_revive(d):
    token = issue_over_http()
    user = d.dispatcher
    user.is_active = False
    user.save()
    assert not works(token)
    user.is_active = True
    user.save()
    assert not works(token)


def test_last_use_is_recorded(d):
    token = issue_over_http()
    assert ApiToken.objects.get().last_used_at is None
    assert works(token)
    assert ApiToken.objects.get().last_used_at is not None


def test_purge_deletes_expired_tokens_only(d):
    live = ApiToken.objects.issue(d.dispatcher)
    ApiToken.objects.issue(d.leader)
    ApiToken.objects.filter(user=d.leader).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("purge_api_tokens")
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["dispatcher"]
    assert works(live)


def test_purge_task_runs_in_the_worker(d):
    from banshi.org.tasks import purge_expired_tokens

    ApiToken.objects.issue(d.leader)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    purge_expired_tokens.call_local()
    assert not ApiToken.objects.exists()


def test_many_logins_do_not_pile_up_tokens(d, settings):
    for _ in range(425):
        newest = ApiToken.objects.issue(d.dispatcher)
    assert ApiToken.objects.filter(user=d.dispatcher).count() == settings.BANSHI_TOKEN_MAX_PER_USER
    assert works(newest)
    tokens = [issue_over_http() for _ in range(settings.BANSHI_TOKEN_MAX_PER_USER + 1)]
    assert ApiToken.objects.count() == settings.BANSHI_TOKEN_MAX_PER_USER
    assert not works(tokens[0]) and works(tokens[-1])


def test_user_for_keeps_its_contract(d):
    token = ApiToken.objects.issue(d.leader)
    assert ApiToken.objects.user_for(token) == d.leader
    assert ApiToken.objects.user_for("not-a-token") is None


@pytest.fixture
def admin_client(d):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(root)
    return client


def test_admin_lists_tokens_without_secrets_and_revokes(d, admin_client):
    token = issue_over_http()
    other = issue_over_http("leader")
    page = admin_client.get("/admin/org/apitoken/")
    text = page.content.decode()
    assert page.status_code == 200 and "API 令牌" in text
    assert "dispatcher" in text and token[:8] in text
    assert token not in text and ApiToken.objects.get(prefix=token[:8]).key_hash not in text
    for label in ["过期时间", "最近使用", "令牌前缀"]:
        assert label in text
    row = ApiToken.objects.get(prefix=token[:8])
    response = admin_client.post("/admin/org/apitoken/",
                                 {"action": "revoke", "_selected_action": [row.pk]})
    assert response.status_code == 302
    assert not works(token) and works(other)


def test_admin_cannot_mint_tokens(d, admin_client):
    assert admin_client.get("/admin/org/apitoken/add/").status_code == 403


def test_openapi_documents_token_responses(d):
    doc = Client().get(f"{API}/openapi.json").json()
    post = doc["paths"]["/api/v1/auth/token"]["post"]["responses"]
    delete = doc["paths"]["/api/v1/auth/token"]["delete"]["responses"]
    assert {"200", "401", "429"} <= set(post)
    assert {"204", "401"} <= set(delete)


@pytest.mark.django_db(transaction=True)
def test_migration_drops_tokens_issued_before_expiry():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("org", "0002_region_neighbours")]
    after = [("org", "0004_api_token_expiry_and_login_failures")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        user = old_apps.get_model("auth", "User").objects.create(username="legacy")
        old_apps.get_model("org", "ApiToken").objects.create(
            user=user, key_hash=hashlib.sha256(b"legacy-token").hexdigest())
        MigrationExecutor(connection).migrate(after)
        assert not ApiToken.objects.exists()
        assert ApiToken.objects.user_for("legacy-token") is None
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
