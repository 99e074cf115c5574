"""In Japanese, the segmentation dashboard and an account's dossier show no English interface text.

What users typed (names, notes, narratives) is data, not interface: it sits in elements marked
`translate="no"` and is skipped, as are the names of accounts, people, departments, product lines
and competitors, and the terms every language keeps (ABC, XYZ, KAM, EUR).
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import Account

pytestmark = pytest.mark.e2e

# Terms and units every language writes the same way (CV and HHI: the statistics' own abbreviations).
KEPT_IN_EVERY_LANGUAGE = {"ABC", "XYZ", "KAM", "EUR", "kam", "RFM", "CSV", "XLSX", "PDF", "API", "ID", "SLA"}
KEPT_IN_EVERY_LANGUAGE |= {"CV", "HHI", "kg", "Web"}
CLASS = re.compile(r"[ABC][XYZ]?|[XYZ]")  # a segment: "AX", "C", "Z"
# Models whose names are data shown as they were typed: their words may appear in any language.
NAMED = [
    ("accounts", "Account", ["name"]),
    ("accounts", "Contact", ["first_name", "last_name", "position", "email"]),
    ("accounts", "User", ["first_name", "last_name", "username"]),
    ("accounts", "Department", ["name"]),
    ("sales", "ProductLine", ["name", "code"]),
    ("dossiers", "Competitor", ["name"]),
]

VISIBLE_TEXT = """() => {
  const words = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { words.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    if (["script", "style", "noscript", "template"].includes(tag)) return;
    if (node.getAttribute("translate") === "no") return;
    const style = getComputedStyle(node);
    if (style.display === "none" || style.visibility === "hidden") return;
    for (const attr of ["placeholder", "title", "aria-label", "alt"]) {
      if (node.hasAttribute(attr)) words.push(node.getAttribute(attr));
    }
    if (tag === "input" && ["submit", "button"].includes(node.type)) words.push(node.value);
    for (const child of node.childNodes) walk(child);
  };
  walk(document.body);
  return words.join("\\n");
}"""


def names_in_the_data() -> set[str]:
    allowed: set[str] = set()
    for app, model, fields in NAMED:
        for row in apps.get_model(app, model).objects.values_list(*fields):
            for value in row:
                allowed.update(re.findall(r"[A-Za-z][A-Za-z']*", str(value or "")))
    return allowed


def english_left(page: Page, allowed: set[str]) -> list[str]:
    text = page.evaluate(VISIBLE_TEXT)
    found = []
    for line in text.splitlines():
        for word in re.findall(r"[A-Za-z][A-Za-z']+", line):
            if word not in allowed and word not in KEPT_IN_EVERY_LANGUAGE and not CLASS.fullmatch(word):
                found.append(f"{word!r} in {line.strip()[:80]!r}")
    return sorted(set(found))


@pytest.mark.slow(10)
def test_in_japanese_the_dashboard_and_the_dossier_have_no_english_interface_text(
    page: Page, log_in, snap, demo
):
    log_in("head", DEMO_PASSWORD)
    # Switch in the user menu, as a person would; the choice is kept on the user.
    page.locator("#nav-user").click()
    page.locator("#language-switch button[lang=ja]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    allowed = names_in_the_data()
    page.goto("/analysis/")
    expect(page.locator("h1")).to_be_visible()
    snap("dashboard-ja")
    assert english_left(page, allowed) == []

    flagship = Account.objects.get(name__startswith="Nordic Steel")
    page.goto(f"/accounts/{flagship.pk}/dossier/")
    expect(page.locator("h1")).to_contain_text("Nordic Steel")
    snap("dossier-ja")
    assert english_left(page, allowed) == []
