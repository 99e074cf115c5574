"""The proposal pages."""

from django.urls import path

from . import stats_views
from .views import content, pages, references, workflow

app_name = "proposals"

urlpatterns = [
    path("accounts/<int:pk>/proposals/", pages.account_tab, name="account-tab"),
    path("accounts/<int:pk>/proposals/new/", pages.proposal_create, name="create"),
    path("proposals/", pages.proposal_list, name="list"),
    path("proposals/approvals/", workflow.approval_queue, name="approvals"),
    path("proposals/stats/", stats_views.stats, name="stats"),
    path("proposals/references/", references.reference_list, name="references"),
    path("proposals/references/new/", references.reference_form, name="reference-create"),
    path("proposals/references/<int:pk>/edit/", references.reference_form, name="reference-edit"),
    path("proposals/references/<int:pk>/delete/", references.reference_delete, name="reference-delete"),
    path("proposals/<int:pk>/", pages.proposal_detail, name="detail"),
    path("proposals/<int:pk>/edit/", pages.proposal_edit, name="edit"),
    path("proposals/<int:pk>/copy/", pages.proposal_copy, name="copy"),
    path("proposals/<int:pk>/pdf/", pages.proposal_document, name="pdf"),
    path("proposals/<int:pk>/lines/", content.lines, name="lines"),
    path("proposals/lines/<int:pk>/", content.line_edit, name="line-edit"),
    path("proposals/lines/<int:pk>/delete/", content.line_delete, name="line-delete"),
    path("proposals/<int:pk>/arguments/", content.argument_create, name="argument-create"),
    path("proposals/arguments/<int:pk>/", content.argument_edit, name="argument-edit"),
    path("proposals/arguments/<int:pk>/delete/", content.argument_delete, name="argument-delete"),
    path("proposals/<int:pk>/transition/", workflow.transition, name="transition"),
    path("proposals/follow-up/<int:pk>/close/", workflow.follow_up_close, name="follow-up-close"),
]
