"""The home page's task card shows the first few overdue and coming tasks; the tasks page lists every
open one a page at a time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Task
from dossiers.selectors import HOME_TASKS
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("dossiers:tasks")


def due_in(days, **kwargs):
    return TaskFactory(due_on=timezone.localdate() + dt.timedelta(days=days), **kwargs)


def test_the_card_shows_the_first_few_of_each_and_links_to_all(client, kam, account):
    overdue = [due_in(-20 + i, owner=kam, account=account, title=f"Late {i:02}") for i in range(12)]
    coming = [due_in(1, owner=kam, account=account, title=f"Soon {i:02}") for i in range(3)]
    client.force_login(kam)

    response = client.get(reverse("home"))

    agenda = response.context["agenda"]
    assert agenda.overdue == overdue[:HOME_TASKS] and agenda.upcoming == coming
    assert (agenda.overdue_total, agenda.upcoming_total) == (12, 3)
    page = response.content.decode()
    assert f'href="{PAGE_URL}">See all (12 overdue, 3 coming)</a>' in page
    assert "Late 11" not in page and "Soon 02" in page


def test_with_few_tasks_the_card_has_no_link(client, kam, account):
    due_in(-1, owner=kam, account=account)
    client.force_login(kam)
    assert 'id="all-tasks"' not in client.get(reverse("home")).content.decode()


def test_the_page_lists_ones_own_open_tasks_longest_overdue_first(client, kam, teammate, account):
    mine = [due_in(days, owner=kam, account=account, title=f"Mine {days}") for days in (30, -3, 2)]
    due_in(1, owner=teammate, account=account, title="Someone else's")
    due_in(-5, owner=kam, account=account, title="Done already", done=True, done_at=timezone.now())
    client.force_login(kam)

    response = client.get(PAGE_URL)

    assert [t for t, _overdue in response.context["rows"]] == [mine[1], mine[2], mine[0]]
    assert [overdue for _t, overdue in response.context["rows"]] == [True, False, False]
    page = response.content.decode()
    assert "Someone else" not in page and "Done already" not in page


def test_the_page_pages_and_ticking_off_returns_to_it(client, kam, account):
    for i in range(30):
        due_in(i, owner=kam, account=account)
    client.force_login(kam)
    assert len(client.get(PAGE_URL).context["rows"]) == 25
    assert len(client.get(PAGE_URL, {"page": 2}).context["rows"]) == 5
    first = Task.objects.filter(owner=kam).order_by("due_on", "pk").first()

    response = client.post(reverse("dossiers:task-done", args=[first.pk]), {"next": f"{PAGE_URL}?page=2"})

    assert response["Location"] == f"{PAGE_URL}?page=2"
    assert Task.objects.get(pk=first.pk).done


def test_a_bad_page_number_is_not_an_error(client, kam):
    client.force_login(kam)
    assert client.get(PAGE_URL, {"page": "²"}).status_code in (200, 404)
