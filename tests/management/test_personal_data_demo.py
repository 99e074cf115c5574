"""A demo contact exported, then erased: the export holds everything, the erasure takes only the person.

The demo takes a while to seed, so one test walks the whole story."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import Account, Contact, User
from analysis.models import AccountSegment, AnalysisRun
from analysis.services import run_create, run_execute
from dossiers.models import Interaction
from dossiers.timeline import account_timeline
from management.personal_data.erasure import personal_data_erase
from retention.selectors import latest_run

pytestmark = pytest.mark.django_db(transaction=False)


def _history(account: Account) -> dict:
    """What must survive an erasure: the timeline (without the people's names), interactions, DMU."""
    timeline = [
        (e.at, e.type, e.title, e.detail, e.by, e.amount, len(e.people))
        for e in account_timeline(account=account, limit=500)
    ]
    return {
        "timeline": timeline,
        "interactions": Interaction.objects.filter(account=account).count(),
        "dmu": list(
            Contact.objects.filter(account=account)
            .order_by("pk")
            .values_list("pk", "dmu_role", "influence", "attitude", "position", "reports_to")
        ),
    }


def _segments(run: AnalysisRun) -> list:
    return list(
        AccountSegment.objects.filter(run=run)
        .order_by("account_id")
        .values_list("account_id", "abc_class", "xyz_class", "value", "rank")
    )


def test_a_demo_contact_exported_then_erased():
    call_command("seed_demo", "--accounts", "12", stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    contact = Contact.objects.annotate(n=Count("interactions")).filter(n__gt=0).order_by("-n", "pk").first()
    assert contact is not None and contact.hobbies
    account = contact.account
    run = latest_run()
    assert run is not None

    out = io.StringIO()
    call_command("export_personal_data", "--contact", str(contact.pk), "--by", "admin", stdout=out)
    document = json.loads(out.getvalue())
    for field in Contact._meta.concrete_fields:
        assert field.name in document["contact"], field.name
    assert document["contact"]["hobbies"] == contact.hobbies
    assert document["contact"]["birthday"] == contact.birthday.isoformat()
    assert {i["id"] for i in document["interactions"]} == set(
        contact.interactions.values_list("pk", flat=True)
    )
    assert [c["channel"] for c in document["consents"]] == ["written"]

    before, segments = _history(account), _segments(run)
    personal_data_erase(contact=contact, by=admin)
    contact.refresh_from_db()

    assert all(not getattr(contact, name) for name in (*Contact.PERSONAL_FIELDS, "email", "phone"))
    assert contact.full_name == f"Erased contact #{contact.pk}"
    assert _history(account) == before
    assert _segments(run) == segments
    again = run_execute(run=run_create(by=None, as_of=run.as_of, trigger=AnalysisRun.Trigger.COMMAND))
    assert (again.input_hash, again.result_hash) == (run.input_hash, run.result_hash)
    assert _segments(again) == segments
