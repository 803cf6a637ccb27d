"""schemathesis against the live API (WSGI, in process, real database): every operation of
the OpenAPI document, with valid and invalid inputs, without a token and with the dispatcher's,
must answer without a server error and exactly as documented (status code, content type, body
schema, headers). Select with `-m schemathesis`; scripts/test runs it by default.

Bounded and deterministic: SCHEMATHESIS_EXAMPLES examples per operation and generation mode,
derandomized, no shrinking. The residents' rate limits are raised for the run, so they never
stop it (429 itself is tested in test_ratelimit).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.generation.modes import GenerationMode

from banshi.appeals import actions
from banshi.org.models import ApiToken

from .factories import build_district, dispatched, resolved, with_code

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.response_headers_conformance]
RUN = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
               phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes "old" database connections around each request, which would
    close the test's transaction on PostgreSQL; Django's own test client stops that likewise."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _raised_limits(settings):  # pytest-django's settings (hypothesis' are `settings` above)
    for name in ("BANSHI_SUBMIT_RATE", "BANSHI_DEVICE_SUBMIT_RATE", "BANSHI_TRACK_RATE",
                 "BANSHI_DEVICE_TRACK_RATE"):
        setattr(settings, name, "1000000/h")


@pytest.fixture
def numbers(db) -> list[str]:
    """Appeals in several states, so generated actions also meet real rows."""
    d = build_district()
    found = [with_code(d)[0].number, dispatched(d, d.district_unit).number,
             resolved(d, d.district_unit).number]
    invalid, _ = with_code(d)
    actions.invalidate(invalid, actor=d.dispatcher, reason="测试")
    return found + [invalid.number]


def api_schema():
    from banshi.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def run_operation(operation, mode: GenerationMode, headers: dict, numbers: list[str]) -> None:
    @RUN
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        number = (case.path_parameters or {}).get("number")
        if isinstance(number, str) and len(number) % 2:  # half the cases act on real appeals
            case.path_parameters["number"] = numbers[len(number) % len(numbers)]
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


def run_all(headers: dict, numbers: list[str]) -> list[str]:
    """Every operation in both modes; the failures, one line each."""
    failures, operations = [], 0
    for result in api_schema().get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                run_operation(operation, mode, headers, numbers)
            except Unsatisfiable:  # nothing to get wrong: no parameters, no body
                continue
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report them all
                failures.append(f"{operation.label} [{mode}]: {str(exc)[:1500]}")
    assert operations >= 20
    return failures


def test_api_answers_as_documented_without_a_token(numbers):
    failures = run_all({}, numbers)
    assert not failures, "\n\n".join(failures)


def test_api_answers_as_documented_with_the_dispatchers_token(numbers):
    from banshi.org.models import Staff

    dispatcher = Staff.objects.get(user__username="dispatcher").user
    failures = run_all({"Authorization": f"Bearer {ApiToken.objects.issue(dispatcher)}"},
                       numbers)
    assert not failures, "\n\n".join(failures)
