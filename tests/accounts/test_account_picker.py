"""Account pickers: every account in the page while they are few; past CHOICES_IN_PAGE only the
chosen one, the browser searching the others at /accounts/choices/ (visible accounts only)."""

import re

import pytest
from django.urls import reverse

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def options(html: str) -> list[str]:
    select = re.search(r'<select name="account"[^>]*>(.*?)</select>', html, re.S)
    assert select, "no account select on the page"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_the_search_answers_the_first_visible_matches(client, kam, account, foreign_account, department):
    for n in range(25):
        AccountFactory(name=f"Nordic Client {n:02d}", owner=kam, department=department)
    client.force_login(kam)
    found = client.get(reverse("accounts:choices"), {"q": "nordic"}).json()["results"]
    assert len(found) == 20
    assert [row["text"] for row in found][:3] == ["Nordic Client 00", "Nordic Client 01", "Nordic Client 02"]
    assert client.get(reverse("accounts:choices"), {"q": "Baltic"}).json() == {"results": []}  # foreign
    assert client.get(reverse("accounts:choices"), {"q": "²" * 500}).status_code == 200


def test_a_short_list_is_in_the_page_a_long_one_searched(
    client, kam, account, foreign_account, department, monkeypatch
):
    others = [AccountFactory(name=f"Client {n}", owner=kam, department=department) for n in range(3)]
    client.force_login(kam)
    page = client.get(reverse("dossiers:commitments")).content.decode()
    assert set(options(page)) >= {"Nordic Steel", "Client 0", "Client 1", "Client 2"}
    assert "data-choices-url" not in page

    monkeypatch.setattr("common.widgets.CHOICES_IN_PAGE", 2)
    page = client.get(reverse("dossiers:commitments")).content.decode()
    assert 'data-choices-url="/accounts/choices/"' in page
    assert [text for text in options(page) if text.strip("-")] == []  # nothing chosen: no account listed
    chosen = others[2]  # beyond the first rows: read on its own
    page = client.get(reverse("dossiers:commitments"), {"account": chosen.pk}).content.decode()
    assert [text for text in options(page) if text.strip("-")] == ["Client 2"]
    for hostile in ("²", "=1+1", str(foreign_account.pk)):  # not an id, a formula, a foreign account
        response = client.get(reverse("dossiers:commitments"), {"account": hostile})
        assert response.status_code == 400
        assert [text for text in options(response.content.decode()) if text.strip("-")] == []


def test_the_account_forms_parent_is_a_picker_too(client, kam, account, department, monkeypatch):
    AccountFactory(name="Second", owner=kam, department=department)
    client.force_login(kam)
    page = client.get(reverse("accounts:create")).content.decode()
    parent = re.search(r'<select name="parent"[^>]*>(.*?)</select>', page, re.S)
    assert "Nordic Steel" in parent.group(1) and "Second" in parent.group(1)
    monkeypatch.setattr("common.widgets.CHOICES_IN_PAGE", 1)
    page = client.get(reverse("accounts:create")).content.decode()
    parent = re.search(r'<select name="parent"([^>]*)>(.*?)</select>', page, re.S)
    assert 'data-choices-url="/accounts/choices/"' in parent.group(1)
    assert "Nordic Steel" not in parent.group(2)


def test_a_picker_rendered_twice_is_the_same_twice(kam, account, department, monkeypatch):
    from dossiers.filters import CommitmentFilter

    AccountFactory(name="Second", owner=kam, department=department)
    monkeypatch.setattr("common.widgets.CHOICES_IN_PAGE", 1)
    field = CommitmentFilter({"account": account.pk}, user=kam).form["account"]
    assert str(field) == str(field)
    assert "data-choices-url" in str(field) and "Nordic Steel" in str(field) and "Second" not in str(field)
