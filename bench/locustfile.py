"""The web load test's scenario (run by bench/load.sh against the data set of make_web_data.py).

Three kinds of users, each walking its pages in a fixed order, one page after the other with no
pause (a closed loop: the concurrency is the number of users):

- `KamUser`, a KAM browsing dossiers: home, the accounts list (plain, searched, sorted, another
  page), then an account seen on those lists, tab by tab, and one of its contacts;
- `HeadUser`, the department head on the dashboards: home, segmentation dashboard, segment list,
  the at-risk list, the accounts list and the global search;
- `ApiClient`, an integration reading the API's lists with a token (`Authorization: Token …`).

Each request is named after its page, so that locust's statistics give one row per page. Users log
in through the real login form (CSRF token and all). Every user class stops after LOAD_ROUNDS
walks in all (default 200: that many requests per page), then the test ends.

Environment: LOAD_PASSWORD (make_web_data's --password), LOAD_KAMS (how many KAMs, kam01…),
LOAD_TOKEN (an API token of the head, for ApiClient), LOAD_ROUNDS.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from typing import Any, ClassVar

import gevent
from locust import HttpUser, constant, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "kam-load-2026")
KAMS = int(os.environ.get("LOAD_KAMS", "20"))
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "200"))
SEARCHES = ("Nordic", "Vega Foods", "Polar", "Meridian Energy", "Atlas", "Harbor Retail")
API_LISTS = (
    ("api accounts ?page_size=100", "/api/v1/accounts/?page_size=100"),
    ("api contacts ?page_size=100", "/api/v1/contacts/?page_size=100"),
    ("api segments ?page_size=100", "/api/v1/segments/?page_size=100"),
    ("api interactions", "/api/v1/interactions/"),
    ("api tasks", "/api/v1/tasks/"),
    ("api proposals", "/api/v1/proposals/"),
    ("api churn list", "/api/v1/retention/churn/"),
)
ACCOUNT_TABS = (
    ("account overview", "/accounts/{}/"),
    ("account dossier", "/accounts/{}/dossier/"),
    ("account sales", "/accounts/{}/sales/"),
    ("account analysis", "/accounts/{}/analysis/"),
    ("account retention", "/accounts/{}/retention/"),
    ("account timeline", "/accounts/{}/timeline/"),
    ("account contacts", "/accounts/{}/contacts/"),
)
ACCOUNT_LINK = re.compile(r'href="/accounts/(\d+)/"')
CONTACT_LINK = re.compile(r'href="/accounts/contacts/(\d+)/"')
LAST_PAGE = re.compile(r"Page \d+ of ([\d,]+)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_kam_numbers = itertools.count()


def _send_secure_cookies_to_loopback(self: DefaultCookiePolicy, cookie: Any, request: Any) -> bool:
    return True


# The production settings mark the session and CSRF cookies Secure; a browser sends them to
# http://127.0.0.1 (a loopback origin counts as secure), the standard library does not. requests
# builds a fresh cookie jar for every request, so the policy is changed on the class.
DefaultCookiePolicy.return_ok_secure = _send_secure_cookies_to_loopback  # type: ignore[method-assign]


class Walker(HttpUser):
    """A user that repeats one walk through its pages until the class's rounds are used up."""

    abstract = True
    wait_time = constant(0)
    started: ClassVar[int] = 0
    walking: ClassVar[int] = 0
    ending: ClassVar[bool] = False

    def page(self, name: str, url: str, **kwargs: Any) -> str:
        """GET a page; anything but a 200 that stays on the page asked for is a failure."""
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/auth/login/" in response.url and "/auth/login/" not in url:
                response.failure("sent to the login page")
            return response.text or ""

    def login(self, username: str) -> None:
        form = self.page("(login form)", "/auth/login/")
        token = CSRF.search(form)
        if token is None:
            self.give_up()
        with self.client.post("/auth/login/", name="(login)", catch_response=True, allow_redirects=False,
                              data={"username": username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": token.group(1)}) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"login of {username} refused (HTTP {response.status_code})")
                self.give_up()

    def end_test(self) -> None:
        """Quit from a greenlet of its own: the runner's quit stops every user, and a user's greenlet
        that calls it is stopped before the quit is done, which leaves locust running idle."""
        if not Walker.ending:
            Walker.ending = True
            gevent.spawn(self.environment.runner.quit)

    def give_up(self) -> None:
        """A user who cannot start ends the test: the failure is in the statistics."""
        self.end_test()
        raise StopUser()

    @task
    def walk(self) -> None:
        cls = type(self)
        if cls.started >= ROUNDS:  # wait for the walks still going, then end the test
            if cls.walking == 0:
                self.end_test()
            gevent.sleep(0.1)
            return
        cls.started += 1
        cls.walking += 1
        try:
            self.walk_once()
        finally:
            cls.walking -= 1

    def walk_once(self) -> None:
        raise NotImplementedError


def _last_page(html: str) -> int:
    found = LAST_PAGE.search(html)
    return int(found.group(1).replace(",", "")) if found else 1


class KamUser(Walker):
    """A KAM (kam01, kam02… in turn) browsing the accounts and one account's dossier."""

    def on_start(self) -> None:
        self.login(f"kam{next(_kam_numbers) % KAMS + 1:02d}")

    def walk_once(self) -> None:
        self.page("home", "/")
        listed = self.page("accounts list", "/accounts/")
        seen = ACCOUNT_LINK.findall(listed)
        seen += ACCOUNT_LINK.findall(
            self.page("accounts search", "/accounts/", params={"q": random.choice(SEARCHES)})
        )
        seen += ACCOUNT_LINK.findall(self.page("accounts sorted", "/accounts/?ordering=-annual_revenue"))
        number = random.randint(2, max(2, min(_last_page(listed), 20)))
        seen += ACCOUNT_LINK.findall(self.page("accounts page", f"/accounts/?page={number}"))
        if not seen:
            return
        account = random.choice(seen)
        for name, url in ACCOUNT_TABS:
            html = self.page(name, url.format(account))
        contacts = CONTACT_LINK.findall(html)  # the contacts tab is the last one
        if contacts:
            self.page("contact", f"/accounts/contacts/{random.choice(contacts)}/")


class HeadUser(Walker):
    """The department head, who sees every account of the department, on the dashboards."""

    def on_start(self) -> None:
        self.login("head")

    def walk_once(self) -> None:
        self.page("home (head)", "/")
        self.page("segmentation dashboard", "/analysis/")
        self.page("segment list", "/analysis/segments/")
        self.page("retention at risk", "/retention/?status=at_risk")
        self.page("accounts list (head)", "/accounts/")
        self.page("accounts sorted (head)", "/accounts/?ordering=-annual_revenue")
        self.page("global search", "/search/", params={"q": random.choice(SEARCHES)})


class ApiClient(Walker):
    """An integration with the head's token reading the API's lists."""

    def on_start(self) -> None:
        token = os.environ.get("LOAD_TOKEN", "")
        if not token:  # load.sh issues one
            self.give_up()
        self.client.headers["Authorization"] = f"Token {token}"

    def walk_once(self) -> None:
        for name, url in API_LISTS:
            self.page(name, url)
