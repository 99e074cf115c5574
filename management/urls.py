"""The management pages: KAM scorecards, forecasts, client reports."""

from django.urls import path  # noqa: F401

app_name = "management"

urlpatterns: list = []
