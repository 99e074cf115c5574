"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against pytest-django's live_server."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# The networking switches stop Chromium from dialling out (updates, sync, field trials) on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FACTORY_PASSWORD = "secret-pass-123"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}; apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop running in this thread until it stops, and Django
        # refuses sync ORM calls (factories, assertions) while a loop runs: the documented workaround.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


# Every page reports what the Content-Security-Policy blocked, in its own words; Chromium's console
# messages ("Refused to … because it violates the following Content Security Policy directive") are
# kept too. An init script runs whatever the policy says, before the page's own scripts.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const what = `${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`;
  console.error(`CSP violation: ${what} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""


def watch_csp(context: BrowserContext, violations: list[str]) -> None:
    """Note in `violations` each Content-Security-Policy violation of the pages of `context`."""
    context.add_init_script(CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            page_url = message.page.url if message.page else "?"
            violations.append(f"{page_url}: {text}")

    context.on("console", on_console)


@pytest.fixture(autouse=True)
def csp_violations(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every browser context a test opens watches for Content-Security-Policy violations, and any
    violation fails the test at teardown (the policy is on in tests as in production)."""
    violations: list[str] = []
    new_context = browser.new_context

    def watched_context(*args, **kwargs) -> BrowserContext:
        context = new_context(*args, **kwargs)
        watch_csp(context, violations)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield violations
    unique = list(dict.fromkeys(violations))
    assert not unique, f"{len(unique)} Content-Security-Policy violation(s):\n" + "\n".join(unique)


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh 1400x900 context per test; relative URLs go to the live server; page errors fail the test."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo data set (the `seed_demo` command), for walks through the pages people see first."""
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def log_in(page: Page) -> Callable[..., None]:
    """Log in through the real login form, as a person would."""

    def log_in(username: str, password: str = FACTORY_PASSWORD) -> None:
        page.goto("/auth/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Log in").click()
        expect(page).not_to_have_url(re.compile(r"/auth/login/"))
        expect(page.locator("nav #nav-user")).to_be_visible()

    return log_in


@pytest.fixture
def snap(page: Page, request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Save a numbered screenshot of the current page under test-artifacts/<test name>/."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    count = 0

    def snap(step: str) -> None:
        nonlocal count
        count += 1
        page.screenshot(path=folder / f"{count:02d}-{step}.png")

    return snap
