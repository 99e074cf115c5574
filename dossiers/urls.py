from django.urls import path

from . import search_views, views

app_name = "dossiers"

urlpatterns = [
    path("accounts/<int:pk>/dossier/", views.account_tab, name="account-tab"),
    path("accounts/<int:pk>/dossier/profile/", views.profile_edit, name="profile-edit"),
    path("accounts/<int:pk>/dossier/interactions/", views.interaction_create, name="interaction-create"),
    path("accounts/<int:pk>/dossier/tenders/", views.tender_create, name="tender-create"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
    path("search/", search_views.search_page, name="search"),
]
