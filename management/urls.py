"""The management pages: KAM scorecards, forecasts, client reports."""

from django.urls import path

from . import handover_views, strategic_views

app_name = "management"

urlpatterns: list = [
    path("strategic-accounts/", strategic_views.strategic_list, name="strategic"),
    path("accounts/<int:pk>/handover/", handover_views.handover, name="handover"),
]
