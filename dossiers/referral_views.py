"""Pages to record a referral or a recommendation letter, and to download a letter's scan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from common.forms import saved
from common.views import AuthenticatedHttpRequest, form_page, writable, writable_account

from . import services
from .referral_forms import LetterForm, ReferralForm
from .referrals import letter_queryset, referral_queryset


@login_required
def referral_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who referred this prospect: a contact of a customer."""
    prospect = writable_account(request, pk)
    form = ReferralForm(request.POST or None, user=request.user, prospect=prospect)
    if saved(
        request,
        form,
        lambda data: services.referral_create(account=prospect, by=request.user, **data),
        message=_("Referral recorded; the prospect's lead source is now “referral”."),
    ):
        return redirect(prospect.get_absolute_url())
    title = _("Who referred %(account)s") % {"account": prospect}
    return form_page(
        request, form, title=title, cancel=prospect.get_absolute_url(), account=prospect, tab="overview"
    )


@login_required
def referral_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Update a referral: the referrer's call, the outcome (refused when edited meanwhile)."""
    referral = writable(request, referral_queryset(user=request.user), pk)
    prospect = referral.account
    form = ReferralForm(request.POST or None, instance=referral, user=request.user, prospect=prospect)
    if saved(
        request,
        form,
        lambda data: services.referral_update(referral=referral, **data),
        message=_("Referral updated."),
    ):
        return redirect(prospect.get_absolute_url())
    title = _("Referral of %(account)s") % {"account": prospect}
    return form_page(
        request, form, title=title, cancel=prospect.get_absolute_url(), account=prospect, tab="overview"
    )


@login_required
def letter_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A recommendation letter received from this account, with its scan (PDF, PNG or JPEG)."""
    account = writable_account(request, pk)
    form = LetterForm(request.POST or None, request.FILES or None, account=account)
    if saved(
        request,
        form,
        lambda data: services.letter_create(account=account, by=request.user, **data),
        message=_("Recommendation letter recorded."),
    ):
        return redirect(account.get_absolute_url())
    title = _("A recommendation letter from %(account)s") % {"account": account}
    return form_page(
        request,
        form,
        title=title,
        cancel=account.get_absolute_url(),
        account=account,
        tab="overview",
        multipart=True,
    )


@login_required
def letter_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The letter's scan, for those who see its account (uploads are not served from MEDIA)."""
    letter = get_object_or_404(letter_queryset(user=request.user), pk=pk)
    if not letter.file:
        raise Http404
    name = (letter.file.name or "letter").rsplit("/", 1)[-1]
    return FileResponse(letter.file.open("rb"), as_attachment=True, filename=name)
