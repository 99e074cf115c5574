"""Survey pages, and the public answer link (no login)."""

from django.urls import path

from . import survey_phone_views
from . import survey_views as views

urlpatterns: list = [
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", views.survey_results, name="survey"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey-edit"),
    path("accounts/<int:pk>/surveys/send/", views.survey_send, name="survey-send"),
    path("accounts/<int:pk>/surveys/phone/", survey_phone_views.survey_phone, name="survey-phone"),
    # The public side: "thanks" first, so that it is never read as a token.
    path("s/thanks/", views.survey_thanks, name="survey-thanks"),
    path("s/<str:token>/", views.survey_answer, name="survey-answer"),
]
