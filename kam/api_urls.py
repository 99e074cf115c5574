"""/api/v1/: the router of every app's viewsets, the OpenAPI schema and its interactive docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from analysis import api as analysis_api
from dossiers import api as dossiers_api
from dossiers import commitment_api, complaint_api, referral_api, service_plan_api
from integrations import api as integrations_api
from management import api as management_api
from management import forecast_api, funnel_api, scorecard_api, white_space_api
from proposals import api as proposals_api
from proposals import stats_api as proposals_stats_api
from retention import api as retention_api
from retention import survey_api
from sales import api as sales_api
from sales import plan_api as sales_plan_api

from .views import ApiDocsPermission, KeptSchemaGenerator, api_docs_page

router = DefaultRouter()
router.register("accounts", accounts_api.AccountViewSet, basename="account")
router.register("contacts", accounts_api.ContactViewSet, basename="contact")
router.register("departments", accounts_api.DepartmentViewSet, basename="department")
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("imports", sales_api.ImportBatchViewSet, basename="import")
router.register("sales-lines", sales_api.SalesLineViewSet, basename="sales-line")
router.register("product-lines", sales_api.ProductLineViewSet, basename="product-line")
router.register("sales-plans", sales_plan_api.SalesPlanViewSet, basename="sales-plan")
router.register("profiles", dossiers_api.ProfileViewSet, basename="profile")
router.register("interactions", dossiers_api.InteractionViewSet, basename="interaction")
router.register("tasks", dossiers_api.TaskViewSet, basename="task")
router.register("tenders", dossiers_api.TenderViewSet, basename="tender")
router.register("complaints", complaint_api.ComplaintViewSet, basename="complaint")
router.register("competitors", dossiers_api.CompetitorViewSet, basename="competitor")
router.register(
    "competitor-presences", dossiers_api.CompetitorPresenceViewSet, basename="competitor-presence"
)
router.register("account-plans", dossiers_api.AccountPlanViewSet, basename="account-plan")
router.register("referrals", referral_api.ReferralViewSet, basename="referral")
router.register("recommendation-letters", referral_api.LetterViewSet, basename="recommendation-letter")
router.register("service-plans", service_plan_api.ServicePlanViewSet, basename="service-plan")
router.register("commitments", commitment_api.CommitmentViewSet, basename="commitment")
router.register("analysis-runs", analysis_api.AnalysisRunViewSet, basename="analysis-run")
router.register("segments", analysis_api.SegmentViewSet, basename="segment")
router.register("refusals", retention_api.RefusalViewSet, basename="refusal")
router.register("loss-records", retention_api.LossRecordViewSet, basename="loss-record")
router.register("winback-campaigns", retention_api.CampaignViewSet, basename="winback-campaign")
router.register("campaign-targets", retention_api.CampaignTargetViewSet, basename="campaign-target")
router.register("notifications", retention_api.NotificationViewSet, basename="notification")
# Proposal ids are digits only: `proposals/stats/` (a path of its own, before the router) stays free.
router.register("proposals", proposals_api.ProposalViewSet, basename="proposal")
router.register("proposal-references", proposals_api.SuccessStoryViewSet, basename="proposal-reference")
router.register("surveys", survey_api.SurveyViewSet, basename="survey")
router.register("survey-invitations", survey_api.InvitationViewSet, basename="survey-invitation")
router.register("webhooks", integrations_api.WebhookViewSet, basename="webhook")

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(
            permission_classes=[ApiDocsPermission], generator_class=KeptSchemaGenerator
        ),
        name="api-schema",
    ),
    path(
        "docs/",
        api_docs_page(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", permission_classes=[ApiDocsPermission], template_name="api_docs.html"
            )
        ),
        name="api-docs",
    ),
    path("analysis/matrix/", analysis_api.MatrixView.as_view(), name="analysis-matrix"),
    path("retention/churn/", retention_api.ChurnView.as_view(), name="churn-list"),
    path("accounts/<int:pk>/health/", retention_api.AccountHealthView.as_view(), name="account-health"),
    path("accounts/<int:pk>/timeline/", dossiers_api.AccountTimelineView.as_view(), name="account-timeline"),
    path(
        "accounts/<int:pk>/consumption-report/",
        management_api.ConsumptionReportView.as_view(),
        name="account-consumption-report",
    ),
    path(
        "accounts/<int:pk>/white-space/", white_space_api.WhiteSpaceView.as_view(), name="account-white-space"
    ),
    path("management/forecast/", forecast_api.ForecastView.as_view(), name="management-forecast"),
    path("proposals/stats/", proposals_stats_api.ProposalStatsView.as_view(), name="proposal-stats"),
    path("prospect-funnel/", funnel_api.ProspectFunnelView.as_view(), name="prospect-funnel"),
    path("management/kams/", scorecard_api.KamScorecardsView.as_view(), name="management-kams"),
    path("", include(router.urls)),
]
