"""The management pages: plan vs actual and forecasts (KAM scorecards and client reports to come)."""

from django.urls import path

from . import views

app_name = "management"

urlpatterns = [
    path("management/plan-vs-actual/", views.plan_vs_actual, name="plan-vs-actual"),
]
