"""The management pages: plans, forecasts, KAM scorecards, client reports."""

from django.urls import path  # noqa: F401

app_name = "management"

urlpatterns: list = []
