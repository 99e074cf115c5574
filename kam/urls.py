from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse

from accounts.views import accounts, language, tokens, two_factor

from . import views


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin site signs in through kam's own login page, which asks for the second factor."""
    if request.user.is_authenticated:  # signed in but not staff: the admin site is not theirs
        raise PermissionDenied
    return auth_views.redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("", accounts.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("auth/login/", two_factor.TwoFactorLoginView.as_view(), name="login"),
    path("auth/two-factor/code/", two_factor.code, name="two-factor-code"),
    path("auth/two-factor/", two_factor.settings_page, name="two-factor"),
    path("auth/two-factor/setup/", two_factor.setup, name="two-factor-setup"),
    path("auth/two-factor/backup-codes/", two_factor.backup_codes, name="two-factor-backup-codes"),
    path("auth/two-factor/disable/", two_factor.disable, name="two-factor-disable"),
    path("auth/two-factor/reset/<int:pk>/", two_factor.reset, name="two-factor-reset"),
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
