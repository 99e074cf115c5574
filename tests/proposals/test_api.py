"""Proposals API: writes through the services, nested lines replaced in one go, exact money, foreign
→ 404, stale → 409, and the workflow's refusals as 409 with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Contact
from accounts.services import api_token_issue
from accounts.visibility import cached_subtree_ids as keep_visible_ids
from proposals import services
from proposals.models import Proposal, ProposalLine, SuccessStory
from tests.factories import ContactFactory
from tests.proposals.conftest import add_line

pytestmark = pytest.mark.django_db

S = Proposal.Status
URL = "/api/v1/proposals/"
COIL = {"description": "Coil DC01 1.0 mm", "quantity": "10", "unit_price": "1000.00"}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


def detail(proposal, route=""):
    return f"{URL}{proposal.pk}/{route}"


def move(api, proposal, to, **body):
    return api.post(detail(proposal, "transition/"), {"to": to, **body})


def status_of(proposal):
    return Proposal.objects.get(pk=proposal.pk).status


# --- the whole flow -------------------------------------------------------------------------


def test_a_deep_discount_goes_out_only_after_the_heads_approval(kam, head, account):
    api = token_client(kam)
    created = api.post(URL, {"account": account.pk, "title": "Coil 2027", "lines": [COIL]})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["author"], body["approval_required"]) == ("draft", kam.pk, False)
    assert body["number"].startswith(f"P-{timezone.localdate().year}-")
    proposal = Proposal.objects.get(pk=body["id"])

    deep = {**COIL, "description": "Coil DC04", "discount_percent": "25"}
    lines = [{"id": body["lines"][0]["id"]}, deep]
    changed = api.patch(detail(proposal), {"lines": lines, "version": body["version"]})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["approval_required"] is True
    assert "25.00 %" in changed.json()["approval_reasons"][0]

    refused = move(api, proposal, "sent")
    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_refused"
    assert "department head must approve" in refused.json()["detail"]
    assert move(api, proposal, "in_approval").status_code == 200

    by_kam = move(api, proposal, "approved")
    assert (by_kam.status_code, by_kam.json()["code"]) == (409, "transition_refused")
    assert by_kam.json()["detail"] == "Only a department head or an administrator approves proposals."
    assert status_of(proposal) == S.IN_APPROVAL

    approved = move(token_client(head), proposal, "approved", comment="OK for 2027")
    assert (approved.status_code, approved.json()["approved_by"]) == (200, head.pk)
    assert move(api, proposal, "sent").json()["status"] == "sent"
    assert move(api, proposal, "received").json()["status"] == "received"
    won = move(api, proposal, "won", reason="value", comment="ROI in 14 months")

    assert won.status_code == 200, won.json()
    assert (won.json()["status"], won.json()["won_reason"]) == ("won", "value")
    history = [(t["from_status"], t["to_status"]) for t in reversed(won.json()["transitions"])]
    assert history == [
        ("draft", "in_approval"),
        ("in_approval", "approved"),
        ("approved", "sent"),
        ("sent", "received"),
        ("received", "won"),
    ]


REASONS = {"won": "value", "lost": "price"}


def over_threshold_in(status, account, kam):
    proposal = services.proposal_create(account=account, by=kam, title="Deep discount")
    add_line(proposal, discount="25")
    outcome = (
        {"won_reason": "value"} if status == S.WON else {"lost_reason": "price"} if status == S.LOST else {}
    )
    Proposal.objects.filter(pk=proposal.pk).update(status=status, **outcome)
    return proposal


def reachable(edges, start, avoiding):
    seen, todo = {start}, [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen and target != avoiding:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize("role", ["kam", "head"])
def test_a_discount_over_the_threshold_reaches_sent_only_through_approved(request, account, kam, role):
    api = client_for(request.getfixturevalue(role))
    edges: dict[str, set[str]] = {}
    for source in S.values:
        for target in S.values:
            proposal = over_threshold_in(source, account, kam)
            response = move(api, proposal, target, reason=REASONS.get(target, ""))
            assert response.status_code in (200, 409), (source, target, response.json())
            if response.status_code == 200:
                edges.setdefault(source, set()).add(status_of(proposal))
    into_sent = {source for source, targets in edges.items() if S.SENT in targets}
    assert into_sent == {S.APPROVED}
    assert S.SENT not in reachable(edges, S.DRAFT, avoiding=S.APPROVED)
    assert ({S.IN_APPROVAL} if role == "head" else set()) == {
        source for source, targets in edges.items() if S.APPROVED in targets
    }


def test_an_expired_proposal_can_be_neither_sent_nor_won(kam, draft):
    add_line(draft)
    Proposal.objects.filter(pk=draft.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    api = client_for(kam)
    refused = move(api, draft, "sent")
    assert refused.status_code == 409 and "copy it to a new draft" in refused.json()["detail"]
    Proposal.objects.filter(pk=draft.pk).update(status=S.NEGOTIATION)
    refused = move(api, draft, "won", reason="value")
    assert refused.status_code == 409 and "expired on" in refused.json()["detail"]
    assert status_of(draft) == S.NEGOTIATION


def test_an_expired_proposal_is_offered_again_as_a_copy(kam, teammate, draft):
    add_line(draft, discount="5")
    Proposal.objects.filter(pk=draft.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert move(client_for(kam), draft, "expired").json()["status"] == "expired"

    response = client_for(teammate).post(detail(draft, "copy/"))

    assert response.status_code == 201, response.json()
    copy = response.json()
    assert (copy["status"], copy["author"], copy["copied_from"]) == ("draft", teammate.pk, draft.pk)
    assert copy["number"] != draft.number and copy["valid_until"] > str(timezone.localdate())
    assert copy["totals"] == client_for(kam).get(detail(draft)).json()["totals"]
    assert move(client_for(teammate), Proposal.objects.get(pk=copy["id"]), "sent").status_code == 200


@pytest.mark.parametrize(
    ("to", "body", "field"),
    [("won", {}, "reason"), ("lost", {"reason": "value"}, "reason"), ("done", {}, "to")],
)
def test_a_bad_reason_or_status_is_400_on_the_field(kam, draft, to, body, field):
    add_line(draft)
    Proposal.objects.filter(pk=draft.pk).update(status=S.SENT)
    response = move(client_for(kam), draft, to, **body)
    assert response.status_code == 400 and field in response.json()
    assert status_of(draft) == S.SENT


def test_a_stale_version_is_refused_for_edits_and_moves(kam, teammate, draft):
    read = client_for(kam).get(detail(draft)).json()
    client_for(teammate).patch(detail(draft), {"title": "Theirs"})

    edit = client_for(kam).patch(detail(draft), {"title": "Mine", "version": read["version"]})
    moved = move(client_for(kam), draft, "withdrawn", version=read["version"])

    assert (edit.status_code, moved.status_code) == (409, 409)
    assert "version" in edit.json() and "version" in moved.json()
    assert (Proposal.objects.get(pk=draft.pk).title, status_of(draft)) == ("Theirs", S.DRAFT)


def test_only_a_draft_is_changed(kam, draft):
    add_line(draft)
    services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    response = client_for(kam).patch(detail(draft), {"title": "Later"})
    assert response.status_code == 400
    assert "only a draft can be changed" in response.json()["non_field_errors"][0]


# --- lines, arguments and money -------------------------------------------------------------


def test_money_is_exact_decimal_text(kam, account):
    lines = [
        {"description": "Strip", "quantity": "3", "unit_price": "19.99", "discount_percent": "10"},
        {"description": "Pallet", "quantity": "1", "unit_price": "0.10"},
    ]
    body = client_for(kam).post(URL, {"account": account.pk, "title": "Small", "lines": lines}).json()
    assert body["totals"] == {
        "gross_amount": "60.07",
        "discount_amount": "6.00",
        "average_discount": "9.99",
        "total_amount": "54.07",
        "max_line_discount": "10.00",
    }
    assert [(line["quantity"], line["line_total"]) for line in body["lines"]] == [
        ("3.000", "53.97"),
        ("1.000", "0.10"),
    ]


def test_a_given_list_of_lines_replaces_the_lines_in_its_order(kam, draft):
    kept = add_line(draft, description="Keep me")
    add_line(draft, description="Drop me")
    lines = [
        {"description": "New first", "quantity": "1", "unit_price": "5.00"},
        {"id": kept.pk, "quantity": "2"},
    ]

    response = client_for(kam).patch(detail(draft), {"lines": lines})

    assert response.status_code == 200, response.json()
    rows = [
        (line["id"] == kept.pk, line["description"], line["position"]) for line in response.json()["lines"]
    ]
    assert rows == [(False, "New first", 1), (True, "Keep me", 2)]
    assert response.json()["totals"]["gross_amount"] == "2005.00"
    assert (
        client_for(kam).patch(detail(draft), {"title": "Header only"}).json()["lines"]
        == response.json()["lines"]
    )


@pytest.mark.parametrize("ids", ["foreign", "twice"])
def test_line_ids_of_another_proposal_or_given_twice_change_nothing(kam, account, draft, ids):
    mine = add_line(draft)
    other = add_line(services.proposal_create(account=account, by=kam, title="Other"))
    wrong = [{"id": other.pk}] if ids == "foreign" else [{"id": mine.pk}, {"id": mine.pk}]
    before = list(ProposalLine.objects.order_by("pk").values_list("pk", "proposal", "quantity"))

    response = client_for(kam).patch(detail(draft), {"title": "Renamed", "lines": wrong})

    assert response.status_code == 400 and "lines" in response.json()
    assert list(ProposalLine.objects.order_by("pk").values_list("pk", "proposal", "quantity")) == before
    assert Proposal.objects.get(pk=draft.pk).title == draft.title


def test_a_bad_line_is_400_on_the_line_and_creates_nothing(kam, account):
    bad = {**COIL, "discount_percent": "101"}
    response = client_for(kam).post(URL, {"account": account.pk, "title": "X", "lines": [COIL, bad]})
    assert response.status_code == 400
    assert "discount_percent" in response.json()["lines"]["1"]  # by the line's index
    assert not Proposal.objects.exists()


def test_more_lines_than_one_request_may_write_are_refused(kam, account):
    response = client_for(kam).post(URL, {"account": account.pk, "title": "X", "lines": [COIL] * 501})
    assert response.status_code == 400 and "lines" in response.json()
    assert not Proposal.objects.exists()


def test_arguments_are_written_nested_and_default_to_the_roles_contacts(kam, account):
    boss = ContactFactory(account=account, dmu_role=Contact.DmuRole.DECISION_MAKER)
    arguments = [{"audience": "decision_maker", "text": "Less scrap, less risk"}]
    body = client_for(kam).post(URL, {"account": account.pk, "title": "X", "arguments": arguments}).json()
    assert [(a["audience"], a["contacts"]) for a in body["arguments"]] == [("decision_maker", [boss.pk])]

    replaced = [{"id": body["arguments"][0]["id"], "text": "ROI 14 months", "contacts": []}]
    again = client_for(kam).patch(f"{URL}{body['id']}/", {"arguments": replaced}).json()
    assert [(a["text"], a["contacts"]) for a in again["arguments"]] == [("ROI 14 months", [])]


def test_addressees_are_contacts_of_the_proposals_account(kam, account, subsidiary, foreign_contact):
    visible_elsewhere = ContactFactory(account=subsidiary)  # the KAM sees it, but it is not this account's
    api = client_for(kam)
    for contact in (foreign_contact, visible_elsewhere):
        response = api.post(URL, {"account": account.pk, "title": "X", "contacts": [contact.pk]})
        assert response.status_code == 400 and "contacts" in response.json()
    assert not Proposal.objects.exists()


# --- who sees and does what -----------------------------------------------------------------


def test_a_foreign_proposal_is_404_on_every_route(kam, foreign_account, outsider):
    theirs = services.proposal_create(account=foreign_account, by=outsider, title="Theirs")
    add_line(theirs)
    api = client_for(kam)
    assert api.get(detail(theirs)).status_code == 404
    assert api.put(detail(theirs), {"title": "Mine"}).status_code == 404
    assert api.patch(detail(theirs), {"title": "Mine"}).status_code == 404
    assert move(api, theirs, "withdrawn").status_code == 404
    assert api.post(detail(theirs, "copy/")).status_code == 404
    assert api.get(detail(theirs, "pdf/")).status_code == 404
    assert api.get(detail(theirs, "pdf/"), {"audience": "nobody"}).status_code == 404
    assert api.get(URL).json()["count"] == 0
    assert (Proposal.objects.get().title, status_of(theirs)) == ("Theirs", S.DRAFT)


def test_an_unknown_audience_for_the_pdf_is_a_json_400(kam, draft):
    response = client_for(kam).get(detail(draft, "pdf/"), {"audience": "nobody"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json" and "audience" in response.json()


def test_analysts_read_proposals_but_neither_write_nor_move_them(analyst, account, draft):
    api = client_for(analyst)
    assert api.get(detail(draft)).status_code == 200
    assert api.post(URL, {"account": account.pk, "title": "X"}).status_code == 403
    assert api.patch(detail(draft), {"title": "X"}).status_code == 403
    assert move(api, draft, "withdrawn").status_code == 403
    assert api.post(detail(draft, "copy/")).status_code == 403
    assert status_of(draft) == S.DRAFT


def test_proposals_are_not_deleted_through_the_api(kam, draft):
    assert client_for(kam).delete(detail(draft)).status_code == 405


def test_the_list_filters_with_the_list_pages_filterset(kam, account, draft, foreign_account):
    add_line(draft, discount="25")
    services.proposal_transition(proposal=draft, to=S.IN_APPROVAL, by=kam)
    services.proposal_create(account=account, by=kam, title="Still a draft")
    api = client_for(kam)
    assert [p["title"] for p in api.get(URL, {"awaiting_approval": "true"}).json()["results"]] == [
        draft.title
    ]
    assert [p["title"] for p in api.get(URL, {"status": "draft"}).json()["results"]] == ["Still a draft"]
    assert api.get(URL, {"account": foreign_account.pk}).status_code == 400  # not one the KAM sees


def test_the_list_runs_a_constant_number_of_queries(kam, account, contact):
    def add_proposal():
        proposal = services.proposal_create(
            account=account, by=kam, title="P", contacts=[contact], team=[kam]
        )
        add_line(proposal)
        services.argument_create(proposal=proposal, audience="buyer", text="Price")
        services.proposal_transition(proposal=proposal, to=S.SENT, by=kam)

    api = client_for(kam)
    add_proposal()
    keep_visible_ids(kam)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    with CaptureQueriesContext(connection) as one:
        assert api.get(URL).status_code == 200
    for _ in range(3):
        add_proposal()
    with CaptureQueriesContext(connection) as four:
        assert api.get(URL).json()["count"] == 4
    assert len(four) == len(one)


def test_a_word_after_proposals_is_never_read_as_an_id():
    # `proposals/stats/` has a route of its own; the proposal routes take digits only.
    try:
        match = resolve(f"{URL}stats/")
    except Resolver404:
        match = None
    assert match is None or match.url_name != "proposal-detail"


# --- the success-story library --------------------------------------------------------------

STORY = {"title": "Line 3 upgrade", "client_name": "Acme Steel", "result": "Scrap down 8 %"}
REFERENCES = "/api/v1/proposal-references/"


def test_kams_keep_the_reference_library_and_heads_remove_from_it(kam, head, analyst):
    created = client_for(kam).post(REFERENCES, STORY)
    assert created.status_code == 201 and created.json()["created_by"] == kam.pk
    url = f"{REFERENCES}{created.json()['id']}/"
    changed = client_for(kam).patch(url, {"result": "Scrap down 9 %", "version": 1})
    assert (changed.status_code, changed.json()["version"]) == (200, 2)
    assert client_for(kam).patch(url, {"result": "Stale", "version": 1}).status_code == 409

    assert client_for(analyst).get(url).status_code == 200
    assert client_for(analyst).post(REFERENCES, STORY).status_code == 403
    assert client_for(kam).delete(url).status_code == 403
    assert client_for(head).delete(url).status_code == 204
    assert not SuccessStory.objects.exists()


def test_references_are_searched_and_cited_by_proposals(kam, account):
    api = client_for(kam)
    story = api.post(REFERENCES, STORY).json()
    api.post(REFERENCES, {**STORY, "title": "Packaging", "client_name": "Nordic Paper", "result": "OK"})
    assert [s["title"] for s in api.get(REFERENCES, {"q": "acme"}).json()["results"]] == ["Line 3 upgrade"]
    cited = api.post(URL, {"account": account.pk, "title": "X", "references": [story["id"]]})
    assert cited.json()["references"] == [story["id"]]
