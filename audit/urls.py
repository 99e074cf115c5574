from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entries"),
    path("accounts/<int:pk>/", views.account_history, name="account"),
    path("contacts/<int:pk>/", views.contact_history, name="contact"),
    path("proposals/<int:pk>/", views.proposal_history, name="proposal"),
    path("account-plans/<int:pk>/", views.account_plan_history, name="account-plan"),
    path("sales-plans/<int:pk>/", views.sales_plan_history, name="sales-plan"),
    path("imports/<int:pk>/", views.import_history, name="import"),
]
