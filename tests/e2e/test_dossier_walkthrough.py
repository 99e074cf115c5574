"""Issue 6's acceptance walk: a KAM records a meeting, sees its next step at home, reads the buying
centre, plans a tender, and finds all of it again through the navbar search."""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from dossiers.models import Interaction, Task, Tender
from tests.factories import CompetitorFactory, ContactFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def buying_centre(account):
    """A decision maker and a buyer reporting to them."""
    boss = ContactFactory(
        account=account, first_name="Anna", last_name="Koski", dmu_role="decision_maker", influence=5
    )
    buyer = ContactFactory(
        account=account, first_name="Bert", last_name="Lind", reports_to=boss, attitude="opponent"
    )
    return boss, buyer


@pytest.fixture
def preparation_plan(transactional_db):
    """Tests run without migrations, and live-server tests flush the tables: load the default plan."""
    import_module("dossiers.migrations.0002_default_milestone_template").create_default_plan(apps, None)


def search_from_the_navbar(page: Page, query: str) -> None:
    box = page.locator("nav").get_by_role("searchbox", name="Search")
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))


def test_kam_records_a_meeting_plans_a_tender_and_finds_both(
    page: Page, log_in, snap, kam, account, buying_centre, foreign_account, preparation_plan
):
    boss, buyer = buying_centre
    CompetitorFactory(name="SteelCo")
    today = timezone.localdate()
    due = today + dt.timedelta(days=3)
    submission = today + dt.timedelta(days=300)
    log_in("owner")

    # The Dossier tab, with the buying centre drawn as an org chart: the buyer under their boss.
    page.goto(f"/accounts/{account.pk}/dossier/")
    chart = page.locator("#buying-centre .org-chart")
    expect(chart.locator("li", has_text="Anna Koski").locator("ul li")).to_contain_text("Bert Lind")
    expect(chart.locator(".attitude-opponent", has_text="Bert Lind")).to_be_visible()
    chart.scroll_into_view_if_needed()
    snap("buying-centre")

    # A meeting with both contacts and a next step with a due date.
    page.get_by_role("button", name="Record an interaction").click()
    form = page.locator("#interaction-form")
    expect(form).to_be_visible()
    form.locator("#id_kind").select_option("meeting")
    form.locator("#id_occurred_at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_contacts").select_option([str(boss.pk), str(buyer.pk)])
    form.locator("#id_summary").fill("Frame contract for cold-rolled coils")
    form.locator("#id_next_step").fill("Send the 2027 price list")
    form.locator("#id_next_step_due").fill(due.isoformat())
    form.scroll_into_view_if_needed()
    snap("meeting-form")
    form.get_by_role("button", name="Record").click()

    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Frame contract for cold-rolled coils")
    expect(timeline).to_contain_text("Anna Koski, Bert Lind")
    timeline.scroll_into_view_if_needed()
    snap("meeting-recorded")
    interaction = Interaction.objects.get(account=account)
    assert set(interaction.contacts.all()) == {boss, buyer}

    # The next step is a task on the home page.
    page.goto("/")
    tasks = page.locator("#my-tasks")
    expect(tasks.locator(".task-row", has_text="Send the 2027 price list")).to_contain_text(due.isoformat())
    snap("home-task")
    assert Task.objects.get(owner=kam).due_on == due

    # A tender with its nine-month preparation plan.
    page.goto(f"/accounts/{account.pk}/dossier/")
    page.get_by_role("button", name="Plan a tender").click()
    form = page.locator("#tender-form")
    expect(form).to_be_visible()
    form.locator("#id_title").fill("Rails framework 2027")
    form.locator("#id_value").fill("250000")
    form.locator("#id_announced_on").fill(today.isoformat())
    form.locator("#id_submission_on").fill(submission.isoformat())
    form.locator("#id_competitors").select_option(label="SteelCo")
    form.scroll_into_view_if_needed()
    snap("tender-form")
    form.get_by_role("button", name="Plan the tender").click()

    tenders = page.locator("#tenders")
    expect(tenders).to_contain_text("Rails framework 2027")
    expect(tenders.locator(".milestone").first).to_contain_text("Study the tender requirements")
    expect(tenders.locator(".milestone").last).to_contain_text(submission.isoformat())
    tenders.scroll_into_view_if_needed()
    snap("tender-planned")
    tender = Tender.objects.get(account=account)
    assert tender.milestones.count() == tenders.locator(".milestone").count() > 0

    # Everything is found again through the navbar's search box.
    search_from_the_navbar(page, "Nordic")
    expect(page.locator("#search-accounts")).to_contain_text("Nordic Steel")
    expect(page.locator("main")).not_to_contain_text("Baltic Foods")
    snap("search-account")

    search_from_the_navbar(page, "cold-rolled")
    expect(page.locator("#search-interactions")).to_contain_text("Frame contract for cold-rolled coils")
    snap("search-interaction")

    search_from_the_navbar(page, "Rails")
    results = page.locator("#search-tenders")
    expect(results).to_contain_text("Rails framework 2027")
    results.get_by_role("link", name="Rails framework 2027").click()
    expect(page).to_have_url(re.compile(rf"/accounts/{account.pk}/dossier/#tenders$"))
    snap("search-tender")
