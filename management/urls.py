"""The management pages: KAM scorecards, forecasts, client reports."""

from django.urls import path

from . import handover_views, strategic_views, views

app_name = "management"

urlpatterns = [
    path("strategic-accounts/", strategic_views.strategic_list, name="strategic"),
    path("accounts/<int:pk>/handover/", handover_views.handover, name="handover"),
    path("management/kams/", views.kam_list, name="kams"),
    path("management/kams/<int:pk>/", views.kam_card, name="kam"),
    path("management/policy/", views.policy, name="policy"),
]
