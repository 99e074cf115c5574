from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import accounts, language, tokens

from . import views

urlpatterns = [
    path("", accounts.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("auth/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("auth/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("auth/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("language/", language.language_set, name="language-set"),
    path("api-tokens/", tokens.token_list, name="tokens"),
    path("api-tokens/<str:digest>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("", include("analysis.urls")),  # before accounts/: it fills the account page's Analysis tab
    path("", include("sales.urls")),  # before accounts/: it fills the account page's Sales tab
    path("", include("retention.urls")),  # before accounts/: it fills the account page's Retention tab
    path("", include("dossiers.urls")),  # before accounts/: it fills the account page's Dossier tab
    path("", include("proposals.urls")),  # before accounts/: it fills the account page's Proposals tab
    path("", include("management.urls")),
    path("", include("integrations.urls")),
    path("history/", include("audit.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("kam.api_urls")),
    path("admin/", admin.site.urls),
]
