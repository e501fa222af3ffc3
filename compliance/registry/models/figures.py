"""The city's registry figures, maintained as rows change (home page, Art. 2 registry).

Counting 100,000 premises and 600,000 items on every home page costs a scan of each
table; these counters are kept by PostgreSQL triggers in the same transaction as the
change (``compliance/migrations/0022_city_scale_figures.py``), whatever path made it
(pages, API, the CSV import, admin, set-based SQL), and read in constant time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import bounds

# The figures kept: premises by district, and the equipment of the whole city (key "").
PREMISES_BY_DISTRICT = "premises"
EQUIPMENT_TOTAL = "equipment"


class RegistryFigure(models.Model):
    """One counter of the registry: a figure and its key (a district, or "")."""

    figure = models.CharField(_("figure"), max_length=16)
    key = models.CharField(_("key"), max_length=16, blank=True)
    value = models.BigIntegerField(
        _("value"), default=0, validators=bounds.up_to(bounds.BIGINT_MAX)
    )

    class Meta:
        verbose_name = _("registry figure")
        verbose_name_plural = _("registry figures")
        constraints = [
            models.UniqueConstraint(fields=["figure", "key"], name="one_registry_figure_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.figure}[{self.key}] = {self.value}"
