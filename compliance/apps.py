from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """Businesses, premises, equipment and monthly logs (Arts. 2, 4-9)."""

    name = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        # Register the enforcement outbox handlers, the Celery tasks that services queue
        # by name (portal.queueing), the domains' rules (portal.permissions) and what the
        # public verification page says of a notice or decision (portal.pdf.verify).
        from compliance import tasks  # noqa: F401
        from compliance.energy import permissions as energy_permissions  # noqa: F401
        from compliance.enforcement import deliveries, permissions  # noqa: F401
        from compliance.enforcement.documents import verify  # noqa: F401
        from compliance.home import home_panels, home_tasks
        from compliance.registry import permissions as registry_permissions  # noqa: F401
        from compliance.rulebook import permissions as rulebook_permissions  # noqa: F401
        from portal import home

        home.register(home_panels, "compliance/home_panels.html")
        home.register_tasks(home_tasks)
