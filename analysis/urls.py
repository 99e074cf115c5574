from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("accounts/<int:pk>/analysis/", views.account_tab, name="account-tab"),
    path("analysis/", views.dashboard, name="dashboard"),
    path("analysis/segments/", views.segment_list, name="segments"),
    path("analysis/migration/", views.migration, name="migration"),
    path("analysis/runs/", views.run_list, name="runs"),
    path("analysis/policy/", views.policy, name="policy"),
]
