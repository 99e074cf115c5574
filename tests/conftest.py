"""The cast every access test uses (tests/cast.py): an owner, a teammate, an outsider, heads, an analyst,
an admin."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.db import connections
from django.utils import translation

from accounts.visibility import GENERATION_KEY
from tests import cast
from tests.factories import AccountFactory, ContactFactory
from tests.matrix_sample import SEED_VARIABLE, sampling_from_environment


def pytest_configure(config):
    # Fixed before the parallel workers start, so that all of them draw the same matrix cases even
    # across midnight; they inherit the environment.
    os.environ.setdefault(SEED_VARIABLE, str(sampling_from_environment().seed))


def pytest_collection_modifyitems(config, items):
    """In a parallel run, each worker starts with a share of the slow tests, the slowest first.

    pytest-xdist's worksteal deals the tests out in order, one contiguous block a worker, and a worker
    that runs dry takes tests from the end of another's block. Slow tests that happen to sit in one
    block run one after another at the end of the run while the other workers wait (2½ minutes once,
    with three workers). So the slow tests (`@pytest.mark.slow(seconds)`) go to the head of the
    blocks, dealt round-robin from the slowest, and the short tests fill the time around them. Every
    worker computes the same order (xdist requires it)."""
    workers = getattr(config, "workerinput", {}).get("workercount", 0)
    seconds = {item: marker.args[0] for item in items if (marker := item.get_closest_marker("slow"))}
    slow = sorted(seconds, key=lambda item: -seconds[item])
    if workers < 2 or not slow:
        return
    starts, position, remaining = [], 0, len(items)
    for worker in range(workers):  # the blocks as worksteal deals them
        starts.append(position)
        share = remaining // (workers - worker)
        position, remaining = position + share, remaining - share
    ends = [*starts[1:], len(items)]
    places = {}
    for rank, item in enumerate(slow):
        block, index = rank % workers, starts[rank % workers] + rank // workers
        if index >= ends[block]:  # a run of little but slow tests: leave it as it is
            return
        places[index] = item
    rest = iter(item for item in items if item not in seconds)
    items[:] = [places[index] if index in places else next(rest) for index in range(len(items))]


def pytest_report_header(config):
    return sampling_from_environment().describe()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if exitstatus:  # the draw to replay next to the failures
        terminalreporter.write_line(sampling_from_environment().describe())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with nothing connected to them when they are dropped.

    Dropping a PostgreSQL database fails while another session uses it ("being accessed by other
    users"), and the database is left behind. A worker whose first tests are browser tests kept one
    such session open to its last test; closing this thread's connections did not end it, and its
    thread was not traced. The sessions left on the worker's own test database are ended first."""
    yield
    with django_db_blocker.unblock():
        connections.close_all()
        connection = connections["default"]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close()


@pytest.fixture
def department(db):
    return cast.department()


@pytest.fixture
def other_department(db):
    return cast.other_department()


@pytest.fixture
def kam(department):
    return cast.kam(department)


@pytest.fixture
def teammate(department):
    return cast.teammate(department)


@pytest.fixture
def outsider(department):
    return cast.outsider(department)


@pytest.fixture
def head(department):
    return cast.head(department)


@pytest.fixture
def other_head(other_department):
    return cast.other_head(other_department)


@pytest.fixture
def analyst(db):
    return cast.analyst()


@pytest.fixture
def admin_user(db):
    return cast.admin_user()


@pytest.fixture
def account(kam, teammate, department):
    return cast.account(kam, teammate, department)


@pytest.fixture
def subsidiary(account, outsider, department):
    """A subsidiary of `account`, owned by someone else: `account`'s KAM sees it through the group."""
    return AccountFactory(
        name="Nordic Steel Logistics", parent=account, owner=outsider, department=department
    )


@pytest.fixture
def foreign_account(outsider, department):
    return cast.foreign_account(outsider, department)


@pytest.fixture
def contact(account):
    return ContactFactory(account=account, first_name="Laura", last_name="Virtanen")


@pytest.fixture
def foreign_contact(foreign_account):
    return ContactFactory(account=foreign_account, first_name="Olga", last_name="Ivanova")


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker on the configured broker (Redis in CI) for the test's duration.

    Without REDIS_URL tasks run eagerly in-process and there is nothing to start.
    """
    from kam.celery import app

    if app.conf.task_always_eager:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    app.control.purge()  # tasks left in the queue by earlier runs name objects that are gone
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request leaves its language active in the thread
    (the locale middleware activates one and never switches back), and a test that then renders
    outside a request, a proposal's PDF say, would write it in the language of an earlier test."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_visibility_token():
    """Ids and figures kept under the visibility token must not outlive the test that made them: the
    database rolls back, the cache does not."""
    cache.delete(GENERATION_KEY)
