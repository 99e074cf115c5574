from django.urls import path

from . import (
    commitment_views,
    complaint_views,
    record_views,
    referral_views,
    search_views,
    service_plan_views,
    views,
)

app_name = "dossiers"

urlpatterns = [
    path("accounts/<int:pk>/dossier/", views.account_tab, name="account-tab"),
    path("accounts/<int:pk>/dossier/profile/", views.profile_edit, name="profile-edit"),
    path("accounts/<int:pk>/dossier/interactions/", views.interaction_create, name="interaction-create"),
    path("accounts/<int:pk>/dossier/tenders/", views.tender_create, name="tender-create"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
    path("birthdays/", views.birthdays, name="birthdays"),
    path("search/", search_views.search_page, name="search"),
]

urlpatterns += [
    path("accounts/<int:pk>/timeline/", record_views.timeline, name="timeline"),
    path("accounts/<int:pk>/dossier/assessment/", record_views.assessment_edit, name="assessment-edit"),
    path(
        "accounts/<int:pk>/dossier/qualification/",
        record_views.qualification_confirm,
        name="qualification-confirm",
    ),
    path("accounts/<int:pk>/dossier/competitors/new/", record_views.presence_create, name="presence-create"),
    path("competitor-presences/<int:pk>/edit/", record_views.presence_edit, name="presence-edit"),
    path("competitor-presences/<int:pk>/delete/", record_views.presence_delete, name="presence-delete"),
    path("competitors/", record_views.competitor_list, name="competitors"),
    path("competitors/new/", record_views.competitor_form, name="competitor-create"),
    path("competitors/<int:pk>/edit/", record_views.competitor_form, name="competitor-edit"),
    path("accounts/<int:pk>/plans/", record_views.plans, name="plans"),
    path("accounts/<int:pk>/plans/new/", record_views.plan_create, name="plan-create"),
    path("plans/<int:pk>/edit/", record_views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/actions/new/", record_views.action_form, name="action-create"),
    path("plans/<int:pk>/actions/<int:action_pk>/edit/", record_views.action_form, name="action-edit"),
    path(
        "accounts/<int:pk>/service-plans/<int:year>/",
        service_plan_views.service_plan_edit,
        name="service-plan-edit",
    ),
    path("tenders/", record_views.tender_calendar, name="tender-calendar"),
    path("tenders/<int:pk>/", record_views.tender_detail, name="tender-detail"),
    path("tender-milestones/<int:pk>/toggle/", record_views.milestone_toggle, name="milestone-toggle"),
]

urlpatterns += [
    path("complaints/", complaint_views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", complaint_views.complaint_detail, name="complaint-detail"),
    path(
        "complaints/<int:pk>/transition/", complaint_views.complaint_transition, name="complaint-transition"
    ),
    path("accounts/<int:pk>/complaints/", complaint_views.account_complaints, name="account-complaints"),
    path("commitments/", commitment_views.commitments, name="commitments"),
    path("accounts/<int:pk>/commitments/", commitment_views.account_commitments, name="account-commitments"),
    path("accounts/<int:pk>/commitments/new/", commitment_views.commitment_create, name="commitment-create"),
    path("commitments/<int:pk>/edit/", commitment_views.commitment_edit, name="commitment-edit"),
    path("commitments/<int:pk>/kept/", commitment_views.commitment_kept, name="commitment-kept"),
    path("commitments/<int:pk>/broken/", commitment_views.commitment_broken, name="commitment-broken"),
    path("accounts/<int:pk>/referrals/new/", referral_views.referral_create, name="referral-create"),
    path("referrals/<int:pk>/edit/", referral_views.referral_edit, name="referral-edit"),
    path("accounts/<int:pk>/recommendation-letters/new/", referral_views.letter_create, name="letter-create"),
    path("recommendation-letters/<int:pk>/file/", referral_views.letter_file, name="letter-file"),
]
