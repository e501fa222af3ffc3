"""Sign-in and account pages: log in and out, passwords, the user's API tokens, and the
administrators' list of throttled sign-ins."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View

from portal.api.tokens import issue_token, revoke_token
from portal.forms import ApiTokenForm, LoginForm
from portal.models import ApiToken
from portal.security import lockout
from portal.security.throttles import PasswordResetThrottle, SignInThrottle, ThrottledPostMixin
from portal.views.mixins import AdministratorRequiredMixin

TOKEN_LIST_TEMPLATE = "portal/account/token_list.html"
TOKEN_CREATED_TEMPLATE = "portal/account/token_created.html"


class LoginView(ThrottledPostMixin, auth_views.LoginView):
    """Sign in; repeated failures make further attempts wait (portal/security/lockout.py).

    A successful sign-in marks the browser as a known device of the user: failures from
    elsewhere do not hold it back. Each address may post the form at most at the
    ``sign_in`` rate.
    """

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    throttle_classes = (SignInThrottle,)

    def form_valid(self, form):
        response = super().form_valid(form)
        lockout.remember_device(self.request, response, form.get_user().get_username())
        return response


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django 5 requires)."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password, confirming the old one."""

    template_name = "registration/password_change_form.html"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """Confirm that the password was changed."""

    template_name = "registration/password_change_done.html"


class PasswordResetView(ThrottledPostMixin, auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; the answer is the same whether the address is known.

    Each address may ask at most at the ``password_reset`` rate (no mail bombing).
    """

    throttle_classes = (PasswordResetThrottle,)

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    extra_email_context = {"site_name": settings.PORTAL_NAME}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Tell the user to look for the e-mail."""

    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mailed link; the account's failed sign-ins are forgotten.

    Whoever was guessing no longer holds the real user back once they proved who they are.
    """

    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        lockout.clear(
            lockout.ACCOUNT, form.user.get_username(), actor=form.user, reason="password reset"
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """Confirm that the new password is set."""

    template_name = "registration/password_reset_complete.html"


def _own_tokens(user):
    """Return the tokens of this user only."""
    return ApiToken.objects.filter(user=user)


def render_token_list(request: HttpRequest, form: ApiTokenForm) -> HttpResponse:
    """Render the token list page with the given creation form."""
    context = {"tokens": _own_tokens(request.user), "form": form}
    return render(request, TOKEN_LIST_TEMPLATE, context)


class TokenListView(LoginRequiredMixin, View):
    """List the user's own API tokens, with a form to create another."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render_token_list(request, ApiTokenForm())


class TokenCreateView(LoginRequiredMixin, View):
    """Create an API token and show its key once, on this response only."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return render_token_list(request, form)
        token, raw = issue_token(
            request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
        response = render(request, TOKEN_CREATED_TEMPLATE, {"token": token, "raw_key": raw})
        # The key appears in this response only: never cached, stored or put in a URL.
        add_never_cache_headers(response)
        return response


class TokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of the user's own API tokens."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = revoke_token(request.user, get_object_or_404(_own_tokens(request.user), pk=pk))
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("token-list")


class SignInLockListView(AdministratorRequiredMixin, View):
    """List the accounts and addresses whose failed sign-ins hold attempts back; clear one.

    Clearing forgets the failures (audited, with the administrator's name): the account or
    address may try again at once.
    """

    template_name = "portal/account/sign_in_locks.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = lockout.throttled()
        context = {
            "accounts": [row for row in rows if row.kind == lockout.ACCOUNT],
            "addresses": [row for row in rows if row.kind == lockout.ADDRESS],
            "window_hours": int(settings.LOCKOUT_WINDOW.total_seconds() // 3600),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        kind = request.POST.get("kind")
        key = request.POST.get("key", "").strip()[:150]
        if kind not in (lockout.ACCOUNT, lockout.ADDRESS) or not key:
            messages.error(request, _("Choose an account or an address to clear."))
            return redirect("sign-in-locks")
        cleared = lockout.clear(kind, key, actor=request.user, reason="cleared by administrator")
        if cleared:
            messages.success(
                request, _("The failed sign-ins of “%(key)s” are cleared.") % {"key": key}
            )
        else:
            messages.info(request, _("“%(key)s” had no failed sign-ins.") % {"key": key})
        return redirect("sign-in-locks")
