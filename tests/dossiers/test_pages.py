"""The Dossier tab and the home page's agenda: who may see and write what, forms, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.visibility import cached_subtree_ids as keep_visible_ids
from dossiers import services
from dossiers.models import AccountProfile, Interaction, ProfileChange, Task, Tender
from tests.factories import (
    AccountFactory,
    CompetitorFactory,
    ContactFactory,
    InteractionFactory,
    PresenceFactory,
    TaskFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db


def tab_url(account):
    return reverse("dossiers:account-tab", args=[account.pk])


def profile_url(account):
    return reverse("dossiers:profile-edit", args=[account.pk])


def interaction_url(account):
    return reverse("dossiers:interaction-create", args=[account.pk])


def tender_url(account):
    return reverse("dossiers:tender-create", args=[account.pk])


MEETING = {"kind": "meeting", "occurred_at": "2026-11-20T10:00", "summary": "Volumes for 2027"}


# --- the tab ---


def test_the_owner_sees_profile_buying_centre_competitors_and_timeline(client, kam, account):
    services.profile_update(account=account, by=kam, description="Steel mill", headcount=120)
    boss = ContactFactory(account=account, first_name="Anna", last_name="Boss", dmu_role="decision_maker")
    ContactFactory(
        account=account, first_name="Bert", last_name="Buyer", reports_to=boss, attitude="opponent"
    )
    PresenceFactory(account=account, competitor__name="SteelCo", threat_level=5)
    InteractionFactory(account=account, summary="Discussed the frame contract")
    client.force_login(kam)

    page = client.get(tab_url(account)).content.decode()

    assert "Steel mill" in page and "Anna Boss" in page and "Bert Buyer" in page
    assert "attitude-opponent" in page and "SteelCo" in page and "Discussed the frame contract" in page
    assert "No financial approver identified." in page  # a coverage warning
    assert 'id="profile-form"' in page and 'id="interaction-form"' in page


def test_the_buying_centre_nests_reports_under_their_boss(client, kam, account):
    boss = ContactFactory(account=account, first_name="Anna", last_name="Boss")
    ContactFactory(account=account, first_name="Bert", last_name="Buyer", reports_to=boss)
    client.force_login(kam)
    page = client.get(tab_url(account)).content.decode()
    chart = page[page.index('class="tree org-chart"') :]
    assert chart.index("Anna Boss") < chart.index("<ul>") < chart.index("Bert Buyer")


def test_an_analyst_reads_the_tab_without_forms(client, analyst, account):
    client.force_login(analyst)
    response = client.get(tab_url(account))
    assert response.status_code == 200
    assert 'id="profile-form"' not in response.content.decode()


def test_an_outsider_gets_404_on_the_tab_and_the_forms(client, outsider, account):
    client.force_login(outsider)
    assert client.get(tab_url(account)).status_code == 404
    assert client.post(profile_url(account), {"description": "x"}).status_code == 404
    assert client.post(interaction_url(account), MEETING).status_code == 404
    assert not Interaction.objects.exists() and not AccountProfile.objects.exists()


def test_an_analyst_cannot_post(client, analyst, account):
    client.force_login(analyst)
    assert client.post(profile_url(account), {"description": "x"}).status_code == 403
    assert client.post(interaction_url(account), MEETING).status_code == 403
    assert not Interaction.objects.exists() and not AccountProfile.objects.exists()


def test_the_placeholder_tab_is_no_longer_linked(client, kam, account):
    client.force_login(kam)
    page = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert f'href="{tab_url(account)}"' in page


# --- profile edits ---


def test_a_profile_edit_is_saved_with_its_history(client, kam, account):
    client.force_login(kam)
    response = client.post(
        profile_url(account), {"description": "Steel mill", "headcount": "120", "version": "0"}
    )
    assert response.status_code == 302
    assert AccountProfile.objects.get(account=account).description == "Steel mill"
    page = client.get(tab_url(account)).content.decode()
    assert "Change history (2)" in page and "→ 120</td>" in page


def test_a_stale_profile_edit_is_refused_with_a_message_and_writes_nothing(client, kam, teammate, account):
    services.profile_update(account=account, by=kam, description="First")  # version 1
    services.profile_update(account=account, by=teammate, description="Second", version=1)
    client.force_login(kam)

    response = client.post(profile_url(account), {"description": "Mine", "version": "1"})

    assert response.status_code == 400
    assert "changed by someone else since you opened it" in response.content.decode()
    profile = AccountProfile.objects.get(account=account)
    assert (profile.description, profile.version, ProfileChange.objects.count()) == ("Second", 2, 2)


def test_a_bad_profile_value_is_shown_next_to_its_field(client, kam, account):
    client.force_login(kam)
    response = client.post(profile_url(account), {"headcount": "-3", "version": "0"})
    assert response.status_code == 400
    assert response.context["profile_form"].errors["headcount"]
    assert not AccountProfile.objects.exists()


# --- interactions ---


def test_an_interaction_with_a_next_step_creates_a_task(client, kam, account, contact):
    client.force_login(kam)
    due = timezone.localdate() + dt.timedelta(days=3)
    data = {**MEETING, "contacts": [contact.pk], "next_step": "Send samples", "next_step_due": due}

    response = client.post(interaction_url(account), data)

    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert list(interaction.contacts.all()) == [contact] and interaction.created_by == kam
    assert Task.objects.get().title == "Send samples"


def test_a_contact_of_another_account_gets_a_field_error_and_nothing_is_written(
    client, kam, account, foreign_contact
):
    client.force_login(kam)
    response = client.post(interaction_url(account), {**MEETING, "contacts": [foreign_contact.pk]})
    assert response.status_code == 400
    assert "do not belong to Nordic Steel" in response.context["interaction_form"].errors["contacts"][0]
    assert not Interaction.objects.exists()


def test_a_missing_summary_gets_a_field_error(client, kam, account):
    client.force_login(kam)
    response = client.post(interaction_url(account), {**MEETING, "summary": ""})
    assert response.status_code == 400
    assert response.context["interaction_form"].errors["summary"]


# --- planning a tender ---

TENDER = {"title": "Rails 2027", "value": "250000.00", "status": "planned"}


def test_a_planned_tender_is_listed_with_its_preparation_milestones(client, kam, account):
    rival = CompetitorFactory(name="SteelCo")
    client.force_login(kam)

    response = client.post(
        tender_url(account),
        {**TENDER, "announced_on": "2026-12-01", "submission_on": "2027-09-15", "competitors": [rival.pk]},
    )

    assert response.status_code == 302 and response["Location"].endswith("#tenders")
    tender = Tender.objects.get()
    assert list(tender.competitors.all()) == [rival]
    page = client.get(tab_url(account)).content.decode()
    assert "Rails 2027" in page
    # The nine-month plan, from the default milestone template.
    assert "2026-12-15" in page and "Study the tender requirements" in page and "Submit the bid" in page


def test_a_submission_before_the_announcement_gets_a_field_error_and_writes_nothing(client, kam, account):
    client.force_login(kam)

    response = client.post(
        tender_url(account), {**TENDER, "announced_on": "2027-03-01", "submission_on": "2027-01-15"}
    )

    assert response.status_code == 400
    assert response.context["tender_form"].errors["submission_on"] == [
        "The submission cannot come before the announcement."
    ]
    assert 'id="tender-form"' in response.content.decode()
    assert not Tender.objects.exists()


def test_analysts_and_outsiders_cannot_plan_a_tender(client, analyst, outsider, account):
    client.force_login(analyst)
    assert client.post(tender_url(account), TENDER).status_code == 403
    client.force_login(outsider)
    assert client.post(tender_url(account), TENDER).status_code == 404
    assert not Tender.objects.exists()


# --- home page ---


def test_a_next_step_shows_on_the_home_page_and_can_be_marked_done(client, kam, account):
    client.force_login(kam)
    due = timezone.localdate() + dt.timedelta(days=2)
    client.post(interaction_url(account), {**MEETING, "next_step": "Send samples", "next_step_due": due})
    task = Task.objects.get()
    assert "Send samples" in client.get(reverse("home")).content.decode()

    response = client.post(reverse("dossiers:task-done", args=[task.pk]), {"next": "/"})

    assert response.status_code == 302 and response["Location"] == "/"
    task.refresh_from_db()
    assert task.done
    assert 'class="task-row"' not in client.get(reverse("home")).content.decode()


def test_overdue_tasks_are_flagged(client, kam, account):
    TaskFactory(
        owner=kam, account=account, title="Late call", due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    client.force_login(kam)
    page = client.get(reverse("home")).content.decode()
    assert "Late call" in page and "overdue" in page


def test_someone_elses_task_cannot_be_marked_done(client, teammate, kam, account):
    task = TaskFactory(owner=kam, account=account)
    client.force_login(teammate)
    assert client.post(reverse("dossiers:task-done", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert not task.done


def test_tender_milestones_of_the_next_30_days_show_on_the_home_page(client, kam, account, foreign_account):
    soon = timezone.localdate() + dt.timedelta(days=10)
    for acc, title in ((account, "Own tender"), (foreign_account, "Foreign tender")):
        tender = TenderFactory(account=acc, title=title, announced_on=None, submission_on=None)
        tender.milestones.create(title=f"{title} kick-off", due_on=soon)
    client.force_login(kam)
    page = client.get(reverse("home")).content.decode()
    assert "Own tender kick-off" in page
    assert "Foreign tender" not in page


def strategic(account, kam, *, review_due):
    services.assessment_update(
        account=account, by=kam, **dict.fromkeys(("volume", "loyalty", "pays_cash"), True)
    )
    services.profile_update(account=account, by=kam, description="Strategic")
    AccountProfile.objects.filter(account=account).update(next_review_due=review_due)


def test_strategic_accounts_whose_review_is_due_show_on_the_home_page(client, kam, account, foreign_account):
    today = timezone.localdate()
    strategic(account, kam, review_due=today - dt.timedelta(days=3))
    later = AccountFactory(name="Later Steel", owner=kam)
    strategic(later, kam, review_due=today + dt.timedelta(days=40))
    ordinary = AccountFactory(name="Ordinary Steel", owner=kam)
    services.profile_update(account=ordinary, by=kam, description="Not strategic")
    AccountProfile.objects.filter(account=ordinary).update(next_review_due=today)
    strategic(foreign_account, foreign_account.owner, review_due=today)
    client.force_login(kam)

    agenda = client.get(reverse("home")).context["agenda"]

    assert [p.account for p in agenda.reviews_due] == [account]


# --- query count ---


def build_dossier(account, kam, n):
    boss = ContactFactory(account=account, dmu_role="decision_maker")
    contacts = [ContactFactory(account=account, reports_to=boss) for _ in range(n)]
    for i in range(n):
        interaction = InteractionFactory(account=account)
        interaction.contacts.set(contacts[: i % 3 + 1])
        TenderFactory(account=account)
        PresenceFactory(account=account)
        services.profile_update(account=account, by=kam, description=f"Version {i}")


# 1. the session
# 2. the logged-in user
# 3. the account, owner/department/parent and profile/assessment/qualification (+ confirmers) joined
# 4. the profile's latest changes, with who made them
# 5. the account's contacts (the buying-centre map and the form's choices)
# 6. the contact ids of the recent interactions (single-contact warning)
# 7. the latest interactions with their author
# 8. the contacts of those interactions (prefetch)
# 9. the competitors present
# 10. the open tenders
# 11. their milestones (prefetch)
# 12. the competitor registry (the tender form's choices)
DOSSIER_QUERIES = 12


@pytest.mark.parametrize("n", [1, 12])
def test_the_dossier_tab_runs_a_constant_number_of_queries(
    client, kam, account, n, django_assert_num_queries
):
    build_dossier(account, kam, n)
    client.force_login(kam)
    keep_visible_ids(kam)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    with django_assert_num_queries(DOSSIER_QUERIES):
        assert client.get(tab_url(account)).status_code == 200
