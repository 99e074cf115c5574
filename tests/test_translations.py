"""The interface speaks ja, ru, fi and es completely: every message of the sources is translated.

A message added to a template or to Python without a translation fails here, naming it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def test_the_four_languages_are_offered() -> None:
    assert TRANSLATED == ["ja", "ru", "fi", "es"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    po = catalog(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    untranslated += [e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())]
    assert untranslated == [], f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy, "the catalog's header is marked fuzzy"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_one_in_use(language: str) -> None:
    """The .mo Django loads holds exactly what the .po says (run `compilemessages` after editing)."""
    po = catalog(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in mo if e.msgid}
    source = {
        key(e): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()}) for e in po if not e.obsolete
    }
    compiled = {k: (s, {int(n): v for n, v in p.items()}) for k, (s, p) in compiled.items()}
    assert compiled == source


@pytest.mark.skipif(
    not shutil.which("msgfmt") and not os.environ.get("CI"), reason="msgfmt (GNU gettext) is not installed"
)
@pytest.mark.parametrize("language", TRANSLATED)
def test_msgfmt_checks_the_catalog(language: str) -> None:
    """Placeholders match their message (`%(name)s`), plural forms are complete: what compilemessages runs."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    msgfmt = shutil.which("msgfmt") or "msgfmt"
    # A fixed program on the project's own file.
    done = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "--statistics", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "untranslated" not in done.stderr and "fuzzy" not in done.stderr, done.stderr


@pytest.mark.skipif(
    not shutil.which("xgettext") and not os.environ.get("CI"),
    reason="xgettext (GNU gettext) is not installed",
)
def test_the_catalogs_hold_every_message_of_the_sources(tmp_path: Path, monkeypatch) -> None:
    # makemessages writes next to the sources it reads: run it on a copy, without the catalogs.
    copy = tmp_path / "src"
    skip = shutil.ignore_patterns(
        ".*", "locale", "node_modules", "staticfiles", "media", "test-artifacts", "*.pyc"
    )
    shutil.copytree(settings.BASE_DIR, copy, ignore=skip)
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["ja"], verbosity=0)
    fresh_po = copy / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    fresh = {key(e) for e in polib.pofile(str(fresh_po)) if e.msgid}
    assert len(fresh) > 1000  # the copy holds the application's sources
    for language in TRANSLATED:
        kept = {key(e) for e in catalog(language) if not e.obsolete}
        missing = sorted(fresh - kept)
        assert missing == [], f"{language}: run `python manage.py makemessages -a`: {missing[:10]}"


def test_a_users_own_language_wins_over_the_browsers(client, kam) -> None:
    kam.language = "fi"
    kam.save()
    client.force_login(kam)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert page["Content-Language"] == "fi"
    assert '<html lang="fi"' in page.content.decode()


def test_without_a_choice_the_browsers_language_is_used(client) -> None:
    page = client.get("/auth/login/", HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5")
    assert page["Content-Language"] == "ru"
    assert '<html lang="ru"' in page.content.decode()


def test_the_switcher_saves_the_choice_and_goes_back(client, kam) -> None:
    client.force_login(kam)
    answer = client.post("/language/", {"language": "ja", "next": "/accounts/"})
    assert answer.status_code == 302 and answer["Location"] == "/accounts/"
    kam.refresh_from_db()
    assert kam.language == "ja"
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    assert client.get("/accounts/")["Content-Language"] == "ja"


def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(client, kam) -> None:
    client.force_login(kam)
    assert client.post("/language/", {"language": "xx"}).status_code == 400
    answer = client.post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert answer["Location"] == "/"


@pytest.mark.parametrize(
    ("language", "money", "day"),
    [
        ("en", "1,234,567 EUR", "2026-03-05"),
        ("ja", "1,234,567 EUR", "2026/03/05"),
        ("ru", "1\xa0234\xa0567 EUR", "05.03.2026"),
        ("fi", "1\xa0234\xa0567 EUR", "5.3.2026"),
        ("es", "1\xa0234\xa0567 EUR", "05/03/2026"),
    ],
)
def test_money_and_dates_follow_the_language(language: str, money: str, day: str) -> None:
    from datetime import date
    from decimal import Decimal

    from django.utils.formats import date_format

    from accounts.templatetags.ui import money as money_filter

    with translation.override(language):
        assert money_filter(Decimal("1234567.4")) == money
        assert date_format(date(2026, 3, 5), "SHORT_DATE_FORMAT") == day
