from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("integrations/webhooks/", views.webhook_list, name="webhooks"),
    path("integrations/webhooks/new/", views.webhook_create, name="webhook-create"),
    path("integrations/webhooks/<int:pk>/edit/", views.webhook_edit, name="webhook-edit"),
    path("integrations/webhooks/<int:pk>/pause/", views.webhook_pause, name="webhook-pause"),
    path("integrations/webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook-delete"),
    path("integrations/webhooks/<int:pk>/deliveries/", views.webhook_deliveries, name="webhook-deliveries"),
    path(
        "integrations/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.delivery_redeliver,
        name="delivery-redeliver",
    ),
]
