"""The management pages: KAM scorecards, plan vs actual, strategic accounts, handovers, client reports."""

from django.urls import path

from . import (
    growth_views,
    handover_views,
    key_client_views,
    meeting_brief_views,
    plan_views,
    strategic_views,
    views,
    white_space_views,
)
from .calendar_feed import views as calendar_feed
from .consumption import views as consumption
from .digests import views as digests
from .personal_data import views as personal_data

app_name = "management"

urlpatterns = [
    path("strategic-accounts/", strategic_views.strategic_list, name="strategic"),
    path("accounts/<int:pk>/handover/", handover_views.handover, name="handover"),
    path("accounts/<int:pk>/white-space/", white_space_views.white_space_page, name="white-space"),
    path("accounts/<int:pk>/white-space/task/", white_space_views.opportunity_task, name="white-space-task"),
    path(
        "accounts/<int:pk>/white-space/proposal/",
        white_space_views.opportunity_proposal,
        name="white-space-proposal",
    ),
    path(
        "accounts/<int:pk>/key-client-type/accept/",
        key_client_views.suggestion_accept,
        name="key-client-type-accept",
    ),
    path("accounts/<int:pk>/meeting-brief/", meeting_brief_views.meeting_brief_page, name="meeting-brief"),
    # A contact's personal data (GDPR): everything held as a download, and its erasure.
    path("contacts/<int:pk>/personal-data/export/", personal_data.export, name="personal-data-export"),
    path("contacts/<int:pk>/personal-data/erase/", personal_data.erase, name="personal-data-erase"),
    path("management/kams/", views.kam_list, name="kams"),
    path("management/kams/<int:pk>/", views.kam_card, name="kam"),
    path("management/policy/", views.policy, name="policy"),
    path("management/funnel/", growth_views.funnel, name="funnel"),
    path("management/referrals/", growth_views.referrals, name="referrals"),
    path("management/plan-vs-actual/", plan_views.plan_vs_actual, name="plan-vs-actual"),
    path("management/digests/preview/", digests.preview, name="digest-preview"),
    path("management/digests/preview/<str:kind>.txt", digests.preview_text, name="digest-preview-text"),
    path("management/digests/unsubscribe/<str:token>/", digests.unsubscribe, name="digest-unsubscribe"),
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
    # The private calendar feed: managed by its user, fetched by calendar apps with the token alone.
    path("calendar-feed/", calendar_feed.calendar_feed_page, name="calendar-feed"),
    path("calendar-feed/revoke/", calendar_feed.calendar_feed_revoke_view, name="calendar-feed-revoke"),
    path("calendar/<str:token>.ics", calendar_feed.calendar_ics, name="calendar-ics"),
]
