"""The production stack started by hand, end to end: a ledger uploaded on the page, imported by the worker.

The same services as docker-compose.yml, as processes: a scratch PostgreSQL database, Redis, gunicorn
serving kam.settings.prod (over plain HTTP on 127.0.0.1: no TLS redirect) and a `celery -A kam
worker`, all given the same MEDIA_ROOT. It migrates, seeds the demo, logs in as the demo head in
Chromium, uploads a ledger file on the import page, starts the import and waits for the worker to
finish it. It prints what happened and exits 0 only if the worker imported every line.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python scripts/stack_smoke.py [--separate-media] [--port 8765]

The database is `<DATABASE_URL's name>_smoke`, created here and dropped at the end. With
--separate-media, web and worker get a media folder each (docker-compose.yml before the shared
volume): the upload works, the import fails because the worker cannot find the file.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import environ
from check_migrations import recreate

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
LEDGER_LINES = 120
LEDGER_ACCOUNTS = 6


class Stack:
    """Child processes with their logs in one folder; `stop` ends them all, gently first."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env
        self.processes: list[tuple[str, subprocess.Popen, IO[bytes]]] = []

    def run(self, name: str, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        (self.folder / f"{name}.log").write_text(result.stdout + result.stderr)
        if result.returncode:
            raise SystemExit(f"{name} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, *args], cwd=ROOT, env={**self.env, **(env or {})}, stdout=log, stderr=log
        )
        self.processes.append((name, process, log))

    def check_running(self) -> None:
        for name, process, _log in self.processes:
            if process.poll() is not None:
                raise SystemExit(f"{name} exited ({process.returncode}):\n{self.log(name)}")

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for _name, process, _log in self.processes:
            if process.poll() is None:
                process.terminate()
        for _name, process, log in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def wait_for(condition: Callable[[], Any], seconds: float, what: str, stack: Stack) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stack.check_running()
        if found := condition():
            return found
        time.sleep(0.25)
    raise SystemExit(f"timed out after {seconds:.0f} s waiting for {what}")


def healthy(url: str) -> bool:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not an HTTP address: {url}")
    try:
        with urllib.request.urlopen(f"{url}/health/", timeout=2) as response:  # noqa: S310  # nosec B310 # scheme checked above
            return response.status == 200
    except OSError:
        return False


def write_ledger(path: Path) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account_external_id", "account_name", "date", "amount", "product_line",
                         "line_external_id"])  # fmt: skip
        for n in range(LEDGER_LINES):
            account = n % LEDGER_ACCOUNTS
            writer.writerow([f"SMOKE-{account:03d}", f"Smoke Test {account}", f"2025-{1 + n % 12:02d}-15",
                             f"{100 + n}.50", "equipment", f"SMOKE-L{n:05d}"])  # fmt: skip


