"""Builders of compliance decisions for the status page and API tests."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from compliance.choices import EquipmentKind
from compliance.models import Equipment, Premises, RuleBookVersion
from compliance.rulebook.bridge import parameters_of
from compliance.rulebook.services import assessment
from compliance.rulebook.services import versions as rulebook_services
from tests.factories import make_equipment

TODAY = datetime.date(2026, 11, 23)
LATER = TODAY + datetime.timedelta(days=5)


def chiller_without_meter(premises: Premises, hp: str = "120") -> Equipment:
    """Add a chiller without a separate meter: Art. 5-3 is broken from 100 HP."""
    return make_equipment(
        premises, EquipmentKind.CHILLER, capacity_hp=Decimal(hp), has_separate_meter=False
    )


def publish_chiller_threshold(administrator, hp: str, effective_from: datetime.date):
    """Publish a version raising the Art. 5-3 chiller threshold from ``effective_from``."""
    draft = rulebook_services.create_draft(administrator)
    params = dataclasses.replace(parameters_of(draft), chiller_threshold_hp=Decimal(hp))
    draft = rulebook_services.update_draft(
        administrator,
        draft,
        params=params,
        title=f"Chiller threshold {hp} HP",
        effective_from=effective_from,
    )
    return rulebook_services.publish(administrator, draft)


def decided_then_changed(administrator, premises: Premises) -> RuleBookVersion:
    """Decide on ``premises`` today under 100 HP, then on LATER under a new 150 HP version.

    The 120 HP chiller breaks Art. 5-3 in the first decision; in the second the article
    no longer arises.
    """
    chiller_without_meter(premises)
    version = publish_chiller_threshold(administrator, "150", LATER)
    assessment.assess_premises([premises.pk], day=TODAY)
    assessment.assess_premises([premises.pk], day=LATER)
    return version
