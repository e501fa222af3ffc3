"""The Django admin's site: its sign-in goes through the portal's lock-out, like the portal's.

Set as the default admin site by :class:`portal.admin_apps.PortalAdminConfig` (the documented
way to replace ``admin.site``), so every ``admin.register`` in the apps registers here.
"""

from __future__ import annotations

from django.contrib import admin

from portal.forms import AdminLoginForm
from portal.security import lockout


class PortalAdminSite(admin.AdminSite):
    """The admin, its sign-in held back by failures and marking the browser as known."""

    login_form = AdminLoginForm

    def login(self, request, extra_context=None):
        """Sign in; a successful sign-in marks the browser as a known device of the user.

        As on the portal's sign-in page (``portal.views.account.LoginView``): failures
        for the username from elsewhere then do not hold the administrator back here.
        """
        signed_in_before = request.user.is_authenticated
        response = super().login(request, extra_context)
        if request.method == "POST" and not signed_in_before and request.user.is_authenticated:
            lockout.remember_device(request, response, request.user.get_username())
        return response
