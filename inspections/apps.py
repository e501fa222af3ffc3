from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Site visits under Art. 10; built on the registry."""

    name = "inspections"
    verbose_name = _("Inspections")
