"""The digest preview (signed in) and the unsubscribe link (the signed token is the credential)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import User
from common.csp import inline_styles_allowed
from common.locale import in_language_of
from common.views import AuthenticatedHttpRequest

from .kinds import KINDS, kinds_for
from .render import digest_render
from .services import digest_subscribed, digest_unsubscribe, log_birthdays_shown, subscription_get
from .tokens import unsubscribe_read, unsubscribe_token


@login_required
@inline_styles_allowed
def preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's next digest as it would be sent today, with whether they still receive it."""
    user = request.user
    subscription = subscription_get(user=user)
    previews = []
    for kind in kinds_for(user):
        mail = digest_render(user=user, kind=kind, today=timezone.localdate())
        log_birthdays_shown(user, mail)
        previews.append({
            "mail": mail, "label": KINDS[kind], "subscribed": digest_subscribed(subscription, kind),
            "token": unsubscribe_token(user_id=user.pk, kind=kind), "language": in_language_of(user).language,
        })  # fmt: skip
    return render(request, "management/digests/preview.html", {"previews": previews})


@login_required
def preview_text(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """The text part of the user's digest `kind` (404 for a digest the user does not receive)."""
    user = request.user
    if kind not in kinds_for(user):
        raise Http404
    mail = digest_render(user=user, kind=kind, today=timezone.localdate())
    log_birthdays_shown(user, mail)
    return HttpResponse(mail.text, content_type="text/plain; charset=utf-8")


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm, POST stops the digest; works without signing in."""
    found = unsubscribe_read(token)
    if found is None or found[1] not in KINDS or not User.objects.filter(pk=found[0]).exists():
        raise Http404
    user_id, kind = found
    done = False
    if request.method == "POST":
        done = digest_unsubscribe(user_id=user_id, kind=kind) is not None
    context = {"label": KINDS[kind], "done": done}
    response = render(request, "management/digests/unsubscribe.html", context)
    # The token is a secret in the URL: never passed to another site, yet the form's POST keeps its Origin.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response
