"""Build the data set of the analytics page bench in bulk SQL: a department with a head and 20 KAMs,
N accounts (top-level, path "/id/"), 5 contacts each, the sales rollups of ~1,000 lines an account
over 36 months, some losses, refusals and win-back campaigns, and a complete analysis run.

    DATABASE_URL=postgres://…/kam_x .venv/bin/python bench/analytics_pages_data.py --accounts 10000

The pages read the rollups, never the lines, so the rollups are written directly (monthly rows per
account x month x 6 product lines, daily rows every 1-10 days), as an import of that ledger would
leave them. The run goes through the real services (`run_create` + `run_execute`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings.dev")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import Department, User  # noqa: E402
from analysis.models import AnalysisRun  # noqa: E402
from analysis.services import run_create, run_execute  # noqa: E402
from sales.rhythm import refresh_rhythm_of_all  # noqa: E402

KAMS = 20
PRODUCT_LINES = 6

# Each account buys every `step` days (1..10) from its first day until it stops: most buy until the
# end of the ledger, some stopped 2-4 months ago (at risk), some 6-24 months ago (lost). Its daily
# value follows a Pareto-like spread over the accounts.
SQL = """
INSERT INTO accounts_account (name, legal_name, external_id, industry, country, region, website,
    status, key_client_type, owner_id, department_id, path, version, created_at, updated_at)
SELECT 'Account ' || lpad(i::text, 6, '0'), '', 'B' || lpad(i::text, 6, '0'), '', '', '', '',
    'active', CASE WHEN i %% 40 = 0 THEN 'revenue_contributor' ELSE '' END,
    (%(kams)s)[1 + i %% %(n_kams)s], %(department)s, '', 1, now(), now()
FROM generate_series(1, %(accounts)s) i;
UPDATE accounts_account SET path = '/' || id || '/' WHERE path = '';
INSERT INTO accounts_accountteammember (account_id, user_id, team_role, added_at)
SELECT id, owner_id, 'kam', now() FROM accounts_account;
INSERT INTO accounts_contact (account_id, first_name, last_name, position, department, email, phone,
    mobile, dmu_role, influence, attitude, is_primary, birthday, family, hobbies, values, private_phone,
    consent_given, version, created_at, updated_at)
SELECT a.id, 'First' || c, 'Last' || a.id, '', '', '', '', '', '', 3, 'neutral', c = 1,
    date '1970-01-01' + ((a.id * 37 + c * 101) %% 12000)::int, '', '', '', '', true, 1, now(), now()
FROM accounts_account a, generate_series(1, 5) c;
INSERT INTO sales_productline (code, name)
SELECT 'PL' || p, 'Line ' || p FROM generate_series(1, %(lines)s) p ON CONFLICT DO NOTHING;
CREATE TEMP TABLE bench_rhythm AS
SELECT id AS account_id, (1 + id %% 10)::int AS step,
    (1000000.0 / power(1 + (id * 7919) %% %(accounts)s, 0.8))::numeric(16, 2) + 10 AS daily,
    CASE WHEN id %% 20 < 14 THEN %(end)s::date
         WHEN id %% 20 < 17 THEN %(end)s::date - (60 + id %% 60)::int
         ELSE %(end)s::date - (180 + id %% 540)::int END AS stops
FROM accounts_account;
INSERT INTO sales_dailysales (account_id, date, revenue, margin, line_count, purchase_lines)
SELECT r.account_id, d::date, r.daily * (1 + (r.account_id + extract(doy FROM d)) %% 5) / 3,
    r.daily / 10, 4, 4
FROM bench_rhythm r,
    generate_series(%(start)s::date + (r.account_id %% 90)::int, r.stops, make_interval(days => r.step)) d;
INSERT INTO sales_monthlysales (account_id, month, product_line_id, revenue, margin, margin_lines,
    quantity, line_count, purchase_dates)
SELECT d.account_id, date_trunc('month', d.date)::date, p.id, sum(d.revenue) / %(lines)s,
    sum(d.margin) / %(lines)s, 0, count(*), count(*) * 4 / %(lines)s + 1, count(*)
FROM sales_dailysales d, sales_productline p
GROUP BY d.account_id, date_trunc('month', d.date), p.id;
"""

EXTRAS = """
INSERT INTO retention_lossrecord (account_id, lost_on, reason, notes, created_at)
SELECT id, %(end)s::date - 30, (ARRAY['price','quality','competitor','service'])[1 + id %% 4], '', now()
FROM accounts_account WHERE id %% 20 = 19;
INSERT INTO retention_refusal (account_id, on, kind, reason, text, created_at)
SELECT id, %(end)s::date - (id %% 300)::int, 'order',
    (ARRAY['price','quality','competitor'])[1 + id %% 3], '', now()
FROM accounts_account WHERE id %% 5 = 0;
"""


def _exec(sql: str, params: dict) -> None:
    with connection.cursor() as cursor:
        for statement in filter(str.strip, sql.split(";\n")):
            cursor.execute(statement, params)


def _users() -> tuple[User, list[User], Department]:
    department, _ = Department.objects.get_or_create(code="bench", defaults={"name": "Bench"})
    hashed = make_password(None)  # no password: the bench logs its users in directly
    head = User.objects.create(username="bench-head", password=hashed, role=User.Role.HEAD)
    kams = User.objects.bulk_create(
        User(username=f"bench-kam{i}", password=hashed, role=User.Role.KAM, last_name=f"K{i:02d}")
        for i in range(KAMS)
    )
    for user in (head, *kams):
        user.departments.add(department)
    return head, kams, department


def build(accounts: int) -> AnalysisRun:
    import datetime as dt

    end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    head, kams, department = _users()
    params = {
        "kams": [k.pk for k in kams],
        "n_kams": len(kams),
        "department": department.pk,
        "accounts": accounts,
        "lines": PRODUCT_LINES,
        "end": end,
        "start": end - dt.timedelta(days=36 * 30),
    }
    started = time.perf_counter()
    _exec(SQL.replace("%(kams)s", "%(kams)s::int[]"), params)
    _exec(EXTRAS.replace(" on,", ' "on",'), params)
    with connection.cursor() as cursor:
        # The per-account rhythm, as an import keeps it beside the rollups: the run reads it to know
        # who bought (without it the run has no account in it and every page is empty).
        refresh_rhythm_of_all(cursor)
        cursor.execute("ANALYZE")
    print(f"rows written in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    started = time.perf_counter()
    run = run_execute(run=run_create(by=None, as_of=end, trigger=AnalysisRun.Trigger.COMMAND))
    _campaigns(head, department, run)
    print(
        f"run #{run.pk}: {run.account_count} accounts in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return run


def _campaigns(head: User, department: Department, run: AnalysisRun) -> None:
    """Five campaigns of 40 lost accounts each, through the real service."""
    from accounts.models import Account
    from retention.services import campaign_create

    lost = list(Account.objects.filter(status="lost").order_by("pk")[:200])
    for i in range(5):
        campaign_create(by=head, accounts=lost[i * 40 : (i + 1) * 40], name=f"Win back {i}", goal="Back",
                        method="discount", budget=1000, starts_on=run.as_of, ends_on=run.as_of)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, required=True)
    build(parser.parse_args().accounts)
