"""Django's admin app with the portal's site as ``admin.site`` (portal/admin_site.py).

A module of its own: ``INSTALLED_APPS`` imports it before the models are ready, and
``portal/apps.py`` must keep one app config for Django to find.
"""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin, its default site the portal's (the documented replacement)."""

    default_site = "portal.admin_site.PortalAdminSite"
