from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    """Arts. 13 and 14: service teams, rewards and subsidies."""

    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self) -> None:
        # Register the outbox handlers that render approval letters and award certificates,
        # the rules of portal.permissions and what the public verification page says of
        # both documents (portal.pdf.verify).
        from portal import home
        from subsidies import permissions  # noqa: F401
        from subsidies.documents import certificates, letters, verification  # noqa: F401
        from subsidies.home import home_tasks

        home.register_tasks(home_tasks)
