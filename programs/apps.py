from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ProgramsConfig(AppConfig):
    """International low-carbon city programme records."""

    name = "programs"
    verbose_name = pgettext_lazy("international programmes", "Programmes")

    def ready(self) -> None:
        # Register the rules of portal.permissions.
        from portal import home
        from programs import permissions  # noqa: F401
        from programs.home import home_tasks

        home.register_tasks(home_tasks)
