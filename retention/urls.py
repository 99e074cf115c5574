from django.urls import include, path

app_name = "retention"

urlpatterns: list = [
    path("", include("retention.survey_urls")),
]
