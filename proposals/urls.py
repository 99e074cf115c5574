"""The proposal pages."""

from django.urls import path

app_name = "proposals"

urlpatterns: list = []

from . import stats_views  # noqa: E402

urlpatterns += [path("proposals/stats/", stats_views.stats, name="stats")]
