from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The portal's own app: users, roles, audit log."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Register the Celery tasks that services queue by name (portal.queueing).
        # Every admin's writes audited, Django's and other apps' included. The admin app
        # comes first in INSTALLED_APPS, so every admin module is loaded by now.
        from django.contrib import admin

        from portal import tasks  # noqa: F401
        from portal.admin_audit import audit_every_admin
        from portal.observability import connect_celery_signals

        audit_every_admin(admin.site)
        # The request id carried into tasks; each task's last run recorded (TaskRun).
        connect_celery_signals()
