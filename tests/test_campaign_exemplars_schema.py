"""schemathesis on the exemplar operations alone (tests/test_schemathesis.py runs every
operation; this keeps the area's own run short): valid and invalid inputs, without a token
and with the dispatcher's, answered without a server error and exactly as documented."""

import pytest
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

from banshi.org.models import ApiToken, Staff

from .access_campaign_exemplars import API
from .test_schemathesis import (  # noqa: F401 - fixtures
    _keep_the_test_connection,
    _raised_limits,
    api_schema,
    numbers,
    run_operation,
)

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]
PATHS = {"/api/v1" + path for _method, path in API}


def run_ours(headers: dict, numbers: list[str]) -> list[str]:  # noqa: F811
    failures, seen = [], 0
    for result in api_schema().get_all_operations():
        operation = result.ok()
        if operation.path not in PATHS:
            continue
        seen += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                run_operation(operation, mode, headers, numbers)
            except Unsatisfiable:
                continue
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report them all
                failures.append(f"{operation.label} [{mode}]: {str(exc)[:1500]}")
    assert seen == len(API)
    return failures


def test_exemplar_operations_as_documented(numbers):  # noqa: F811
    from banshi.campaign.actions import exemplars as actions

    dispatcher = Staff.objects.get(user__username="dispatcher").user
    actions.start_selection(actor=dispatcher, name="党史学习之星")  # round 1 exists
    failures = run_ours({}, numbers)
    failures += run_ours({"Authorization": f"Bearer {ApiToken.objects.issue(dispatcher)}"},
                         numbers)
    assert not failures, "\n\n".join(failures)
