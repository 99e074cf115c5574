from django.urls import path

from . import plan_views, views

app_name = "sales"

urlpatterns = [
    path("accounts/<int:pk>/sales/", views.account_sales_tab, name="account-tab"),
    path("sales/imports/", views.batch_list, name="batches"),
    path("sales/imports/new/", views.batch_upload, name="upload"),
    path("sales/imports/<int:pk>/", views.batch_detail, name="batch"),
    path("sales/imports/<int:pk>/progress/", views.batch_progress, name="batch-progress"),
    path("sales/imports/<int:pk>/options/", views.batch_options, name="batch-options"),
    path("sales/imports/<int:pk>/start/", views.batch_start, name="batch-start"),
    path("sales/imports/<int:pk>/rollback/", views.batch_rollback, name="batch-rollback"),
    path("sales/imports/<int:pk>/rejects/", views.batch_rejects, name="batch-rejects"),
    path("sales/plans/", plan_views.plan_list, name="plans"),
    path("sales/plans/new/", plan_views.plan_create, name="plan-create"),
    path("sales/plans/import/", plan_views.plan_upload, name="plan-import"),
    path("sales/plans/<int:pk>/", plan_views.plan_edit, name="plan-edit"),
    path("sales/plans/<int:pk>/delete/", plan_views.plan_delete, name="plan-delete"),
]
