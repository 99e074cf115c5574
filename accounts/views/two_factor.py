"""Two-factor sign-in pages: the code asked after the password, setting up an authenticator, the
backup codes, turning it off, and an administrator's reset of a user's second factor."""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from common.views import AuthenticatedHttpRequest

from .. import two_factor
from ..models import User

PENDING = "kam_two_factor_pending"  # the session key of a login that passed its password step


class TwoFactorLoginView(LoginView):
    """Django's login page; a user with an authenticator is signed in only once they give a code."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not user.two_factor_enabled:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("two-factor-code")


def _awaiting(request: HttpRequest) -> tuple[User | None, dict[str, Any] | None]:
    """Who owes a code: the login waiting for one, else a signed-in session not yet verified."""
    pending = request.session.get(PENDING)
    if pending and time.time() - pending["at"] <= settings.KAM_TWO_FACTOR_PENDING_SECONDS:
        user = User.objects.filter(pk=pending["user"], is_active=True, two_factor_enabled=True).first()
        if user is not None:
            return user, pending
    current = request.user
    if current.is_authenticated and current.two_factor_enabled and not current.is_verified():  # type: ignore[attr-defined]
        return current, None
    return None, None


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def code(request: HttpRequest) -> HttpResponse:
    """The second step of a login: a code from the authenticator app or a backup code. Wrong codes
    count as failed logins (django-axes: the same lockout as passwords) and each device makes the
    next try wait longer (django-otp)."""
    user, pending = _awaiting(request)
    if user is None:
        request.session.pop(PENDING, None)
        if request.user.is_authenticated:
            return redirect(_safe_next(request, request.GET.get("next")))
        messages.info(request, _("Log in again: the sign-in waited too long for its code."))
        return redirect("login")
    error = None
    if request.method == "POST":
        credentials = {"username": user.username}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _lock_out(request, credentials)
        device = two_factor.code_verify(user=user, code=request.POST.get("code", ""))
        if device is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return _lock_out(request, credentials)
            error = _("That code is not right. Use the newest code of your app, or a backup code.")
        else:
            return _verified(request, user, pending, device)
    return render(request, "registration/two_factor_code.html", {"error": error})


def _lock_out(request: HttpRequest, credentials: dict[str, str]) -> HttpResponse:
    request.session.pop(PENDING, None)
    if request.user.is_authenticated:
        auth_logout(request)
    return get_lockout_response(request, None, credentials)


def _verified(request: HttpRequest, user: User, pending: dict[str, Any] | None, device: Any) -> HttpResponse:
    if pending is not None:
        del request.session[PENDING]
        auth_login(request, user, backend=pending["backend"])  # resets the failed attempts (axes)
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        left = two_factor.backup_codes_left(user=user)
        messages.warning(
            request,
            _("You signed in with a backup code; %(left)s left. Each code works once.") % {"left": left},
        )
    return redirect(_safe_next(request, pending["next"] if pending else request.GET.get("next")))


@login_required
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user menu's "Two-factor sign-in": whether it is on, the backup codes left, the actions."""
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "required": two_factor.two_factor_required(user),
            "backup_codes_left": two_factor.backup_codes_left(user=user) if user.two_factor_enabled else 0,
        },
    )


@login_required
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator: a QR code and the key, confirmed with a code."""
    user = request.user
    if user.two_factor_enabled and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("two-factor-code")  # replacing the authenticator needs the current one first
    device = two_factor.pending_device(user=user)
    error = None
    if request.method == "POST":
        codes = two_factor.authenticator_confirm(user=user, device=device, code=request.POST.get("code", ""))
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return _show_codes(request, codes, next_url=_safe_next(request, request.GET.get("next")))
        error = _(
            "That code is not right. Check that your phone's clock is set automatically, "
            "then try the newest code."
        )
    context = {
        "qr": two_factor.qr_svg(device),
        "key": two_factor.manual_key(device),
        "error": error,
        "required": two_factor.two_factor_required(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _show_codes(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    response = render(request, "accounts/two_factor_codes.html", {"codes": codes, "next_url": next_url})
    response["Cache-Control"] = "no-store"  # the codes are shown once: no copy in the browser's cache
    return response


@login_required
@require_POST
def backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New backup codes; the old ones stop working."""
    if not request.user.two_factor_enabled:
        messages.error(request, _("Set up two-factor sign-in first."))
        return redirect("two-factor")
    codes = two_factor.backup_codes_regenerate(user=request.user)
    return _show_codes(request, codes, next_url=reverse("two-factor"))


@login_required
@require_POST
def disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, unless the user's role requires it."""
    if two_factor.two_factor_required(request.user):
        messages.error(request, _("Your role requires two-factor sign-in: it cannot be turned off."))
        return redirect("two-factor")
    two_factor.two_factor_disable(user=request.user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two-factor")


@login_required
def reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An administrator removes a user's second factor (a lost phone); the user sets it up again."""
    if not request.user.is_admin_role:
        raise PermissionDenied
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        two_factor.two_factor_reset(user=target, by=request.user)
        messages.success(
            request, _("The second factor of %(user)s was removed; they were told.") % {"user": target}
        )
        return redirect("admin:accounts_user_change", target.pk)
    return render(request, "accounts/two_factor_reset.html", {"target": target})
