"""manage.py consumption_report: one XLSX and one PDF per account, or a clear error and no file."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("consumption_report", *args, stdout=out)
    return out.getvalue()


def test_all_writes_one_xlsx_and_one_pdf_per_account_with_sales(ledger, tmp_path):
    AccountFactory(name="No Sales Ltd")  # nothing sold: no report
    out = run("--all", "--half", "2026H1", "--output", str(tmp_path / "reports"))
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "baltic-foods-consumption-2026h1.pdf", "baltic-foods-consumption-2026h1.xlsx",
        "nordic-steel-consumption-2026h1.pdf", "nordic-steel-consumption-2026h1.xlsx",
    ]  # fmt: skip
    assert "2/2 accounts" in out and "4 file(s) for 2 account(s), 2026H1" in out


def test_one_account_by_its_external_id(ledger, tmp_path):
    run("--account", "00017", "--half", "2026H1", "--output", str(tmp_path))
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".pdf", ".xlsx"]


def test_the_default_half_is_the_last_closed_one(ledger, tmp_path, settings):
    out = run("--account", "00017", "--output", str(tmp_path))
    assert "written to" in out and len(list(tmp_path.iterdir())) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "NOPE", "--half", "2026H1"], "no account has the external id 'NOPE'"),
        (["--all", "--half", "2026Q1"], "'2026Q1' is not a half-year"),
        (["--all", "--half", "junk"], "'junk' is not a half-year"),
        (["--all", "--half", "2199H1"], "2199H1 has not begun yet"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(ledger, tmp_path, args, message):
    output = tmp_path / "reports"
    with pytest.raises(CommandError, match=message):
        run(*args, "--output", str(output))
    assert not output.exists()


def test_an_output_that_is_a_file_is_refused(ledger, tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        run("--all", "--half", "2026H1", "--output", str(target))
