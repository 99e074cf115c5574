"""The management pages: KAM scorecards, forecasts, client reports."""

from django.urls import path

from . import views

app_name = "management"

urlpatterns = [
    path("management/kams/", views.kam_list, name="kams"),
    path("management/kams/<int:pk>/", views.kam_card, name="kam"),
    path("management/policy/", views.policy, name="policy"),
]
