"""Accepting the key-client type the data suggest for an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import account_update
from common.numbers import whole_number
from common.views import AuthenticatedHttpRequest, writable_account

from .key_client import key_client_suggestion


@login_required
@require_POST
def suggestion_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Write the suggested type through the accounts service, with the version the page was shown at;
    the suggestion is worked out again, so a stale page cannot write a type the data no longer suggest."""
    account = writable_account(request, pk)
    suggestion = key_client_suggestion(account=account)
    posted = request.POST.get("key_client_type", "")
    if suggestion is None or suggestion.key_client_type != posted:
        messages.error(request, _("The data no longer suggest this type: look at the account again."))
        return redirect(account)
    try:
        account_update(
            account=account,
            by=request.user,
            version=whole_number(request.POST.get("version", "")) or -1,
            key_client_type=suggestion.key_client_type,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Key-client type set to %(type)s.") % {"type": suggestion.label})
    return redirect(account)
