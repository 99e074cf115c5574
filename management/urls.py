"""The management pages: KAM scorecards, plan vs actual, strategic accounts, handovers, client reports."""

from django.urls import path

from . import growth_views, handover_views, plan_views, strategic_views, views
from .consumption import views as consumption

app_name = "management"

urlpatterns = [
    path("strategic-accounts/", strategic_views.strategic_list, name="strategic"),
    path("accounts/<int:pk>/handover/", handover_views.handover, name="handover"),
    path("management/kams/", views.kam_list, name="kams"),
    path("management/kams/<int:pk>/", views.kam_card, name="kam"),
    path("management/policy/", views.policy, name="policy"),
    path("management/funnel/", growth_views.funnel, name="funnel"),
    path("management/referrals/", growth_views.referrals, name="referrals"),
    path("management/plan-vs-actual/", plan_views.plan_vs_actual, name="plan-vs-actual"),
    # The semester consumption report: one account's (from its Sales tab) and the bulk runs.
    path("accounts/<int:pk>/consumption/", consumption.account_report, name="consumption"),
    path(
        "accounts/<int:pk>/consumption/<str:fmt>/",
        consumption.account_report_download,
        name="consumption-download",
    ),
    path("management/consumption/", consumption.run_list_page, name="consumption-runs"),
    path("management/consumption/start/", consumption.run_start, name="consumption-run-start"),
    path("management/consumption/<int:pk>/", consumption.run_detail, name="consumption-run"),
    path(
        "management/consumption/<int:pk>/progress/", consumption.run_progress, name="consumption-run-progress"
    ),
    path("management/consumption/files/<int:pk>/<str:fmt>/", consumption.run_file, name="consumption-file"),
]
