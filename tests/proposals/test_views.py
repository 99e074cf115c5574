"""The proposal pages: the account's tab, creating a proposal, the list, the proposal page and its
lines edited inline, and what each page costs in queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact
from accounts.visibility import cached_subtree_ids as keep_visible_ids
from proposals import services
from proposals.models import Proposal, ProposalPolicy
from tests.factories import AccountFactory, ContactFactory
from tests.proposals.conftest import add_line

pytestmark = pytest.mark.django_db

S = Proposal.Status
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate


def url(name, *args):
    return reverse(f"proposals:{name}", args=args)


def refresh(proposal):
    return Proposal.objects.get(pk=proposal.pk)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the account's tab --------------------------------------------------------------------------


def test_the_account_tab_lists_its_proposals_with_a_new_button(client, kam, account, draft, foreign_account):
    services.proposal_create(account=foreign_account, by=foreign_account.owner, title="Elsewhere")
    add_line(draft, quantity="2", unit_price="1500.50")
    client.force_login(kam)
    page = text(client.get(url("account-tab", account.pk)))
    assert draft.number in page and "Cold-rolled coil, 2027" in page
    assert "3,001.00 EUR" in page and str(kam) in page and "Draft" in page
    assert "Elsewhere" not in page
    assert f'href="{url("create", account.pk)}"' in page


def test_the_tab_is_linked_from_the_account_page(client, kam, account):
    client.force_login(kam)
    page = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert f'href="{url("account-tab", account.pk)}"' in page


def test_an_analyst_reads_the_tab_without_the_new_button(client, analyst, account, draft):
    client.force_login(analyst)
    page = client.get(url("account-tab", account.pk)).content.decode()
    assert draft.number in page and url("create", account.pk) not in page


# --- creating a proposal ------------------------------------------------------------------------


def test_the_create_page_offers_the_accounts_people_and_the_policys_validity(
    client, kam, account, contact, foreign_contact
):
    ProposalPolicy.objects.create(validity_days=45)
    client.force_login(kam)
    page = client.get(url("create", account.pk)).content.decode()
    assert f'value="{TODAY() + dt.timedelta(days=45):%Y-%m-%d}"' in page
    assert "Laura Virtanen" in page and "Olga Ivanova" not in page
    assert 'value="EUR"' in page


def test_a_new_proposal_is_created_with_its_people_and_opens_on_its_lines(
    client, kam, teammate, account, contact
):
    client.force_login(kam)
    response = client.post(
        url("create", account.pk),
        {
            "title": "Coil 2027",
            "contacts": [contact.pk],
            "team": [teammate.pk],
            "currency": "EUR",
            "valid_until": f"{TODAY() + dt.timedelta(days=10):%Y-%m-%d}",
            "payment_terms": "30 days net",
            "annual_savings": "120000",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", proposal.pk) + "#lines"
    assert (proposal.author, proposal.status, proposal.annual_savings) == (kam, S.DRAFT, Decimal("120000"))
    assert list(proposal.contacts.all()) == [contact] and list(proposal.team.all()) == [teammate]


def test_a_contact_of_another_account_is_refused_by_the_field(client, kam, account, foreign_contact):
    client.force_login(kam)
    body = {
        "title": "X",
        "currency": "EUR",
        "valid_until": f"{TODAY():%Y-%m-%d}",
        "contacts": [foreign_contact.pk],
    }
    response = client.post(url("create", account.pk), body)
    assert response.status_code == 400
    assert response.context["form"].errors["contacts"]
    assert not Proposal.objects.exists()


def test_a_validity_in_the_past_is_refused_by_the_field(client, kam, account):
    client.force_login(kam)
    yesterday = TODAY() - dt.timedelta(days=1)
    response = client.post(
        url("create", account.pk), {"title": "X", "currency": "EUR", "valid_until": yesterday}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["valid_until"] == ["The validity date cannot lie in the past."]


def test_a_draft_header_is_edited_with_its_version(client, kam, draft):
    client.force_login(kam)
    body = {"title": "Renamed", "currency": "EUR", "valid_until": f"{draft.valid_until:%Y-%m-%d}"}
    assert client.post(url("edit", draft.pk), {**body, "version": draft.version}).status_code == 302
    assert refresh(draft).title == "Renamed"
    stale = client.post(url("edit", draft.pk), {**body, "title": "Again", "version": draft.version})
    assert stale.status_code == 400 and "changed by someone else" in stale.content.decode()
    assert refresh(draft).title == "Renamed"


def test_the_header_of_a_sent_proposal_is_not_offered_for_editing(client, kam, draft):
    add_line(draft)
    services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    client.force_login(kam)
    response = client.get(url("edit", draft.pk), follow=True)
    assert response.redirect_chain == [(url("detail", draft.pk), 302)]
    assert "only a draft can be changed" in text(response)


# --- the list -----------------------------------------------------------------------------------


@pytest.fixture
def several(account, kam, teammate, head):
    """A draft of the KAM, one of the teammate waiting for approval, one expiring in 3 days."""
    mine = services.proposal_create(account=account, by=kam, title="Coil")
    waiting = services.proposal_create(account=account, by=teammate, title="Strip")
    add_line(waiting, discount="30")
    services.proposal_transition(proposal=waiting, to=S.IN_APPROVAL, by=teammate)
    soon = services.proposal_create(
        account=account, by=kam, title="Plate", valid_until=TODAY() + dt.timedelta(days=3)
    )
    return mine, waiting, soon


def numbers(response) -> set[str]:
    return {p.number for p in response.context["page"].object_list}


def test_the_list_shows_only_the_proposals_of_visible_accounts(client, outsider, several, foreign_account):
    theirs = services.proposal_create(account=foreign_account, by=outsider, title="Foods")
    client.force_login(outsider)
    assert numbers(client.get(url("list"))) == {theirs.number}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "in_approval"}, {"waiting"}),
        ({"awaiting_approval": "true"}, {"waiting"}),
        ({"expiring": "true"}, {"soon"}),
        ({"q": "plate"}, {"soon"}),
        ({"author": "teammate"}, {"waiting"}),
        ({}, {"mine", "waiting", "soon"}),
        ({"status": "", "q": ""}, {"mine", "waiting", "soon"}),  # the form's "any status"
    ],
    ids=["status", "awaiting", "expiring", "search", "owner", "all", "any-status"],
)
def test_the_list_filters(client, kam, teammate, several, query, expected):
    mine, waiting, soon = several
    named = {"mine": mine, "waiting": waiting, "soon": soon}
    if query.get("author") == "teammate":
        query = {"author": teammate.pk}
    client.force_login(kam)
    assert numbers(client.get(url("list"), query)) == {named[n].number for n in expected}


def test_the_list_sorts_by_total(client, kam, several):
    mine, waiting, _soon = several
    add_line(mine, quantity="1", unit_price="10")
    client.force_login(kam)
    rows = client.get(url("list"), {"ordering": "-total"}).context["page"].object_list
    assert [p.number for p in rows][:2] == [waiting.number, mine.number]


def test_an_htmx_refresh_returns_only_the_rows(client, kam, several):
    client.force_login(kam)
    response = client.get(url("list"), {"q": "coil"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "<nav" not in page and "filter-bar" not in page
    assert several[0].number in page and several[1].number not in page


def test_a_bad_filter_value_answers_400_with_the_reason(client, kam, several):
    client.force_login(kam)
    response = client.get(url("list"), {"expiring": "soon"})
    assert response.status_code == 400 and "Enter true or false." in response.content.decode()
    assert numbers(response) == set()


def test_the_top_navigation_links_the_list(client, kam):
    client.force_login(kam)
    assert f'href="{url("list")}"' in client.get(reverse("home")).content.decode()


# --- the proposal page --------------------------------------------------------------------------


def test_the_page_shows_the_header_totals_value_and_checklist(client, kam, teammate, account, contact, draft):
    boss = ContactFactory(account=account, first_name="Ari", last_name="Boss", dmu_role="decision_maker")
    services.proposal_update(
        proposal=draft, contacts=[contact, boss], team=[teammate], payment_terms="30 days net",
        benefits="Less scrap", annual_savings=Decimal("50000"),
    )  # fmt: skip
    add_line(draft, quantity="10", unit_price="100.00", discount="10")
    client.force_login(kam)
    page = text(client.get(url("detail", draft.pk)))
    for expected in (draft.number, "Nordic Steel", str(teammate), "Ari Boss", "30 days net", "Less scrap",
                     "1,000.00 EUR", "100.00 EUR", "10.00 %", "900.00 EUR", "expires in 30 days",
                     "No argument is addressed to the decision maker (Ari Boss)."):  # fmt: skip
        assert expected in page, expected


@pytest.mark.parametrize(
    ("days", "hint"), [(-2, "expired 2 days ago"), (0, "expires today"), (1, "expires in 1 day")]
)
def test_the_validity_hint(client, kam, draft, days, hint):
    Proposal.objects.filter(pk=draft.pk).update(valid_until=TODAY() + dt.timedelta(days=days))
    client.force_login(kam)
    assert hint in text(client.get(url("detail", draft.pk)))


def test_a_foreign_proposal_is_not_found(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(url("detail", draft.pk)).status_code == 404


# --- lines, inline ------------------------------------------------------------------------------


def line_body(version, **fields):
    return {"description": "Coil DC01", "quantity": "2", "unit_price": "500.00", "discount_percent": "0",
            "version": version, **fields}  # fmt: skip


def test_a_line_added_inline_answers_with_the_table_and_the_workflow_box(client, kam, draft):
    client.force_login(kam)
    response = client.post(url("lines", draft.pk), line_body(draft.version), **HTMX)
    page = text(response)
    assert response.status_code == 200 and "<nav" not in page
    assert 'id="lines"' in page and "1,000.00 EUR" in page
    assert 'id="workflow" hx-swap-oob="true"' in page  # what may be done next changed with the lines
    assert refresh(draft).total_amount == Decimal("1000.00")


def test_a_bad_line_shows_the_error_by_its_field(client, kam, draft):
    client.force_login(kam)
    response = client.post(url("lines", draft.pk), line_body(draft.version, discount_percent="150"), **HTMX)
    assert response.status_code == 400
    form = response.context["add_form"]
    assert form.errors["discount_percent"] and 'value="150"' in response.content.decode()
    assert not refresh(draft).lines.exists()


def test_a_stale_version_is_refused_with_a_clear_message(client, kam, draft):
    loaded = draft.version
    add_line(draft)  # someone else adds a line meanwhile
    client.force_login(kam)
    response = client.post(url("lines", draft.pk), line_body(loaded), **HTMX)
    assert response.status_code == 400
    assert "changed by someone else since you opened it" in text(response)
    assert refresh(draft).lines.count() == 1


def test_a_row_is_edited_in_place(client, kam, draft):
    line = add_line(draft)
    client.force_login(kam)
    editing = client.get(url("line-edit", line.pk), **HTMX)
    assert editing.status_code == 200 and f'form="line-{line.pk}"' in editing.content.decode()
    version = refresh(draft).version
    saved = client.post(url("line-edit", line.pk), line_body(version, quantity="3"), **HTMX)
    assert saved.status_code == 200 and f'form="line-{line.pk}"' not in saved.content.decode()
    assert refresh(draft).total_amount == Decimal("1500.00")


def test_a_row_is_deleted(client, kam, draft):
    line = add_line(draft)
    client.force_login(kam)
    response = client.post(url("line-delete", line.pk), {"version": refresh(draft).version}, **HTMX)
    assert response.status_code == 200 and "No lines yet" in text(response)
    assert refresh(draft).total_amount == 0


def test_the_lines_of_a_sent_proposal_are_not_editable(client, kam, draft):
    line = add_line(draft)
    services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    client.force_login(kam)
    page = client.get(url("detail", draft.pk)).content.decode()
    assert url("line-edit", line.pk) not in page and 'id="line-new"' not in page
    response = client.post(url("line-edit", line.pk), line_body(refresh(draft).version), **HTMX)
    assert response.status_code == 400 and "only a draft can be changed" in text(response)


def test_without_htmx_a_line_goes_back_to_the_page(client, kam, draft):
    client.force_login(kam)
    response = client.post(url("lines", draft.pk), line_body(draft.version))
    assert response.status_code == 302 and response["Location"].endswith("#lines")
    refused = client.post(url("lines", draft.pk), line_body(refresh(draft).version, quantity="0"))
    assert refused.status_code == 400 and "<nav" in refused.content.decode()


def test_an_analyst_cannot_change_lines(client, analyst, draft):
    line = add_line(draft)
    client.force_login(analyst)
    assert client.post(url("lines", draft.pk), line_body(refresh(draft).version), **HTMX).status_code == 403
    assert client.post(url("line-delete", line.pk), **HTMX).status_code == 403
    assert refresh(draft).lines.count() == 1


# --- query counts -------------------------------------------------------------------------------

# The proposal page, for its author:
#  1. the session                       2. the logged-in user
#  3. the proposal, account, author, approver and account owner joined
#  4-11. its lines (product lines joined), arguments, their contacts, transitions (by joined),
#        follow-up steps (tasks joined), addressees, team, references
#  12. the policy in force              13. the account's contacts (checklist, audiences, forms)
#  14. the product lines of the add row 15. the policy again, in the "send" move's condition
PAGE_QUERIES = 15


@pytest.mark.parametrize("n", [1, 20])
def test_the_proposal_page_costs_the_same_whatever_the_number_of_lines(
    client, kam, account, draft, django_assert_num_queries, n
):
    for i in range(n):
        add_line(draft, description=f"Line {i}")
    ContactFactory(account=account, dmu_role=Contact.DmuRole.DECISION_MAKER)
    services.argument_create(proposal=refresh(draft), audience="decision_maker", text="Less risk")
    client.force_login(kam)
    keep_visible_ids(kam)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(url("detail", draft.pk))
    assert response.status_code == 200 and len(response.context["rows"]) == n


# The list, for a KAM: session, user, COUNT for the paginator, the owner choices of the filter
# form, the policy (the "expiring" label), one page of proposals with account and author joined.
LIST_QUERIES = 6


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_costs_the_same_whatever_the_number_of_proposals(
    client, kam, account, department, django_assert_num_queries, n
):
    for i in range(n):
        other = AccountFactory(owner=kam, department=department) if i % 2 else account
        add_line(services.proposal_create(account=other, by=kam, title=f"P{i}"))
    client.force_login(kam)
    keep_visible_ids(kam)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url("list"))
    assert response.context["page"].paginator.count == n
