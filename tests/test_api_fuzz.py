"""The whole API fuzzed against its own schema: no input makes it answer 5xx, every answer matches.

Schemathesis reads `/api/v1/schema/` from the app itself (WSGI, in-process: no server, no network)
and generates requests for every operation, valid ones and malformed ones as a department head and
valid ones as a KAM, on demo-like data. The number of examples is bounded so the test stays within a
couple of minutes on a small machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from accounts.demo import seed_demo
from accounts.models import User
from accounts.services import api_token_issue
from analysis.demo import load_demo_runs
from dossiers.demo import load_demo_dossiers
from kam.wsgi import application
from proposals.demo import load_demo as load_demo_proposals
from retention.demo import load_demo
from sales.demo import load_demo_ledger

pytestmark = pytest.mark.django_db

EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 3}
# Valid requests as both users: what they are answered depends on what the user may see and change.
# Each case is generated once and sent as each user in turn (the KAM first, so that the head's
# deletions come after). Malformed ones as the head only: parsed and refused alike whoever sends them.
SENDERS = {GenerationMode.POSITIVE: ("kam1", "head"), GenerationMode.NEGATIVE: ("head",)}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Query parameters left out of the fuzzing, each with the reason (none: every filter is parsed by
# its FilterSet, so `?account=-1.8e308` is a 400 like any other bad id).
EXCLUDED_PARAMETERS: dict[str, set[str]] = {}


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """Requests run inside the test's transaction, as Django's own test client runs them."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def demo_tokens(in_process_requests: None) -> dict[str, str]:
    """A small demo: accounts, a ledger, dossiers, proposals, two analysis runs, retention; a head
    and a KAM."""
    seed_demo(accounts=24)
    load_demo_ledger(lines=1500, months=24)
    load_demo_dossiers()
    load_demo_proposals()
    load_demo_runs()
    load_demo()
    users = {username for senders in SENDERS.values() for username in senders}
    return {username: api_token_issue(user=User.objects.get(username=username)) for username in users}


def _operations(schema: Any) -> list[Any]:
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deletions last, so that the other operations meet the demo objects still there.
    return sorted(operations, key=lambda op: (op.method.upper() == "DELETE", op.path, op.method))


def _fuzz(operation: Any, mode: GenerationMode, tokens: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        for name in EXCLUDED_PARAMETERS.get(operation.path, ()):
            if case.query:
                case.query.pop(name, None)
        for username in SENDERS[mode]:
            headers = {"Authorization": f"Token {tokens[username]}"}
            # A savepoint per request: a failed one is reported without spoiling the requests after it.
            try:
                with transaction.atomic():
                    case.call_and_validate(headers=headers, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as error:
                error.add_note(f"sent as {username}")
                raise

    run()


@pytest.mark.slow(80)
def test_no_input_makes_the_api_fail_or_break_its_schema(demo_tokens: dict[str, str]) -> None:
    failures = []
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", application, headers={"Authorization": f"Token {demo_tokens['head']}"}
    )
    for operation in _operations(schema):
        for mode in SENDERS:
            try:
                _fuzz(operation, mode, demo_tokens)
            except (Exception, BaseExceptionGroup) as error:  # every failure is reported, not the first
                notes = "; ".join(getattr(error, "__notes__", ()))
                where = f"{operation.method.upper()} {operation.path} ({mode}, {notes})"
                failures.append(f"{where}: {str(error)[:2000]}")
    assert not failures, "\n\n".join(failures)
