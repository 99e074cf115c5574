"""Project-wide behaviour: login lockout, health, production settings, demo data, Celery wiring."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD, seed_demo
from accounts.models import Account, Contact, User
from kam.celery import app as celery_app

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_login_locks_out_after_five_failures(kam):
    client = Client()
    for _ in range(5):
        client.post("/auth/login/", {"username": kam.username, "password": "wrong"})
    response = client.post("/auth/login/", {"username": kam.username, "password": "secret-pass-123"})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_login_works_with_the_right_password(kam):
    response = Client().post("/auth/login/", {"username": kam.username, "password": "secret-pass-123"})
    assert response.status_code == 302


def test_health_checks_the_real_services():
    response = Client().get("/health/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    # With REDIS_URL set (CI), the broker is the real Redis; without it, tasks run eagerly.
    assert body["broker"] == ("ok" if settings.REDIS_URL else "eager")


def test_celery_is_eager_exactly_when_no_redis_is_configured():
    assert celery_app.conf.task_always_eager is (not settings.REDIS_URL)
    assert celery_app.conf.task_acks_late is True


def project_tasks() -> list[str]:
    celery_app.loader.import_default_modules()  # every app's tasks.py, as a worker imports them
    return sorted(name for name in celery_app.tasks if not name.startswith("celery."))


def test_every_task_of_the_project_has_a_route_to_a_declared_queue():
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert declared == {"default", "imports", "analysis", "notifications"}
    tasks = project_tasks()
    assert "sales.tasks.run_import" in tasks  # the discovery found the apps' tasks
    unrouted = [name for name in tasks if name not in settings.CELERY_TASK_ROUTES]
    assert not unrouted, "add these tasks to CELERY_TASK_ROUTES"
    for name in tasks:
        assert celery_app.amqp.router.route({}, name)["queue"].name in declared, name


def test_imports_analysis_and_notifications_have_queues_of_their_own():
    queue = {name: celery_app.amqp.router.route({}, name)["queue"].name for name in project_tasks()}
    assert queue["sales.tasks.run_import"] == "imports"
    assert queue["analysis.tasks.execute_run"] == queue["analysis.tasks.nightly"] == "analysis"
    assert queue["proposals.tasks.expire_overdue"] == "notifications"
    assert set(settings.CELERY_TASK_ROUTES) == set(queue)  # no route names a task that is gone


def test_a_worker_started_without_queue_options_consumes_every_queue():
    # Development, the test workers and the smoke run start one worker for everything.
    assert set(celery_app.amqp.queues) == {queue.name for queue in settings.CELERY_TASK_QUEUES}


def _deploy_check(**environment: str) -> subprocess.CompletedProcess:
    # Without the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (tests/e2e/conftest.py), which a worker
    # keeps once its first browser test has started: the checklist rightly refuses it.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "kam.settings.prod",
        "SECRET_KEY": "x" * 30 + "-a-long-random-production-secret-0123456789",
        "ALLOWED_HOSTS": "kam.example.com",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = _deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_turning_the_https_redirect_off_silences_that_warning_only():
    # The proxy redirects (SECURE_SSL_REDIRECT=false): no W008; dropping HSTS is still reported.
    result = _deploy_check(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "security.W004" in output
    assert "security.W008" not in output


def test_seed_demo_is_deterministic_and_safe_to_run_twice():
    first = seed_demo()
    snapshot = sorted(
        Account.objects.values_list("external_id", "name", "owner__username", "parent__external_id")
    )
    second = seed_demo()
    assert (first.accounts_created, second.accounts_created) == (60, 0)
    assert second.contacts_created == 0
    assert sorted(
        Account.objects.values_list("external_id", "name", "owner__username", "parent__external_id")
    ) == (snapshot)
    assert Account.objects.filter(parent__isnull=False).exists()
    assert Contact.objects.count() == first.contacts_created
    assert User.objects.get(username="kam1").check_password(DEMO_PASSWORD)


def test_issue_token_refuses_unknown_users():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No active user"):
        call_command("issue_token", "nobody")


def test_the_openapi_schema_is_valid_and_complete(tmp_path):
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(tmp_path / "schema.yml"))
    assert "/api/v1/accounts/" in (tmp_path / "schema.yml").read_text()


def test_the_seed_demo_command_loads_ledger_and_runs_once():
    from analysis.models import AnalysisRun
    from dossiers.models import AccountProfile, Interaction, Task, Tender
    from sales.models import SalesLine

    def dossier_rows():
        return [model.objects.count() for model in (AccountProfile, Interaction, Task, Tender)]

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    lines, runs = SalesLine.objects.count(), AnalysisRun.objects.filter(status="complete").count()
    assert lines > 10_000
    assert runs == 3  # last month, the month before, and last month again after the win-back sale
    dossiers = dossier_rows()
    assert all(dossiers), dossiers
    proposals = assert_the_proposal_story()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (SalesLine.objects.count(), AnalysisRun.objects.count()) == (lines, runs)
    assert dossier_rows() == dossiers
    assert proposal_rows() == proposals


def proposal_rows() -> list[int]:
    from proposals.models import Proposal, ProposalTransition, SuccessStory

    return [model.objects.count() for model in (Proposal, ProposalTransition, SuccessStory)]


def assert_the_proposal_story() -> list[int]:
    """The demo's proposals tell one story: every status, one waiting for the head, one expiring
    this week, decisions in the past months within their validity, won ones on accounts that buy."""
    from collections import Counter
    from decimal import Decimal

    from django.utils import timezone

    from proposals.models import Proposal
    from proposals.selectors import approval_queue, checklist, expiring_proposals
    from proposals.stats import proposal_stats
    from retention.models import Reason

    S, head, now = Proposal.Status, User.objects.get(username="head"), timezone.now()
    proposals = list(Proposal.objects.select_related("account").prefetch_related("transitions"))
    assert Counter(p.status for p in proposals) == {
        S.DRAFT: 4, S.IN_APPROVAL: 1, S.APPROVED: 1, S.SENT: 3, S.RECEIVED: 2, S.NEGOTIATION: 2,
        S.WON: 6, S.LOST: 4, S.EXPIRED: 1, S.WITHDRAWN: 1,
    }  # fmt: skip
    [waiting] = approval_queue(user=head)
    assert waiting.max_line_discount == Decimal("25.00")
    [expiring] = expiring_proposals(user=head)
    assert 0 <= (expiring.valid_until - timezone.localdate()).days <= 7
    for p in proposals:
        moves = sorted(p.transitions.all(), key=lambda t: t.pk)
        assert [t.at for t in moves] == sorted(t.at for t in moves) and all(t.at < now for t in moves)
        assert p.created_at <= min([t.at for t in moves], default=now)
        if p.status in (S.WON, S.LOST):
            assert p.sent_at < p.decided_at < now - dt.timedelta(days=7)
            assert timezone.localdate(p.decided_at) <= p.valid_until
            reasons = Proposal.WonReason.values if p.status == S.WON else Reason.values
            assert (p.won_reason or p.lost_reason) in reasons and p.outcome_notes
        if p.status == S.WON:
            assert p.account.status == Account.Status.ACTIVE, p  # the accounts that buy
        if p.status == S.EXPIRED:
            assert p.valid_until < timezone.localdate(p.decided_at)
    warnings = [item.code for p in proposals for item in checklist(p) if not item.ok]
    assert "decision_maker" in warnings
    assert sum(1 for p in proposals if p.references.exists()) >= 10
    total = proposal_stats(user=head).total
    assert (total.won, total.lost, total.win_rate) == (6, 4, Decimal("60.0"))
    return proposal_rows()
