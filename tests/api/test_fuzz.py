"""The API fuzzed from its own OpenAPI schema (schemathesis): for every operation, requests built
from the schema, valid and not, as an anonymous client and as an administrator with a token. No
answer may be a server error, or break the schema (status codes, content types, bodies).

The schema is the one the app serves at /api/v1/schema/; requests go to the app in-process
(WSGI), inside the test's transaction. Bounded for CI: the boundary cases schemathesis derives
from the schema, and a few random examples per operation (``FUZZ_EXAMPLES``, default 5).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from extraditions.tokens import issue_token

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
# Left out: "a schema-valid request must be accepted". The API refuses a well-formed id of a record
# that does not exist (or is not public) in a filter with a 400, by design: a typo in an id must not
# quietly return an empty list. Every other check runs, including "a schema-violating request must
# be refused".
EXCLUDED = [positive_data_acceptance]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

# The schema as the app serves it at /api/v1/schema/ (read through WSGI, no server needed).
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def localhost(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]  # schemathesis calls the app as localhost


@pytest.fixture(autouse=True)
def keep_the_tests_connection():
    """As Django's test client does: the end of a request must not close the database connection
    that holds the test's transaction (the WSGI handler would, through close_old_connections)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def administrator_token(admin_user) -> str:
    return issue_token(admin_user, "fuzzing")[1]


@schema.include(method="GET").parametrize()
@FUZZ
def test_anonymous_reads(case, world):
    case.call_and_validate(excluded_checks=EXCLUDED)


@schema.parametrize()
@FUZZ
def test_administrator_reads_and_writes(case, world, administrator_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {administrator_token}"}, excluded_checks=EXCLUDED)
