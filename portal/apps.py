from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The portal's own app: users, roles, audit log."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Register the Celery tasks that services queue by name (portal.queueing).
        from portal import tasks  # noqa: F401
