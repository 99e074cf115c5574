"""The reference library: success stories every proposal may cite. Everyone reads it, everyone but
analysts keeps it, and heads and administrators remove stories."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from common.filters import refused
from common.forms import saved
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest, form_page

from .. import selectors, services
from ..forms import SuccessStoryForm
from ..models import SuccessStory
from ._common import refuse_analysts, user_of


def can_delete_story(user: User) -> bool:
    return user.is_head or user.is_admin_role


@login_required
def reference_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = user_of(request)
    stories = selectors.success_story_list(user=user, filters=request.GET)
    status = refused(request, stories)
    context = {
        "filter": stories,
        "page": paginate(request, stories.rows.select_related("product_line")),
        "query": querystring_without(request, "page"),
        "can_write": not user.is_analyst,
        "can_delete": can_delete_story(user),
    }
    return render(request, "proposals/references.html", context, status=status)


def _story(request: AuthenticatedHttpRequest, pk: int) -> SuccessStory:
    return get_object_or_404(SuccessStory.objects.visible_to(user_of(request)), pk=pk)


@login_required
def reference_form(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """A new story (no pk) or a change to one; the version guards against overwriting a colleague."""
    story = _story(request, pk) if pk else None
    refuse_analysts(request)
    form = SuccessStoryForm(request.POST or None, instance=story)

    def save(data: dict[str, Any]) -> SuccessStory:
        if story is None:
            return services.success_story_create(by=user_of(request), **data)
        version = form.cleaned_data.get("version")
        return services.success_story_update(story=story, expected_version=version, **data)

    if saved(request, form, save, message=_("Reference saved.")):
        return redirect("proposals:references")
    delete_url = reverse("proposals:reference-delete", args=[story.pk]) if story else None
    return form_page(
        request,
        form,
        title=_("Edit the reference") if story else _("New reference"),
        cancel=reverse("proposals:references"),
        delete_url=delete_url if delete_url and can_delete_story(user_of(request)) else None,
    )


@login_required
@require_POST
def reference_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    if not can_delete_story(user_of(request)):
        raise PermissionDenied
    services.success_story_delete(story=story)
    messages.success(request, _("Reference “%(title)s” removed.") % {"title": story.title})
    return redirect("proposals:references")
