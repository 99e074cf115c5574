"""The web load test's pieces in bench/: the data set at a tiny size, the report, the scenario file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Account, Contact, User
from analysis.models import AnalysisRun
from bench import load_report, make_web_data
from dossiers.models import Interaction, Task
from proposals.models import Proposal
from retention.models import Refusal
from sales.models import SalesLine

ROOT = Path(__file__).resolve().parent.parent


POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="make_web_data builds PostgreSQL databases only"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_the_data_set_is_built_at_a_tiny_size(media, tmp_path):
    args = make_web_data.parse_args(
        ["--accounts", "30", "--contacts", "60", "--lines", "2000", "--kams", "3", "--password", "pw-123456",
         "--ledger-dir", str(tmp_path)]
    )  # fmt: skip

    built = make_web_data.build(args, quiet=True)

    assert Account.objects.count() == 30
    assert Contact.objects.count() == 60
    assert SalesLine.objects.count() == 2000
    assert built["run"].status == AnalysisRun.Status.COMPLETE
    assert AnalysisRun.objects.filter(status=AnalysisRun.Status.COMPLETE).count() == 2
    head = User.objects.get(username="head")
    assert head.check_password("pw-123456") and head.is_head
    assert Account.objects.visible_to(head).count() == 30
    for kam in User.objects.filter(username__in=["kam01", "kam02", "kam03"]):
        assert Account.objects.visible_to(kam).count() >= 8  # a tenth each, with their groups
    subsidiary = Account.objects.filter(parent__isnull=False).select_related("parent").first()
    assert subsidiary is not None
    assert subsidiary.path == f"{subsidiary.parent.path}{subsidiary.pk}/"
    assert Contact.objects.filter(is_primary=True).count() == 30
    assert not Contact.objects.filter(birthday__isnull=True).exists()
    assert Interaction.objects.exists() and Task.objects.exists()
    assert Proposal.objects.exists() and Refusal.objects.exists()


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_the_data_set_refuses_a_database_not_named_for_it():
    with pytest.raises(SystemExit, match="bench' or 'web'"):
        make_web_data.require_bench_database()


STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,\
99%,99.9%,99.99%,100%
POST,(login),4,0,300,300,250,350,1300,1,0,300,300,300,300,300,300,300,300,300,300,300
GET,home,200,{failures},120,130,90,410.2,20480,5,0,120,130,140,150,170,190,240,300,410,410,410
,Aggregated,204,0,120,130,90,410,20000,5,0,120,130,140,150,170,190,240,300,410,410,410
"""


@pytest.mark.parametrize(("failures", "status"), [(0, 0), (2, 1)])
def test_the_report_prints_percentiles_per_page_and_fails_on_a_failed_request(
    tmp_path, capsys, failures, status
):
    stats = tmp_path / "kam_stats.csv"
    stats.write_text(STATS.format(failures=failures))

    assert load_report.main([str(stats)]) == status

    out = capsys.readouterr().out
    assert "| home | 200 | " + str(failures) + " | 120 | 190 | 300 | 410 | 20 | - | 200 ok |" in out
    assert "(login)" not in out
    assert "1 of 1 pages with a target kept their p95 under load." in out


def test_the_report_sets_each_page_against_its_target_and_its_time_alone(tmp_path, capsys):
    stats, alone = tmp_path / "kam_stats.csv", tmp_path / "alone-kam_stats.csv"
    listed = STATS.format(failures=0).replace("GET,home,", "GET,accounts list,")  # p95 190, target 150
    contact = "GET,contact,200,0,80,80,60,120,9000,5,0,80,80,90,90,100,110,110,120,120,120,120\n"
    stats.write_text(listed + contact)
    alone.write_text(listed.replace(",120,130,140,150,170,190,", ",45,130,140,150,170,190,"))  # p50 45

    assert load_report.main([str(stats), "--alone", str(alone)]) == 0

    out = capsys.readouterr().out
    assert "| accounts list | 200 | 0 | 120 | 190 | 300 | 410 | 20 | 45 | 150 **over** |" in out
    assert "| contact | 200 | 0 | 80 | 110 | 120 | 120 | 9 | - |  |" in out  # no target, not run alone
    assert "0 of 1 pages with a target kept their p95 under load." in out


def test_the_scenario_file_loads_with_its_three_users():
    # In a process of its own: importing locust patches the standard library for gevent.
    listed = subprocess.run(
        [sys.executable, "-m", "locust", "-f", "bench/locustfile.py", "--list"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert {"KamUser", "HeadUser", "ApiClient"} <= set(listed.stdout.split())
