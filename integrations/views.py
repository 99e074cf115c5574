"""The webhook pages: your subscriptions (an admin sees all), their forms and delivery logs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.pagination import paginate
from common.views import AuthenticatedHttpRequest

from . import selectors, services
from .forms import SubscriptionForm
from .models import WebhookDelivery, WebhookSubscription


def _subscription(request: AuthenticatedHttpRequest, pk: int) -> WebhookSubscription:
    return get_object_or_404(selectors.subscription_queryset(user=request.user, everyone=True), pk=pk)


@login_required
def webhook_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.subscription_queryset(user=request.user, everyone=True)
    secret = request.session.pop("webhook_secret", None)
    return render(
        request,
        "integrations/webhook_list.html",
        {"page": paginate(request, rows), "secret": secret, "sees_all": request.user.is_admin_role},
    )


def _form_page(
    request: AuthenticatedHttpRequest, form: SubscriptionForm, title: str, cancel: str
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel": cancel}
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


def _apply(form: SubscriptionForm, save) -> WebhookSubscription | None:
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    return None


@login_required
def webhook_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscription = _apply(form, lambda data: services.subscription_create(owner=request.user, **data))
        if subscription is not None:
            request.session["webhook_secret"] = {"id": subscription.pk, "secret": subscription.secret}
            messages.success(
                request, _("Webhook created. Copy its signing secret now: it is shown only once.")
            )
            return redirect("integrations:webhooks")
    return _form_page(request, form, _("New webhook"), cancel="/integrations/webhooks/")


@login_required
def webhook_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    initial = {"target_url": subscription.target_url, "events": subscription.events}
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _apply(form, lambda data: services.subscription_update(subscription=subscription, **data))
        if saved is not None:
            messages.success(request, _("Webhook saved."))
            return redirect("integrations:webhooks")
    return _form_page(request, form, _("Edit webhook"), cancel="/integrations/webhooks/")


@login_required
@require_POST
def webhook_pause(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    services.subscription_pause(subscription=subscription, active=not subscription.active)
    messages.success(request, _("Webhook resumed.") if subscription.active else _("Webhook paused."))
    return redirect("integrations:webhooks")


@login_required
@require_POST
def webhook_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.subscription_delete(subscription=_subscription(request, pk))
    messages.success(request, _("Webhook deleted."))
    return redirect("integrations:webhooks")


@login_required
def webhook_deliveries(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    page = paginate(request, selectors.delivery_queryset(subscription=subscription))
    return render(request, "integrations/delivery_list.html", {"subscription": subscription, "page": page})


@login_required
@require_POST
def delivery_redeliver(request: AuthenticatedHttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_pk, subscription=subscription)
    services.delivery_redeliver(delivery=delivery)
    messages.success(request, _("The event is being delivered again."))
    return redirect("integrations:webhook-deliveries", pk=subscription.pk)
