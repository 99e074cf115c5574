"""Every page fits a phone: at 390 px wide no page scrolls sideways; wide tables scroll in their own box.

Logged in as each role on the demo data, the test walks the pages reachable from the menu and from the
pages' own links (same site, GET, one address per URL pattern) and measures the document's width."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
ROLES = ("head", "kam1", "analyst", "admin")
# Pages reached at most per role: far more than the app has, a brake should links ever multiply.
MAX_PAGES = 120
SKIP_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/s/")
# Downloads, fragments for htmx and links that change something when followed.
SKIP_VIEWS = {
    "logout",
    "api-docs",
    "token-revoke",
    "proposals:pdf",
    "proposals:copy",
    "proposals:transition",
    "proposals:follow-up-close",
    "management:consumption-download",
    "management:personal-data-export",
    "management:consumption-file",
    "management:consumption-run-start",
    "management:consumption-run-progress",
    "management:key-client-type-accept",
    "management:white-space-task",
    "management:white-space-proposal",
    "dossiers:letter-file",
    "dossiers:task-done",
    "dossiers:milestone-toggle",
    "dossiers:complaint-transition",
    "dossiers:commitment-kept",
    "dossiers:commitment-broken",
    "retention:notifications-badge",
    "retention:notifications-read",
    "sales:batch-progress",
    "sales:batch-start",
    "sales:batch-rollback",
    "sales:batch-rejects",
    "accounts:team-remove",
}
LINKS = "() => Array.from(document.querySelectorAll('a[href]:not([download])'), (a) => a.href)"
WIDTH = "() => document.documentElement.scrollWidth"


def page_key(path: str) -> tuple[str, bool] | None:
    """The URL pattern's name of an address worth visiting and whether it shows one object, or None."""
    if path.startswith(SKIP_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return None if match.view_name in SKIP_VIEWS else (match.view_name, bool(match.kwargs))


def crawl(page: Page, origin: str, measured: set[str], errors: list[str]) -> dict[str, tuple[str, int]]:
    """Width of the first page of each URL pattern reachable from home: {view name: (address, width)}.

    Pages of one object (an account, a proposal) whose pattern is in `measured` are left out: they
    look alike whoever reads them, while lists and desks differ by role. A page the server fails on
    goes to `errors` (a refusal, 403 or 404, is the role's lot and is passed over)."""
    queue: deque[str] = deque(["/"])
    queued = {"home"}
    widths: dict[str, tuple[str, int]] = {}
    while queue and len(widths) < MAX_PAGES:
        address = queue.popleft()
        response = page.goto(address)
        if response is not None and response.status >= 500:
            errors.append(f"{address}: HTTP {response.status}")
        if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        widths[resolve(urlsplit(address).path).view_name] = (address, page.evaluate(WIDTH))
        for href in page.evaluate(LINKS):
            url = urlsplit(href)
            if f"{url.scheme}://{url.netloc}" != origin or (key := page_key(url.path)) is None:
                continue
            name, one_object = key
            if name in queued or (one_object and name in measured):
                continue
            queued.add(name)
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return widths


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/auth/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "/auth/login/" not in page.url, f"{username} could not log in"


@pytest.mark.slow(60)
def test_no_page_is_wider_than_a_phone(phone: Page, live_server, demo):
    offenders: list[str] = []
    errors: list[str] = []
    measured: set[str] = set()
    visited = 0
    for role in ROLES:
        log_in(phone, role)
        widths = crawl(phone, live_server.url, measured, errors)
        measured |= widths.keys()
        visited += len(widths)
        offenders += [
            f"{role} {address} ({name}): {width} px"
            for name, (address, width) in sorted(widths.items())
            if width > PHONE["width"]
        ]
    assert not errors, "server errors:\n" + "\n".join(errors)
    assert len(measured) > 60, f"only {len(measured)} kinds of page reached: the crawl lost its way"
    assert not offenders, (
        f"{len(offenders)} of {visited} pages wider than {PHONE['width']} px:\n" + "\n".join(offenders)
    )
