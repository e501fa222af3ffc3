"""Words a business reads about a violation: the countdown to its deadline and what to do.

Pages, e-mails and documents share them, so a deadline reads the same everywhere
("5 days left", "last day today", "overdue by 2 days") and each article's remedy is one
short translatable instruction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from compliance.energy.models.energy_use import EnergyTypeChoice

# What to do to rectify a violation of each article (Arts. 5-10), in a sentence or two.
REMEDIES = {
    "5-1": _(
        "Fit every entrance with an automatic door or an air curtain that keeps cooled air in."
    ),
    "5-2": _(
        "Clear the goods or objects blocking the cooling towers and the air-conditioning "
        "inlets and outlets."
    ),
    "5-3": _(
        "Install a separate electricity meter for the air conditioning and have the energy "
        "manager keep the monthly maintenance and operating records."
    ),
    "5-4": _(
        "Replace the air conditioner with one that meets the energy-efficiency standard for "
        "its type and capacity."
    ),
    "5-5": _(
        "Set the thermostats so that the average indoor temperature with the air conditioning "
        "on is at least 26 °C."
    ),
    "6-1": _(
        "Switch the arcade lighting on only when daylight is below 100 lx, and keep it "
        "between 100 and 300 lx when on."
    ),
    "6-2": _(
        "Reduce the indoor lighting to the level the national standard CNS 12112 allows for "
        "the space."
    ),
    "6-3": _("Replace the incandescent lamps with efficient ones (e.g. LED)."),
    "7": _("Replace the incandescent lamps of the advertising signboard with efficient ones."),
    "8-1": _("Convert the new or replaced boiler to a natural-gas fuel system."),
    "8-2": _(
        "Have the energy manager check and tune the boiler while it runs and keep the records."
    ),
    "9": _("Switch off non-essential energy-using equipment after business hours."),
    "12": _(
        "Upload the monthly use data the order asks for (CSV or API) on the portal. Each "
        "further missed deadline is fined again (Art. 18)."
    ),
    "10-1": _(
        "Refusing an inspection is fined directly: there is nothing to rectify. Pay the fine "
        "or appeal against the decision, and admit the next inspection."
    ),
}


# Art. 12-2 is not an engine finding: the deadline sweep records it from a data order.
SUPPLIER_FINDING = _(
    "The energy-use data ordered by {order} ({energy_type}, months {period}) was not "
    "provided by the deadline {deadline}. Missing months: {missing}."
)


def supplier_finding(stored: dict) -> str:
    """Explain an Art. 18 case's recorded finding (a missed data order) in the active language."""
    energy = stored.get("unit", "")
    if energy in EnergyTypeChoice.values:
        energy = str(EnergyTypeChoice(energy).label)
    return str(SUPPLIER_FINDING).format(
        order=stored.get("subject", ""),
        energy_type=energy,
        period=stored.get("detail", "").replace("..", " – "),
        deadline=stored.get("limit", ""),
        missing=stored.get("measured", ""),
    )


def remedy(article: str) -> str:
    """Return what to do to rectify a violation of ``article`` (empty if none is known)."""
    text = REMEDIES.get(article)
    return str(text) if text is not None else ""


@dataclass(frozen=True)
class Countdown:
    """A deadline in words, with a tone for its badge ("ok", "warn" or "bad")."""

    text: str
    tone: str
    days_left: int | None


def countdown(violation, today: datetime.date) -> Countdown | None:
    """Return the countdown to a violation's deadline on ``today`` (None: none runs).

    Only an open or fined violation with a deadline counts down; an Art. 17 refusal has
    no deadline and a rectified, closed or cancelled one no longer runs.
    """
    days = violation.days_left(today)
    if days is None:
        return None
    if days > 0:
        text = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
        return Countdown(text, "warn" if days <= 7 else "ok", days)
    if days == 0:
        return Countdown(gettext("last day today"), "warn", 0)
    late = -days
    text = ngettext("overdue by %(days)d day", "overdue by %(days)d days", late) % {"days": late}
    return Countdown(text, "bad", days)


def how_found(source_reference: str) -> str:
    """Say how a violation was found, never its internal reference (``visit-12``).

    Empty for a source a reader has no name for.
    """
    if source_reference.startswith("visit-"):
        return pgettext("how a violation was found", "at an on-site inspection")
    if source_reference.startswith("data-order:"):
        return pgettext("how a violation was found", "from an order to provide energy-use data")
    return ""
