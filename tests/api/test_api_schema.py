"""schemathesis against the OpenAPI schema of the running server (real HTTP), bounded: a few
generated requests per operation (DHRKG_SCHEMATHESIS_EXAMPLES, default 8) must get no server
error and no response that breaks the schema. On both engines."""

from __future__ import annotations

import os

import httpx
import pytest

from support.live_server import engine_store, live_server, upload_examples  # noqa: F401 (a fixture)

EXAMPLES_PER_OPERATION = int(os.environ.get("DHRKG_SCHEMATHESIS_EXAMPLES", "8"))


def test_generated_requests_get_no_server_error_and_match_the_schema(engine_store, tmp_path):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from dhrkg.api.accounts import Accounts

    token = Accounts(tmp_path).add("admin", "admin")[1]
    auth = {"Authorization": f"Bearer {token}"}
    with live_server(tmp_path, engine_store) as url:
        upload_examples(url, token)
        spec = httpx.get(url + "/openapi.json", headers=auth).json()
        schema = schemathesis.openapi.from_dict(spec)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 15
        failures, statuses = [], []
        for operation in operations:
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def check(case):
                response = case.call(base_url=url, headers=auth, timeout=60)
                statuses.append(response.status_code)
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

            try:
                check()
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
        assert not failures, "\n\n".join(failures)
        assert statuses.count(200) >= len(operations) // 2  # the generated requests reached the data
