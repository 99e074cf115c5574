"""Redraw the README's screenshots from a running demo, in one language.

    python scripts/screenshots.py --base http://127.0.0.1:8000 --language en --out docs
    python scripts/screenshots.py --base http://127.0.0.1:8000 --language ja --out docs/screenshots/ja

Start the demo first (`bash scripts/run.sh`). Uses Debian's Chromium, never a downloaded one.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "kam-demo-2026"  # noqa: S105 (the demo users' published password, README)


def log_in(page: Page, base: str, username: str, language: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/auth/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    # The switcher saves the language on the user, as a person choosing it would.
    token = page.evaluate("document.querySelector('#language-switch [name=csrfmiddlewaretoken]').value")
    page.request.post(
        f"{base}/language/", form={"language": language, "next": "/", "csrfmiddlewaretoken": token}
    )


def first_link(page: Page, base: str, pattern: str) -> str:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        if re.fullmatch(pattern, href):
            return f"{base}{href}"
    raise LookupError(pattern)


def shoot(base: str, language: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        def snap(name: str, url: str) -> None:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out / f"screenshot-{name}.png")

        log_in(page, base, "kam1", language)
        snap("accounts", f"{base}/accounts/")
        page.goto(f"{base}/accounts/?q=Nordic+Steel")
        flagship = first_link(page, base, r"/accounts/\d+/")
        snap("account", flagship)
        snap("dossier", f"{flagship}dossier/")
        page.goto(f"{flagship}contacts/")
        snap("contact", first_link(page, base, r"/accounts/contacts/\d+/"))

        log_in(page, base, "head", language)
        snap("segmentation", f"{base}/analysis/")
        snap("retention", f"{base}/retention/")
        page.goto(f"{base}/retention/campaigns/")
        snap("campaign", first_link(page, base, r"/retention/campaigns/\d+/"))
        page.goto(f"{base}/proposals/?status=in_approval")
        snap("proposal", first_link(page, base, r"/proposals/\d+/"))
        snap("plan-vs-actual", f"{base}/management/plan-vs-actual/")
        snap("strategic", f"{base}/strategic-accounts/")
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--language", default="en")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    options = parser.parse_args()
    shoot(options.base.rstrip("/"), options.language, options.out)
