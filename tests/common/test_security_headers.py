"""The browser security headers: a Content-Security-Policy with no inline script, a Permissions-Policy
and a Referrer-Policy on every page; and no template that would need the policy loosened."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# E-mails carry their styles inline (mail clients read nothing else); their preview allows that.
EMAIL_TEMPLATES = TEMPLATES / "management" / "digests"


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_strict(response) -> None:
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_login_page_sends_the_strict_policy(client):
    response = client.get(reverse("login"))
    assert_strict(response)
    assert directives(response)["style-src"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "accounts:list", "proposals:list", "analysis:dashboard", "management:kams", "api-docs"]
)
def test_signed_in_pages_send_the_strict_policy(client, kam, name):
    client.force_login(kam)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_strict(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_sends_the_strict_policy(client, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    assert_strict(client.get(reverse("admin:index")))


@pytest.mark.django_db
def test_the_api_docs_load_swagger_ui_from_a_script_file(client, kam):
    client.force_login(kam)
    page = client.get(reverse("api-docs")).content.decode()
    assert not re.search(r"<script>|<style", page)
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_the_digest_preview_allows_inline_styles_but_no_inline_script(client, kam):
    client.force_login(kam)
    policy = directives(client.get(reverse("management:digest-preview")))
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]


def test_no_template_holds_inline_script_handlers_or_styles():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        name = path.relative_to(TEMPLATES)
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*[^<\s]", text):
            offenders.append(f"{name}: inline <script>")
        if re.search(r"\son[a-z]+=[\"']", text):
            offenders.append(f"{name}: inline event handler")
        if EMAIL_TEMPLATES not in path.parents and re.search(r"\sstyle=[\"']|<style", text):
            offenders.append(f"{name}: inline style")
    assert not offenders, "\n".join(offenders)


def test_csp_report_only_sends_the_policy_as_report_only():
    environment = {**os.environ, "CSP_REPORT_ONLY": "true", "DJANGO_SETTINGS_MODULE": "kam.settings.test"}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(getattr(settings, 'CONTENT_SECURITY_POLICY', None)); "
        "print(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['script-src'])"
    )
    run = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout.split("\n")
    assert out[:2] == ["None", "[\"'self'\"]"]