def import_through_the_page(url: str, username: str, password: str, ledger: Path, stack: Stack) -> dict:
    """Log in, upload, start the import, wait for its end; the batch page's figures."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(base_url=url).new_page()
        page.set_default_timeout(20_000)
        page.goto("/auth/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Log in").click()
        expect(page).not_to_have_url(re.compile(r"/auth/login/"))
        page.goto("/sales/imports/new/")
        page.set_input_files("#id_file", str(ledger))
        page.get_by_role("button", name="Upload and preview").click()
        expect(page).to_have_url(re.compile(r"/sales/imports/\d+/$"))
        batch_url = urlsplit(page.url).path
        expect(page.get_by_role("button", name="Start the import")).to_be_visible()
        page.get_by_role("button", name="Start the import").click()

        def finished() -> str | None:
            page.goto(batch_url)
            status = page.locator("h1 .badge").inner_text().strip()
            return None if status.lower() in {"pending", "running"} else status

        status = wait_for(finished, 120, "the worker to finish the import", stack)

        def figure(label: str) -> str:
            return page.locator(".card-body", has_text=label).locator(".stat").inner_text().strip()

        alert = page.locator(".alert")
        outcome = {
            "batch": batch_url,
            "status": status,
            "inserted": figure("Lines inserted"),
            "accounts_created": figure("Accounts created"),
            "message": alert.first.inner_text().strip() if alert.count() else "",
        }
        browser.close()
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--separate-media", action="store_true", help="web and worker get a media folder each"
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on the way out
    url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    config = environ.Env.db_url_config(url) if url else {}
    if config.get("ENGINE") != "django.db.backends.postgresql" or not redis_url.startswith("redis"):
        raise SystemExit("stack_smoke: set DATABASE_URL to PostgreSQL and REDIS_URL to Redis")
    if not CHROMIUM.exists():
        raise SystemExit(f"stack_smoke: Chromium not found at {CHROMIUM}; apt-get install chromium")
    scratch = f"{config['NAME']}_smoke"
    folder = Path(tempfile.mkdtemp(prefix="kam-stack-"))
    media = folder / "media"
    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kam.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback; TLS is the proxy's in production
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": urlsplit(url)._replace(path=f"/{scratch}").geturl(),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "EMAIL_URL": "consolemail://",
        "BASE_URL": base,
    }
    worker_env = {"MEDIA_ROOT": str(folder / "worker-media")} if args.separate_media else {}
    stack = Stack(folder, env)
    started = time.monotonic()
    ok = False
    print(f"stack: PostgreSQL database {scratch}, {redis_url}, MEDIA_ROOT {media}"
          + (f" (worker: {worker_env['MEDIA_ROOT']})" if worker_env else " (web and worker)"))  # fmt: skip
    try:
        recreate(config, scratch, create=True)
        stack.run("migrate", "manage.py", "migrate", "--no-input")
        seeded = stack.run("seed_demo", "manage.py", "seed_demo")
        password = re.search(r"password for all: ([^)]+)\)", seeded)
        if password is None:
            raise SystemExit(f"seed_demo did not name the demo users' password:\n{seeded}")
        stack.run("collectstatic", "manage.py", "collectstatic", "--no-input")
        print(f"  migrated, demo seeded, static collected ({time.monotonic() - started:.1f} s)")
        stack.start("gunicorn", "-m", "gunicorn", "kam.wsgi:application", "--config", "gunicorn.conf.py",
                    "--bind", f"127.0.0.1:{args.port}", "--workers", "2",
                    "--access-logfile", "-")  # fmt: skip
        stack.start("worker", "-m", "celery", "-A", "kam", "worker", "--loglevel=info", "--concurrency=1",
                    "--purge", "-n", "smoke@%h", env=worker_env)  # fmt: skip
        wait_for(lambda: healthy(base), 60, "/health/ (database, cache and broker)", stack)
        wait_for(lambda: "ready." in stack.log("worker"), 60, "the worker", stack)
        print(f"  gunicorn on {base} and the Celery worker are up ({time.monotonic() - started:.1f} s)")
        ledger = folder / "smoke-ledger.csv"
        write_ledger(ledger)
        outcome = import_through_the_page(base, "head", password.group(1), ledger, stack)
        ran = re.search(r"Task sales\.tasks\.run_import\[[^\]]+\] (succeeded in [\d.]+s: '(\w+)'|raised .*)",
                        stack.log("worker"))  # fmt: skip
        stored = sorted(p.relative_to(media) for p in media.rglob(f"{ledger.stem}*"))
        print(f"  uploaded on the page: {', '.join(map(str, stored)) or 'nothing'} under MEDIA_ROOT")
        print(f"  import {outcome['batch']}: {outcome['status']}, {outcome['inserted']} lines inserted, "
              f"{outcome['accounts_created']} accounts created")  # fmt: skip
        if outcome["message"]:
            print(f"  message: {outcome['message']}")
        print(f"  worker log: run_import {ran.group(1) if ran else 'not seen'}")
        ok = ran is not None and ran.group(2) == "done" and outcome["inserted"] == str(LEDGER_LINES)
    finally:
        stack.stop()
        recreate(config, scratch, create=False)
        if ok:
            shutil.rmtree(folder, ignore_errors=True)
    verdict = "OK: the worker imported the file uploaded on the page" if ok else f"FAILED (logs in {folder})"
    print(f"{verdict} ({time.monotonic() - started:.1f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
