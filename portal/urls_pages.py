"""Pages of the portal app: home, sign-in, account pages, the public verification of documents."""

from django.urls import path

from portal.views import account, city, errors, home, verify

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("favicon.ico", errors.FaviconView.as_view(), name="favicon"),
    path("account/login/", account.LoginView.as_view(), name="login"),
    path("account/logout/", account.LogoutView.as_view(), name="logout"),
    path("account/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/done/",
        account.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/password/reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password/reset/sent/",
        account.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/reset/done/",
        account.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/tokens/", account.TokenListView.as_view(), name="token-list"),
    path("account/tokens/new/", account.TokenCreateView.as_view(), name="token-create"),
    path("account/tokens/<int:pk>/revoke/", account.TokenRevokeView.as_view(), name="token-revoke"),
    path("account/sign-in-locks/", account.SignInLockListView.as_view(), name="sign-in-locks"),
    path("settings/", city.CitySettingsView.as_view(), name="city-settings"),
    # The public verification of an issued document (no sign-in; the QR code leads here).
    path("documents/verify/", verify.VerifyStartView.as_view(), name="document-verify-start"),
    path(
        "documents/verify/<str:code>/",
        verify.VerifyDocumentView.as_view(),
        name="document-verify",
    ),
]
