"""The machinery the fault drills share: a private stack, a request loop, counting, the table.

A drill runs against its own PostgreSQL cluster (initdb into a temporary directory, port 5544),
its own redis-server (port 6544, no snapshots and no append-only file: a restart keeps the queues
only through an explicit `SHUTDOWN SAVE` into the same temporary directory, as redis:7 saves on a
graceful stop), gunicorn with the production settings (port 8544) and one Celery worker consuming
every queue. Nothing of the shared servers is touched: DATABASE_URL / REDIS_URL may name other
servers, but the default ports of the shared ones (5432, 6379, 6380) are refused without --i-know.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import psutil
import psycopg

ROOT = Path(__file__).resolve().parent.parent.parent
VENV = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"
SHARED_PORTS = {5432, 6379, 6380}
PG_PORT, REDIS_PORT, WEB_PORT = 5544, 6544, 8544
DATABASE = "kam_drills"
# A killed worker's task comes back after this many seconds (production: 3600); the restore scan
# runs every RESTORE_INTERVAL seconds.
VISIBILITY_TIMEOUT = 45
RESTORE_INTERVAL = 2


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclasses.dataclass
class Row:
    drill: str
    done: str
    requests_ok: int
    requests_failed: int
    lost: int
    outcome: str
    notes: str = ""


def print_table(rows: list[Row]) -> None:
    headers = ("drill", "what was done", "requests ok / failed", "data lost", "outcome")
    cells = [
        (r.drill, r.done, f"{r.requests_ok} / {r.requests_failed}", str(r.lost), r.outcome) for r in rows
    ]
    print()
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for line in cells:
        print("| " + " | ".join(line) + " |")
    for r in rows:
        if r.notes:
            print(f"\n{r.drill}: {r.notes}")
    print()


def common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lines", type=int, default=200_000, help="ledger lines of the import (default 200000)"
    )
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--i-know", action="store_true", help="allow DATABASE_URL/REDIS_URL on a shared port")
    parser.add_argument("--keep", action="store_true", help="leave the temporary directory (logs, data)")


# --- The stack ------------------------------------------------------------------------------------


class Stack:
    """Own PostgreSQL, Redis, gunicorn and Celery worker; `with Stack(args) as stack:` tears it down."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="kam-drills-"))
        self.own_pg = "DATABASE_URL" not in os.environ
        self.own_redis = "REDIS_URL" not in os.environ
        self.database_url = os.environ.get(
            "DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"
        )
        self.redis_url = os.environ.get("REDIS_URL", f"redis://127.0.0.1:{REDIS_PORT}/0")
        for url in (self.database_url, self.redis_url):
            port = urlsplit(url).port
            if port in SHARED_PORTS and not args.i_know:
                sys.exit(f"{url}: a shared server's port; the drills kill and restart servers (--i-know)")
        self.pg_data = self.work / "pg"
        self.redis_dir = self.work / "redis"
        self.media = self.work / "media"
        self.redis: subprocess.Popen[bytes] | None = None
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.worker_log = self.work / "worker.log"
        self.baseline: tuple[str, float] | None = None
        self._logs: list[IO[bytes]] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kam.settings.prod",
            "SECRET_KEY": "drills-" + secrets.token_hex(24),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
            "MEDIA_ROOT": str(self.media),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_RESTORE_INTERVAL": str(RESTORE_INTERVAL),
            "CELERY_RESTORE_THROTTLE": "1",
        }

    # context manager
    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        log(f"stack in {self.work}")
        self.media.mkdir()
        if self.own_pg:
            self.pg_init()
        if self.own_redis:
            self.redis_dir.mkdir()
            self.redis_start()
        self.manage("migrate", "--no-input", "-v", "0")
        manifest = (
            ROOT / "staticfiles" / "staticfiles.json"
        )  # the pages need it under the production settings
        if not manifest.exists():
            self.manage("collectstatic", "--noinput", "-v", "0")
        self.web_start()
        self.worker_start()

    def stop(self) -> None:
        """Every server the stack started, whatever happens meanwhile (a second Ctrl-C included)."""
        for name in ("worker", "web", "redis"):
            process = getattr(self, name)
            try:
                if process is not None and process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(20)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
            except BaseException:
                if process is not None:
                    process.kill()
        if self.worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.worker.pid, signal.SIGKILL)  # its pool processes
        if self.own_pg and (self.pg_data / "PG_VERSION").exists():
            try:
                self._pg_ctl("stop", "-m", "fast", check=False)
            except BaseException:
                self._pg_ctl("stop", "-m", "immediate", check=False)
        for handle in self._logs:
            handle.close()
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        else:
            log(f"kept {self.work}")

    def manage(self, *argv: str) -> None:
        subprocess.run([str(VENV / "python"), "manage.py", *argv], cwd=ROOT, env=self.env, check=True)

    def _log(self, name: str) -> IO[bytes]:
        """A log file in the temporary directory, for a server's output (closed with the stack)."""
        handle = (self.work / name).open("ab")
        self._logs.append(handle)
        return handle

    # PostgreSQL
    def _as_postgres(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg_ctl(self, *argv: str, check: bool = True) -> None:
        command = [*self._as_postgres(), str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), "-w", *argv]
        subprocess.run(command, check=check, stdout=subprocess.DEVNULL)

    def pg_init(self) -> None:
        ready = subprocess.run(
            [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(PG_PORT)],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if ready.returncode != 2:  # 2: nothing answers on the port
            raise RuntimeError(f"port {PG_PORT} is taken (a PostgreSQL left running?): stop it first")
        self.pg_data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.work, "postgres")
            shutil.chown(self.pg_data, "postgres")
        subprocess.run(
            [*self._as_postgres(), str(PG_BIN / "initdb"), "-D", str(self.pg_data), "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.pg_start()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")

    @property
    def admin_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"

    def pg_start(self) -> None:
        options = f"-p {PG_PORT} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=on"
        self._pg_ctl("-o", options, "-l", str(self.work / "pg.log"), "start")

    def pg_restart(self, mode: str = "immediate") -> None:
        """Stop PostgreSQL (immediate: as a crash, recovery from the WAL at start) and start it."""
        self._require_own("pg", self.own_pg)
        self._pg_ctl("stop", "-m", mode)
        time.sleep(2)
        self.pg_start()

    # Redis
    def redis_start(self) -> None:
        if self.redis_cli("PING") == "PONG":
            raise RuntimeError(f"port {REDIS_PORT} is taken (a Redis left running?): stop it first")
        self.redis = subprocess.Popen(
            [REDIS_SERVER, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.redis_dir)],
            stdout=self._log("redis.log"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(50):
            if self.redis.poll() is not None:
                break
            if self.redis_cli("PING") == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start (see {self.work / 'redis.log'})")

    def redis_cli(self, *argv: str) -> str:
        done = subprocess.run(
            [REDIS_CLI, "-p", str(REDIS_PORT), *argv], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    def redis_restart(self, pause: float = 3.0) -> None:
        """SHUTDOWN SAVE (the queues are written to the temporary directory), a pause, start again."""
        self._require_own("redis", self.own_redis)
        self.redis_cli("SHUTDOWN", "SAVE")
        if self.redis is not None:
            self.redis.wait(30)
        time.sleep(pause)
        self.redis_start()

    def _require_own(self, what: str, own: bool) -> None:
        if not own:
            raise RuntimeError(f"the drill restarts {what}: only the drill's own server (unset its URL)")

    # gunicorn
    def web_start(self) -> None:
        self.web = subprocess.Popen(
            [str(VENV / "gunicorn"), "kam.wsgi:application", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{WEB_PORT}", "--workers", "2", "--timeout", "60",
             "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=self._log("gunicorn.log"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(lambda: http_ok(self.url("/health/")), 90, "gunicorn")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{WEB_PORT}{path}"

    def web_workers(self) -> list[int]:
        if self.web is None:
            return []
        return sorted(child.pid for child in psutil.Process(self.web.pid).children())

    # Celery
    def worker_start(self) -> None:
        self.worker = subprocess.Popen(
            [str(VENV / "celery"), "-A", "kam", "worker", "-Q", "default,imports,analysis,notifications",
             "-n", "drills@%h", "--concurrency", "1", "--loglevel", "info"],
            cwd=ROOT, env=self.env, stdout=self._log(self.worker_log.name), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: "ready." in self.worker_log.read_text(errors="replace"), 90, "celery worker")

    def worker_kill(self) -> None:
        """kill -9 the worker's main process and its pool processes at once (a lost machine)."""
        if self.worker is not None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait()

    def worker_restart(self) -> None:
        self.worker_log.write_text(self.worker_log.read_text(errors="replace") + "\n--- restart ---\n")
        self.worker_start()

    def deliveries(self, task_id: str) -> int:
        """How many times the worker received the task (its log, across restarts)."""
        return self.worker_log.read_text(errors="replace").count(f"[{task_id}] received")

    # SQL, each call on a connection of its own (a drill restarts the server under it)
    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def sql_value(self, query: str, params: tuple[Any, ...] = ()) -> Any:
        return self.sql(query, params)[0][0]

    def django(self) -> None:
        """Django in this process, on the drill's database and broker."""
        os.environ.update(self.env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()


def wait_for(check: Callable[[], bool], seconds: float, what: str, step: float = 0.5) -> float:
    """Poll until `check()` is true; the seconds it took. A failing check counts as false."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            ready = check()
        except Exception:
            ready = False  # a server restarting: not yet
        if ready:
            return time.monotonic() - started
        time.sleep(step)
    raise TimeoutError(f"{what}: not within {seconds:.0f} s")


def http_ok(url: str, timeout: float = 10) -> bool:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"the drills ask only their own stack, not {url}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310 # http://127.0.0.1 only, checked above
            response.read()
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


# --- The request loop -----------------------------------------------------------------------------


class RequestLoop:
    """`threads` clients requesting `paths` in turn, each outcome kept with its start and end time."""

    def __init__(self, stack: Stack, paths: tuple[str, ...] = ("/health/", "/auth/login/"), threads: int = 3):
        self.urls = [stack.url(p) for p in paths]
        self.threads = threads
        self.results: list[tuple[float, float, bool]] = []
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self._lock = threading.Lock()

    def _run(self, offset: int) -> None:
        n = offset
        while not self._stop.is_set():
            url = self.urls[n % len(self.urls)]
            n += 1
            started = time.monotonic()
            ok = http_ok(url, timeout=15)
            with self._lock:
                self.results.append((started, time.monotonic(), ok))
            time.sleep(0.02)

    def __enter__(self) -> RequestLoop:
        for i in range(self.threads):
            thread = threading.Thread(target=self._run, args=(i,), daemon=True)
            thread.start()
            self._workers.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._workers:
            thread.join()

    def counts(self, started_after: float | None = None) -> tuple[int, int]:
        with self._lock:
            chosen = [ok for start, _, ok in self.results if started_after is None or start >= started_after]
        return sum(chosen), len(chosen) - sum(chosen)


# --- Ledger, import and checks ----------------------------------------------------------------------


def ledger(stack: Stack, *, lines: int, accounts: int, months: int, seed: int) -> Path:
    path = stack.work / f"ledger-{lines}-s{seed}.csv"
    subprocess.run(
        [str(VENV / "python"), "bench/make_ledger.py", "--lines", str(lines), "--accounts", str(accounts),
         "--months", str(months), "--seed", str(seed), "--output", str(path)],
        cwd=ROOT, check=True, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return path


SALES_TABLES = (
    "analysis_accountsegment", "analysis_analysisrun", "sales_salesline", "sales_monthlysales",
    "sales_dailysales", "sales_accountrhythm", "sales_importbatch",
)  # fmt: skip


def empty_sales(stack: Stack) -> None:
    """No sales, no runs; the emptied tables analysed (the planner would still count the lines
    of the drill before and plan the next import's insert for them: minutes instead of seconds)."""
    stack.sql(f"TRUNCATE {', '.join(SALES_TABLES)} CASCADE")
    stack.sql(f"ANALYZE {', '.join(SALES_TABLES)}")


def submit_import(stack: Stack, path: Path) -> tuple[int, str]:
    """Store the file as the page does and queue its import: (batch id, task id)."""
    from django.core.files import File

    from sales.models import ImportBatch
    from sales.services import import_batch_create
    from sales.tasks import run_import

    with path.open("rb") as handle:
        batch = import_batch_create(
            by=None, source=ImportBatch.Source.COMMAND, upload=File(handle, name=path.name), options={}
        )
    result = run_import.delay(batch.pk)
    return batch.pk, result.id


def resubmit_import(batch_id: int) -> None:
    """Queue the batch's import again (the task takes up a batch left running)."""
    from sales.tasks import run_import

    run_import.delay(batch_id)


def import_phase(batch_id: int) -> str:
    """The phase a running import reports (its progress in the cache): reading, checking, writing."""
    from django.core.cache import cache

    from sales.services import progress_key

    return (cache.get(progress_key(batch_id)) or {}).get("phase", "")


def batch_state(stack: Stack, batch_id: int) -> tuple[str, int, int]:
    status, inserted, duplicates = stack.sql(
        "SELECT status, inserted, duplicates FROM sales_importbatch WHERE id = %s", (batch_id,)
    )[0]
    return status, inserted, duplicates


def ledger_check(stack: Stack, expected_lines: int) -> dict[str, Any]:
    """Lines stored, and whether the monthly and daily rollups add up to them (count and revenue)."""
    lines, amount = stack.sql("SELECT count(*), coalesce(sum(amount), 0) FROM sales_salesline")[0]
    monthly = stack.sql(
        "SELECT coalesce(sum(line_count), 0), coalesce(sum(revenue), 0) FROM sales_monthlysales"
    )[0]
    daily = stack.sql("SELECT coalesce(sum(line_count), 0), coalesce(sum(revenue), 0) FROM sales_dailysales")[
        0
    ]
    return {
        "lines": lines,
        "lost": expected_lines - lines,
        "rollups_equal": tuple(monthly) == (lines, amount) and tuple(daily) == (lines, amount),
        "amount": amount,
    }


@contextmanager
def watching(check: Callable[[], str | None], every: float = 0.5) -> Iterator[list[str]]:
    """Run `check` in the background while the block runs; what it returned (problems) is kept."""
    problems: list[str] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                found = check()
            except Exception:
                found = None  # the server is down: nothing can be seen either
            if found:
                problems.append(found)
            stop.wait(every)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield problems
    finally:
        stop.set()
        thread.join()


# --- The nightly run ----------------------------------------------------------------------------------


def runs(stack: Stack) -> list[tuple[Any, ...]]:
    """(id, status, attempts, result_hash, account_count, segments stored) of every run."""
    return stack.sql(
        "SELECT r.id, r.status, r.attempts, r.result_hash, r.account_count,"
        " (SELECT count(*) FROM analysis_accountsegment s WHERE s.run_id = r.id)"
        " FROM analysis_analysisrun r ORDER BY r.id"
    )


def half_visible(stack: Stack) -> str | None:
    """A run whose segments can be seen while it is not complete, or complete with some missing."""
    for run_id, status, _, _, account_count, segments in runs(stack):
        if (status != "complete" and segments) or (status == "complete" and segments != account_count):
            return f"run {run_id} {status}: {segments} segments of {account_count}"
    return None


def clear_runs(stack: Stack) -> None:
    stack.sql("TRUNCATE analysis_accountsegment, analysis_analysisrun CASCADE")


def submit_nightly() -> str:
    from analysis.tasks import nightly

    return nightly.delay().id


def nightly_done(stack: Stack) -> tuple[Any, ...] | None:
    complete = [run for run in runs(stack) if run[1] == "complete"]
    return complete[-1] if complete else None


def ensure_ledger(stack: Stack, args: Any) -> int:
    """The drills' ledger imported (undisturbed) when the database has none; its line count."""
    lines = stack.sql_value("SELECT count(*) FROM sales_salesline")
    if lines:
        return lines
    path = ledger(stack, lines=args.lines, accounts=args.accounts, months=args.months, seed=1)
    batch_id, _ = submit_import(stack, path)
    wait_for(lambda: batch_state(stack, batch_id)[0] not in ("pending", "running"), 1800, "import", 1)
    return stack.sql_value("SELECT count(*) FROM sales_salesline")


def baseline(stack: Stack) -> tuple[str, float]:
    """An undisturbed nightly run's result hash and its seconds (kept on the stack); the run is removed."""
    if stack.baseline:
        return stack.baseline
    stack.sql("TRUNCATE analysis_accountsegment, analysis_analysisrun CASCADE")
    submit_nightly()
    wait_for(lambda: nightly_done(stack) is not None, 1800, "undisturbed nightly run", 1)
    result_hash, seconds = stack.sql(
        "SELECT result_hash, extract(epoch FROM finished_at - started_at)::float FROM analysis_analysisrun"
        " WHERE status = 'complete'"
    )[0]
    stack.sql("TRUNCATE analysis_accountsegment, analysis_analysisrun CASCADE")
    stack.baseline = (result_hash, seconds)
    log(f"undisturbed nightly run: {seconds:.1f} s, result hash {result_hash[:12]}…")
    return stack.baseline


def wait_running(stack: Stack, fraction: float, seconds: float) -> None:
    """Until a run is running, then `fraction` of an undisturbed run's seconds more (mid-computation)."""
    wait_for(lambda: any(run[1] == "running" for run in runs(stack)), 300, "a running nightly run", 0.2)
    time.sleep(max(1.0, seconds * fraction))


def main(
    run: Callable[[Stack, argparse.Namespace], list[Row]],
    description: str,
    more_arguments: Callable[[argparse.ArgumentParser], Any] | None = None,
) -> int:
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    common_arguments(parser)
    if more_arguments is not None:
        more_arguments(parser)
    args = parser.parse_args()
    with Stack(args) as stack:
        stack.django()
        rows = run(stack, args)
    print_table(rows)
    return 0 if all(row.outcome == "pass" for row in rows) else 1
