"""Sign-in and account pages: log in and out, passwords, and the user's API tokens."""

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

TOKEN_LIST_TEMPLATE = "portal/account/token_list.html"
TOKEN_CREATED_TEMPLATE = "portal/account/token_created.html"


class LoginView(auth_views.LoginView):
    """Sign in; repeated failures lock the username out from that address for a while."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django 5 requires)."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password, confirming the old one."""

    template_name = "registration/password_change_form.html"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """Confirm that the password was changed."""

    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; the answer is the same whether the address is known."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    extra_email_context = {"site_name": settings.PORTAL_NAME}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Tell the user to look for the e-mail."""

    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mailed link."""

    template_name = "registration/password_reset_confirm.html"


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
