from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """Businesses, premises, equipment and monthly logs (Arts. 2, 4-9)."""

    name = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        # Register the enforcement outbox handlers.
        from compliance import deliveries  # noqa: F401
