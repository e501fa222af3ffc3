"""Choices of the subsidies app, with translated labels.

The stored values are the engine's (:mod:`subsidies.rules`); the labels are the
interface's. The items and conditions a scheme names are engine codes kept in JSON
fields, so their labels are mappings rather than TextChoices.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from subsidies.rules.types import Condition, Item, SchemeCategory
from subsidies.rules.workflow import State


class SchemeCategoryChoice(models.TextChoices):
    """The five Art. 14 categories (values of :class:`subsidies.rules.SchemeCategory`)."""

    EXCELLENT_PERFORMANCE = (
        SchemeCategory.EXCELLENT_PERFORMANCE,
        _("Excellent energy-saving performance"),
    )
    PROMOTING_PRODUCTS = SchemeCategory.PROMOTING_PRODUCTS, _("Promoting energy-saving products")
    USING_PRODUCTS = SchemeCategory.USING_PRODUCTS, _("Using energy-saving products")
    INSTALLING_RENEWABLE = SchemeCategory.INSTALLING_RENEWABLE, _("Installing renewable energy")
    RENEWABLE_EQUIPMENT = (
        SchemeCategory.RENEWABLE_EQUIPMENT,
        _("Developing or making renewable-energy equipment"),
    )


class ApplicationStatus(models.TextChoices):
    """The states of :mod:`subsidies.rules.workflow`."""

    DRAFT = State.DRAFT, _("Draft")
    SUBMITTED = State.SUBMITTED, pgettext_lazy("status", "Submitted")
    UNDER_REVIEW = State.UNDER_REVIEW, _("Under review")
    MORE_INFORMATION_REQUESTED = State.MORE_INFORMATION_REQUESTED, _("More information requested")
    RESUBMITTED = State.RESUBMITTED, _("Resubmitted")
    APPROVED = State.APPROVED, _("Approved")
    REJECTED = State.REJECTED, _("Rejected")
    INSTALLATION_VERIFIED = State.INSTALLATION_VERIFIED, _("Installation verified")
    DISBURSED = State.DISBURSED, _("Disbursed")
    WITHDRAWN = State.WITHDRAWN, pgettext_lazy("status", "Withdrawn")


class ServiceRequestStatus(models.TextChoices):
    """The states of :mod:`subsidies.rules.service_lifecycle`."""

    REQUESTED = "requested", pgettext_lazy("status", "Requested")
    ASSIGNED = "assigned", _("Team assigned")
    CONSULTED = "consulted", _("Consulted")
    CLOSED = "closed", pgettext_lazy("status", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("status", "Withdrawn")


ITEM_LABELS = {
    Item.LAMP_REPLACEMENT: _("Replacing incandescent lamps"),
    Item.HIGH_EER_AC: _("High-EER air conditioners"),
    Item.AIR_CURTAIN: _("Air curtains or automatic doors"),
    Item.BOILER_UPGRADE: _("Boiler upgrade to natural gas"),
    Item.ENERGY_MANAGEMENT_SYSTEM: _("Energy management system"),
    Item.RENEWABLE_ENERGY: _("Renewable energy"),
}


CONDITION_LABELS = {
    Condition.NO_UNPAID_FINE: _("No unpaid fine"),
    Condition.NO_OVERDUE_VIOLATION: _("No violation past its rectification deadline"),
    Condition.REGISTERED_PREMISES: _("The premises is in the energy-use register"),
}


def condition_label(code: str) -> str:
    """Return the translated label of a condition code (the code itself if unknown)."""
    return str(CONDITION_LABELS.get(code, code))


def item_label(code: str) -> str:
    """Return the translated label of an item code (the code itself if unknown)."""
    return str(ITEM_LABELS.get(code, code))


# Kinds of documents a scheme may require: typed by the officer as codes, one per line;
# the usual ones read in each language, any other as typed.
DOCUMENT_LABELS = {
    "quotation": _("Quotation"),
    "equipment_specification": _("Equipment specification"),
    "energy_audit_report": _("Energy audit report"),
    "invoice": _("Invoice"),
    "contract": _("Contract"),
    "photos": _("Photos before and after"),
    "completion_report": _("Completion report"),
}


def document_label(code: str) -> str:
    """Return the translated name of a kind of document (the code as typed if unknown)."""
    return str(DOCUMENT_LABELS.get(code, code))


def listed(labels) -> str:
    """Join labels as the active language lists them: 、 in Chinese, commas in English."""
    from django.utils.translation import get_language

    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(str(label) for label in labels)


def _codes(codes) -> list[str]:
    if isinstance(codes, str):
        return [code.strip() for code in codes.split(",") if code.strip()]
    return sorted(codes)


def item_list(codes) -> str:
    """Return the items ``codes`` (an iterable or a "a, b" string) by name, listed."""
    return listed(item_label(code) for code in _codes(codes))


def document_list(codes) -> str:
    """Return the documents ``codes`` (an iterable or a "a, b" string) by name, listed."""
    return listed(document_label(code) for code in _codes(codes))
