"""Survey pages, and the public answer link (no login)."""

urlpatterns: list = []
