"""The reference library: everyone reads and searches it, everyone but analysts keeps it, heads
and administrators remove stories."""

from __future__ import annotations

import pytest
from django.urls import reverse

from proposals.models import SuccessStory

pytestmark = pytest.mark.django_db

STORY = {"title": "Coil line retrofit", "client_name": "Arctic Paper", "result": "12 % less scrap"}


def url(name, *args):
    return reverse(f"proposals:{name}", args=args)


@pytest.fixture
def stories(db):
    return [
        SuccessStory.objects.create(**STORY, recommender_name="Eva Lund"),
        SuccessStory.objects.create(
            title="Warehouse racks", client_name="Baltic Foods", result="Faster picking"
        ),
    ]


def test_the_library_lists_and_searches_the_stories(client, kam, stories):
    client.force_login(kam)
    page = client.get(url("references")).content.decode()
    assert "Arctic Paper" in page and "Baltic Foods" in page and "Eva Lund" in page
    found = client.get(url("references"), {"q": "scrap"}).content.decode()
    assert "Arctic Paper" in found and "Baltic Foods" not in found


def test_a_kam_adds_a_story_recorded_as_theirs(client, kam):
    client.force_login(kam)
    assert client.post(url("reference-create"), {**STORY, "year": "2025"}).status_code == 302
    story = SuccessStory.objects.get()
    assert (story.client_name, story.year, story.created_by) == ("Arctic Paper", 2025, kam)


def test_a_story_without_a_result_is_refused_by_the_field(client, kam):
    client.force_login(kam)
    response = client.post(url("reference-create"), {**STORY, "result": ""})
    assert response.status_code == 400 and response.context["form"].errors["result"]


def test_an_edit_on_a_stale_copy_is_refused(client, kam, stories):
    story = stories[0]
    client.force_login(kam)
    assert (
        client.post(url("reference-edit", story.pk), {**STORY, "title": "A", "version": 1}).status_code == 302
    )
    stale = client.post(url("reference-edit", story.pk), {**STORY, "title": "B", "version": 1})
    assert stale.status_code == 400 and "changed by someone else" in stale.content.decode()
    assert SuccessStory.objects.get(pk=story.pk).title == "A"


def test_only_heads_and_administrators_are_offered_the_removal(client, kam, head, stories):
    edit = url("reference-edit", stories[0].pk)
    client.force_login(kam)
    assert url("reference-delete", stories[0].pk) not in client.get(edit).content.decode()
    assert client.post(url("reference-delete", stories[0].pk)).status_code == 403
    client.force_login(head)
    assert url("reference-delete", stories[0].pk) in client.get(edit).content.decode()
    assert client.post(url("reference-delete", stories[0].pk)).status_code == 302
    assert SuccessStory.objects.count() == 1


def test_an_analyst_reads_the_library_without_the_buttons(client, analyst, stories):
    client.force_login(analyst)
    page = client.get(url("references")).content.decode()
    assert "Arctic Paper" in page and url("reference-create") not in page
    assert client.post(url("reference-create"), STORY).status_code == 403
