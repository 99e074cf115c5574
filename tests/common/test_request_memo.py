"""Values read once per request (common.request_memo): the visibility token and a KAM's account ids
cost one cache read per page, and a change made during the request is seen by its later reads."""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.visibility import GENERATION_KEY, visibility_changed, visibility_generation
from common.request_memo import RequestMemoMiddleware, forget, remembered


def in_a_request(view):
    """Run `view()` inside the middleware, as a request would."""
    out = []

    def get_response(request):
        out.append(view())
        return HttpResponse()

    RequestMemoMiddleware(get_response)(RequestFactory().get("/"))
    return out[0]


def test_a_value_is_read_once_per_request_until_forgotten():
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    def view():
        seen = [remembered("k", read), remembered("k", read)]
        forget("k")
        return [*seen, remembered("k", read)]

    assert in_a_request(view) == [1, 1, 2]
    assert in_a_request(view) == [3, 3, 4]  # a new request reads again
    assert [remembered("k", read), remembered("k", read)] == [5, 6]  # outside a request: every call


@pytest.mark.django_db
def test_a_visibility_change_during_a_request_is_seen_by_its_next_reads():
    def view():
        first = visibility_generation()
        again = visibility_generation()
        visibility_changed()
        return first, again, visibility_generation(), cache.get(GENERATION_KEY)

    first, again, after, stored = in_a_request(view)
    assert first == again
    assert after != first
    assert after == stored


@pytest.mark.django_db
@pytest.mark.skipif(not settings.REDIS_URL, reason="a KAM's account ids are kept only in a shared cache")
def test_a_kams_home_page_reads_the_token_and_the_account_ids_once(client, kam, account, monkeypatch):
    client.force_login(kam)
    client.get(reverse("home"))  # the kept figures worked out once
    reads = Counter()
    get = cache.get

    def counted(key, *args, **kwargs):
        reads[key.split(":")[1] if key.startswith("accounts:") else key] += 1
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counted)
    assert client.get(reverse("home")).status_code == 200
    assert reads["visibility-generation"] == 1
    assert reads["subtree-ids"] == 1
