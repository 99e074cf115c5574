"""A contact's personal data: the export of everything held, its erasure, the access log's retention."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact, PersonalDataAccess
from accounts.services import personal_data_access_log
from management.models import ErasureReviewFlag, ManagementPolicy, PersonalDataErasure
from management.personal_data.erasure import personal_data_erase
from management.personal_data.export import personal_data_export
from management.personal_data.retention import access_log_cutoff, access_log_purge
from management.rules import DEFAULTS
from management.services import policy_update
from management.tasks import purge_personal_data_access_log
from proposals.services import proposal_create
from retention.survey_services import invitation_create, survey_answer
from tests.factories import ComplaintFactory, ContactFactory, InteractionFactory, SurveyFactory

pytestmark = pytest.mark.django_db
PAGE = PersonalDataAccess.Channel.PAGE


@pytest.fixture
def held(kam, account, contact):
    """The contact named in an interaction, a complaint, a proposal and a survey answer."""
    meeting = InteractionFactory(account=account, summary="Lunch with Laura Virtanen", created_by=kam)
    meeting.contacts.add(contact)
    call = InteractionFactory(account=account, kind="call", summary="Price call")
    call.contacts.add(contact)
    complaint = ComplaintFactory(account=account, contact=contact, description="Virtanen reports rust")
    proposal = proposal_create(account=account, by=kam, title="Coils 2027")
    proposal.contacts.add(contact)
    survey = SurveyFactory(questions=[("How satisfied are you?", "scale", True)])
    invitation, token = invitation_create(survey=survey, account=account, contact=contact, by=kam)
    survey_answer(token=token, answers={q.pk: "4" for q in survey.questions.all()})
    return {
        "interactions": [meeting, call],
        "complaint": complaint,
        "proposal": proposal,
        "invitation": invitation,
    }


# --- export ---


def test_the_export_holds_every_field_and_everything_that_names_the_contact(head, contact, held):
    document = personal_data_export(contact=contact, by=head, channel=PAGE)
    fields = {f.name for f in Contact._meta.concrete_fields}
    assert fields <= set(document["contact"])
    assert document["contact"]["hobbies"] == "sailing"
    assert {i["id"] for i in document["interactions"]} == {i.pk for i in held["interactions"]}
    assert [c["id"] for c in document["complaint_cases"]] == [held["complaint"].pk]
    assert [p["id"] for p in document["proposals"]] == [held["proposal"].pk]
    assert [s["id"] for s in document["survey_answers"]] == [held["invitation"].pk]
    assert "token_hash" not in document["survey_answers"][0]
    assert [a["score"] for a in document["survey_answers"][0]["answers"]] == [4]
    json.dumps(document, default=str)  # plain data


def test_the_export_is_logged_as_an_export_and_lists_itself(head, contact):
    document = personal_data_export(contact=contact, by=head, channel=PAGE)
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.action, list(access.contacts.all())) == (head, "export", [contact])
    assert document["access_log"][-1]["action"] == "export"


def test_the_reporting_lines_are_in_the_export(head, account, contact):
    boss = ContactFactory(account=account, first_name="Mika", last_name="Boss")
    report = ContactFactory(account=account, reports_to=contact)
    Contact.objects.filter(pk=contact.pk).update(reports_to=boss)
    lines = personal_data_export(contact=contact, by=head, channel=PAGE)["reporting_lines"]
    assert lines["reports_to"]["id"] == boss.pk
    assert [r["id"] for r in lines["direct_reports"]] == [report.pk]


def test_the_page_download_is_json_for_heads_and_admins(client, head, admin_user, contact):
    for user in (head, admin_user):
        client.force_login(user)
        response = client.get(reverse("management:personal-data-export", args=[contact.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert json.loads(response.content)["contact"]["id"] == contact.pk


@pytest.mark.parametrize("who", ["kam", "teammate", "analyst"])
def test_who_sees_the_contact_but_is_not_a_head_or_admin_is_refused(client, request, who, contact):
    client.force_login(request.getfixturevalue(who))
    for name in ("management:personal-data-export", "management:personal-data-erase"):
        assert client.get(reverse(name, args=[contact.pk])).status_code == 403
    assert (
        client.post(
            reverse("management:personal-data-erase", args=[contact.pk]), {"confirm": "on"}
        ).status_code
        == 403
    )
    assert not PersonalDataErasure.objects.exists()
    assert not PersonalDataAccess.objects.filter(action__in=["export", "erase"]).exists()


def test_a_contact_the_head_cannot_see_answers_404(client, other_head, contact):
    client.force_login(other_head)
    assert client.get(reverse("management:personal-data-export", args=[contact.pk])).status_code == 404
    assert (
        client.post(
            reverse("management:personal-data-erase", args=[contact.pk]), {"confirm": "on"}
        ).status_code
        == 404
    )


def test_the_command_writes_the_same_document_to_stdout_or_a_file(head, contact, held, tmp_path):
    out = io.StringIO()
    call_command("export_personal_data", "--contact", str(contact.pk), "--by", "head", stdout=out)
    document = json.loads(out.getvalue())
    assert document["exported_by"] == "head"
    assert len(document["interactions"]) == 2
    target = tmp_path / "export.json"
    call_command(
        "export_personal_data", "--contact", str(contact.pk), "--output", str(target), stderr=io.StringIO()
    )
    assert json.loads(target.read_text())["contact"]["last_name"] == "Virtanen"
    logged = PersonalDataAccess.objects.filter(action="export", channel="command")
    assert logged.count() == 2 and logged.filter(user__isnull=True).count() == 1


def test_the_command_refuses_bad_input_before_logging_anything(contact, tmp_path):
    with pytest.raises(CommandError, match="--contact"):
        call_command("export_personal_data", "--contact", "999999")
    with pytest.raises(CommandError, match="--by"):
        call_command("export_personal_data", "--contact", str(contact.pk), "--by", "nobody")
    with pytest.raises(CommandError, match="--output"):
        call_command("export_personal_data", "--contact", str(contact.pk), "--output", str(tmp_path))
    assert not PersonalDataAccess.objects.exists()


# --- erasure ---


def test_erasure_clears_the_person_and_keeps_the_business(head, contact, held):
    erasure = personal_data_erase(contact=contact, by=head)
    contact.refresh_from_db()
    assert contact.full_name == f"Erased contact #{contact.pk}"
    assert all(not getattr(contact, name) for name in (*Contact.PERSONAL_FIELDS, "email", "phone", "mobile"))
    assert (contact.dmu_role, contact.influence, contact.position) == ("buyer", 3, "Head of Procurement")
    assert contact.interactions.count() == 2
    assert set(erasure.cleared_fields) >= {"birthday", "hobbies", "email", "first_name", "last_name"}
    assert "sailing" not in json.dumps(erasure.cleared_fields)
    assert erasure.erased_by == head
    assert PersonalDataAccess.objects.filter(action="erase", contacts=contact).count() == 1


def test_erasure_flags_the_free_texts_that_name_the_person(head, contact, held):
    erasure = personal_data_erase(contact=contact, by=head)
    flagged = set(erasure.flags.values_list("record_type", "record_id", "field"))
    assert flagged == {
        ("dossiers.interaction", held["interactions"][0].pk, "summary"),
        ("dossiers.complaintcase", held["complaint"].pk, "description"),
    }


def test_erasure_is_idempotent(head, contact, held):
    first = personal_data_erase(contact=contact, by=head)
    again = personal_data_erase(contact=contact, by=head)
    assert again.pk == first.pk
    assert PersonalDataErasure.objects.count() == 1 and ErasureReviewFlag.objects.count() == 2


def test_erasure_from_the_page_needs_the_confirmation(client, head, contact, held):
    client.force_login(head)
    url = reverse("management:personal-data-erase", args=[contact.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Erased contact #" in page.content.decode()
    assert client.post(url, {}).status_code == 400
    assert not PersonalDataErasure.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Contact.objects.get(pk=contact.pk).last_name == f"#{contact.pk}"


def test_flags_are_resolved_in_the_admin(client, admin_user, head, contact, held):
    erasure = personal_data_erase(contact=contact, by=head)
    client.force_login(admin_user)
    changelist = reverse("admin:management_erasurereviewflag_changelist")
    assert client.get(changelist, {"open": "yes"}).status_code == 200
    ids = [str(pk) for pk in erasure.flags.values_list("pk", flat=True)]
    client.post(changelist, {"action": "mark_resolved", "_selected_action": ids})
    assert not erasure.flags.filter(resolved_at__isnull=True).exists()
    assert set(erasure.flags.values_list("resolved_by", flat=True)) == {admin_user.pk}


# --- the access log's retention ---


def _logged_at(user, contact, when: dt.datetime) -> PersonalDataAccess:
    access = personal_data_access_log(user=user, contacts=[contact], channel=PAGE)
    assert access is not None
    PersonalDataAccess.objects.filter(pk=access.pk).update(accessed_at=when)
    return access


def test_the_retention_period_is_a_policy_value_of_24_months_by_default(head):
    assert DEFAULTS.access_log_retention_months == 24
    policy = policy_update(by=head, access_log_retention_months=6)
    assert policy.access_log_retention_months == 6
    assert policy.neglect_days == DEFAULTS.neglect_days  # the rest of the policy in force is kept


def test_the_purge_removes_only_the_rows_past_the_retention_period(kam, contact):
    now = timezone.now()
    cutoff = access_log_cutoff(now=now)
    assert cutoff.date() <= (now - dt.timedelta(days=24 * 30)).date()
    old = _logged_at(kam, contact, cutoff - dt.timedelta(minutes=1))
    kept = _logged_at(kam, contact, cutoff + dt.timedelta(minutes=1))
    recent = _logged_at(kam, contact, now)
    assert access_log_purge(now=now) == 1
    assert set(PersonalDataAccess.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}
    assert not PersonalDataAccess.contacts.through.objects.filter(personaldataaccess_id=old.pk).exists()


def test_the_purge_follows_the_policy(head, kam, contact):
    policy_update(by=head, access_log_retention_months=3)
    _logged_at(kam, contact, timezone.now() - dt.timedelta(days=100))
    _logged_at(kam, contact, timezone.now() - dt.timedelta(days=80))
    assert purge_personal_data_access_log() == 1
    assert PersonalDataAccess.objects.count() == 1


def test_the_purge_runs_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["nightly-access-log-purge"]
    assert entry["task"] == "management.tasks.purge_personal_data_access_log"


# --- the access log's admin page ---


def test_the_access_log_filters_by_who_whose_when_channel_and_action(client, admin_user, kam, head, contact):
    other = ContactFactory(account=contact.account, first_name="Olli", last_name="Other")
    _logged_at(kam, contact, timezone.now() - dt.timedelta(days=40))
    personal_data_access_log(user=head, contacts=[other], channel="api", action="export")
    client.force_login(admin_user)
    url = reverse("admin:accounts_personaldataaccess_changelist")

    def count(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return response.context["cl"].result_count

    assert count() == 2
    assert count(user__id__exact=kam.pk) == 1
    assert count(contact=str(other.pk)) == 1
    assert count(contact="Virtanen") == 1
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert count(**{"from": since}) == 1
    assert count(until=since) == 1
    assert count(channel__exact="api") == 1
    assert count(action__exact="export") == 1


def test_the_retention_period_is_set_on_the_policy_page(client, head):
    client.force_login(head)
    form = {
        "kam_load_target": "9",
        "neglect_days": "45",
        "strategic_share_cap": "20",
        **{f"sla_days_{severity}": "10" for severity in ("critical", "high", "medium", "low")},
    }
    bad = client.post(reverse("management:policy"), {**form, "access_log_retention_months": "0"})
    assert bad.status_code == 400 and "access_log_retention_months" in bad.context["form"].errors
    good = client.post(reverse("management:policy"), {**form, "access_log_retention_months": "36"})
    assert good.status_code == 302
    assert ManagementPolicy.objects.get().access_log_retention_months == 36
    assert "36 months" in client.get(reverse("management:policy")).content.decode()


def test_erasure_leaves_no_erased_value_in_the_change_history(client, head, contact):
    from auditlog.models import LogEntry

    from accounts.services import contact_update

    contact = contact_update(contact=contact, personal=True, hobbies="Sailing", family="Two daughters")
    personal_data_erase(contact=contact, by=head)

    entries = LogEntry.objects.get_for_object(contact)
    assert entries.count() >= 2  # the edit and the erasure itself stay, saying what changed
    stored = json.dumps([[e.changes, e.object_repr] for e in entries])
    for value in ("Sailing", "Two daughters", "Laura", "Virtanen"):
        assert value not in stored
    client.force_login(head)
    page = client.get(reverse("audit:contact", args=[contact.pk])).content.decode()
    assert "Sailing" not in page and "Virtanen" not in page and "Erased contact" in page


def test_after_a_withdrawal_the_history_hides_the_personal_values_too(client, kam, contact):
    from accounts.consent import consent_withdraw
    from accounts.services import contact_update

    contact = contact_update(contact=contact, personal=True, hobbies="Sailing")
    client.force_login(kam)
    assert "Sailing" in client.get(reverse("audit:contact", args=[contact.pk])).content.decode()
    consent_withdraw(contact=contact, withdrawn_on=timezone.localdate(), by=kam)
    page = client.get(reverse("audit:contact", args=[contact.pk])).content.decode()
    assert "Sailing" not in page and "personal data, not shown" in page
