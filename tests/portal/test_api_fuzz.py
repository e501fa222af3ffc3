"""The whole API under schemathesis: whatever a client sends, never a server error.

The schema drf-spectacular serves (``/api/schema/``) is loaded from the WSGI application
itself, and schemathesis generates requests for every operation, valid and not, sent with
an API token of each role. Any 5xx fails the run, naming the operation and the request to
repeat it with. Each request runs inside a savepoint that is rolled back, so every one
meets the same seeded world and a database error in one cannot hide the next.

Bounded in time for CI (two cores): a few derandomised examples per operation and role.
"""

from __future__ import annotations

import functools
import time

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase

from compliance.models import BusinessMembership
from portal.choices import Role
from portal.models import ApiToken
from portal.wsgi import application
from tests.enforcement.builders import fined_violation

pytestmark = [pytest.mark.django_db, pytest.mark.api_fuzz]

EXAMPLES = 2  # per operation and role: about 2,700 requests over the six roles
ROLES = {
    "administrator": Role.ADMINISTRATOR,
    "inspector": Role.INSPECTOR,
    "business": Role.BUSINESS,
    "energy_supplier": Role.ENERGY_SUPPLIER,
    "programme_officer": Role.PROGRAMME_OFFICER,
    "api_client": Role.API_CLIENT,
}
FUZZ_SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
    print_blob=False,
)


@pytest.fixture
def _keep_the_test_connection():
    """Keep the test's database connection across requests, as Django's test client does
    (the WSGI handler would close a connection that is not in autocommit)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@functools.cache
def _operations():
    """Return the schema's operations, loaded once per process (drf-spectacular takes
    seconds to build it)."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    return [result.ok() for result in schema.get_all_operations()]


def _server_errors(operation, headers: dict) -> list[str]:
    """Return the 5xx answers of ``operation`` to the generated requests (at most one)."""
    found: list[str] = []

    @FUZZ_SETTINGS
    @hypothesis.given(case=operation.as_strategy())
    def run(case):
        if found:
            return
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers=headers)
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            found.append(
                f"{operation.label} → {response.status_code}: {case.as_curl_command(headers)}"
            )

    run()
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_no_request_of_any_role_gets_a_server_error(
    role, make_user, premises, _keep_the_test_connection
):
    """Every operation of the schema, fuzzed with the token of one role: no 5xx."""
    user = make_user(f"fuzz-{role}", ROLES[role])
    if role == "business":
        BusinessMembership.objects.create(user=user, business=premises.business)
    fined_violation(premises)
    _token, raw = ApiToken.generate(user, "fuzz")
    headers = {"Authorization": f"Token {raw}"}
    started = time.monotonic()

    operations = _operations()
    errors = [error for operation in operations for error in _server_errors(operation, headers)]

    assert len(operations) > 50, "the schema lost its operations"
    assert not errors, "\n".join(errors)
    assert time.monotonic() - started < 180, "the fuzzing outgrew its time budget"
