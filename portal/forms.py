"""Forms of the portal app: sign-in with lock-out (portal and admin), API tokens, and how
a page shows a service's refusal on its form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.security.lockout import LockedOut, authenticate_with_lockout
from portal.security.throttles import locked_out_message

TOKEN_MAX_DAYS = 365


class LoginForm(AuthenticationForm):
    """Sign in with username and password; after repeated failures attempts must wait."""

    def clean(self):
        """Authenticate through the lock-out; say clearly how long to wait when throttled."""
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = authenticate_with_lockout(
                    self.request, username, password, channel="web"
                )
            except LockedOut as exc:
                raise self.get_locked_out_error(exc) from exc
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def get_locked_out_error(self, locked: LockedOut) -> ValidationError:
        """Return the error shown while sign-in for this username must wait."""
        return ValidationError(locked_out_message(locked.seconds), code="locked_out")


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """Sign in to the Django admin (staff only) through the same lock-out as the portal."""


class ApiTokenForm(forms.Form):
    """Name a new API token and, optionally, let it expire after a number of days."""

    name = forms.CharField(
        label=pgettext_lazy("name of a thing", "Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the system that uses it."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        help_text=_("From 1 to 365 days. Leave empty for a token that does not expire."),
    )

    def expires_at(self) -> datetime | None:
        """Return when the token expires, or None when it does not."""
        days = self.cleaned_data.get("expires_in_days")
        if days is None:
            return None
        return timezone.now() + timedelta(days=days)


def add_service_errors(
    form: forms.Form, error: ValidationError, renames: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on the form, on the field it concerns when there is one.

    The services name the models' fields; ``renames`` maps those a form calls by another
    name (e.g. ``{"decision_reason": "reason"}``). Errors of fields the form lacks, and
    errors of no field, go above the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (renames or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)
