from django.urls import include, path

from . import views

app_name = "retention"

urlpatterns = [
    path("accounts/<int:pk>/retention/", views.account_tab, name="account-tab"),
    path("accounts/<int:pk>/retention/refusals/", views.refusal_create, name="refusal-create"),
    path("refusals/<int:pk>/delete/", views.refusal_delete, name="refusal-delete"),
    path("accounts/<int:pk>/retention/losses/", views.loss_create, name="loss-create"),
    path("losses/<int:pk>/delete/", views.loss_delete, name="loss-delete"),
    path("retention/", views.churn_list, name="churn-list"),
    path("retention/losses/", views.loss_analysis, name="losses"),
    path("retention/campaigns/", views.campaigns, name="campaigns"),
    path("retention/campaigns/new/", views.campaign_create, name="campaign-create"),
    path("retention/campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("retention/campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("retention/campaigns/<int:pk>/targets/", views.campaign_targets_add, name="campaign-targets-add"),
    path("campaign-targets/<int:pk>/", views.target_update, name="target-update"),
    path("campaign-targets/<int:pk>/steps/", views.step_add, name="step-add"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/badge/", views.notifications_badge, name="notifications-badge"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("", include("retention.survey_urls")),
]
