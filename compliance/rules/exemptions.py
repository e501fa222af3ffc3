"""Exemptions: the Art. 19 grace and individual grants, applied to findings.

Order: an article's own exemption (Art. 5-5 category, Art. 8-1 standby boiler) is
applied by the article's check; then an individual grant; then the Art. 19 grace. The
first that applies is named on the finding; a finding that complies needs none.

Art. 19 gives equipment that existed when the ordinance took effect six months to
rectify. It covers the articles about an item of equipment that could have existed
then: 5-1 (entrances), 5-3 (chiller meter and records), 6-3 (lamps), 7 (signboards)
and 8-2 (boiler records). Arts. 5-4 and 8-1 only reach equipment installed on or after
the effective date, which did not exist then; the others (5-2, 5-5, 6-1, 6-2, 9,
10-1) judge conduct measured at an inspection, not an item of equipment.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Protocol

from compliance.rules.facts import ExemptionGrant, Facts
from compliance.rules.params import RuleParameters
from compliance.rules.penalties import Overdue, offence_day
from compliance.rules.periods import grace_last_day
from compliance.rules.types import Exemption, Finding, Outcome

GRACE_ARTICLES = frozenset({"5-1", "5-3", "6-3", "7", "8-2"})


class Item(Protocol):
    """Any declared equipment item."""

    tag: str
    installed_on: date | None
    declared_on: date | None


def in_force(params: RuleParameters, on: date) -> bool:
    """Return whether the ordinance is in force on ``on`` (Art. 20)."""
    return on >= params.effective_date


def exists_on(item: Item, on: date) -> bool:
    """Return whether an item is installed on ``on`` (no installation date: assumed yes)."""
    return item.installed_on is None or item.installed_on <= on


def existed_on_effective_date(item: Item, effective_date: date) -> bool | None:
    """Return whether an item existed when the ordinance took effect (Art. 19).

    An item existed if it was installed before the effective date; without an
    installation date, if it was declared before it. None when neither tells.
    """
    if item.installed_on is not None:
        return item.installed_on < effective_date
    if item.declared_on is not None and item.declared_on < effective_date:
        return True
    return None


def in_grace(params: RuleParameters, on: date) -> bool:
    """Return whether ``on`` falls in the Art. 19 grace (effective date to its last day)."""
    last = grace_last_day(params.effective_date, params.grace_months)
    return params.effective_date <= on <= last


def exempt(finding: Finding, exemption: Exemption, detail: str, until: date | None) -> Finding:
    """Return the finding as compliant because of ``exemption``, keeping what was found."""
    return replace(
        finding,
        outcome=Outcome.COMPLIANT,
        exemption=exemption,
        exemption_detail=detail,
        exemption_until=until,
    )


def grant_last_day(grant: ExemptionGrant) -> date | None:
    """Return the last day a grant applies (None: no end): its end or the eve of revocation."""
    ends = []
    if grant.valid_until is not None:
        ends.append(grant.valid_until)
    if grant.revoked_on is not None:
        ends.append(grant.revoked_on - timedelta(days=1))
    return min(ends) if ends else None


def grant_applies(grant: ExemptionGrant, article: str, subject: str | None, on: date) -> bool:
    """Return whether a grant covers ``article`` for ``subject`` on ``on``.

    A grant for the whole premises (no equipment tag) covers every subject.
    """
    if grant.article != article:
        return False
    if grant.equipment_tag is not None and grant.equipment_tag != subject:
        return False
    last = grant_last_day(grant)
    return grant.valid_from <= on and (last is None or on <= last)


def covering_grant(grants: tuple[ExemptionGrant, ...], case: Overdue) -> ExemptionGrant | None:
    """Return the grant that excuses a missed deadline, or None: then it is fined.

    A grant excuses it if it was granted on or before the deadline (a grant decided
    later cannot undo an offence already committed) and applies to the violation's
    article and subject on the day of the offence (:func:`grant_applies`). A refused
    inspection (Art. 17) has no deadline, so no grant excuses it.
    """
    if case.deadline is None:
        return None
    on = offence_day(case)
    for grant in grants:
        if (
            grant.decided_on is not None
            and grant.decided_on <= case.deadline
            and grant_applies(grant, case.article, case.subject, on)
        ):
            return grant
    return None


def apply_grant(finding: Finding, grants: tuple[ExemptionGrant, ...], on: date) -> Finding:
    """Exempt a finding that does not comply if a grant covers it on ``on``."""
    if finding.outcome is Outcome.COMPLIANT or finding.exemption is not None:
        return finding
    for grant in grants:
        if grant_applies(grant, finding.article, finding.subject, on):
            detail = grant.reason if not grant.reference else f"{grant.reason} ({grant.reference})"
            return exempt(finding, Exemption.GRANT, detail, grant_last_day(grant))
    return finding


def apply_grace(finding: Finding, item: Item, params: RuleParameters, on: date) -> Finding:
    """Apply the Art. 19 grace to a finding about an item that does not comply.

    During the grace, an item that existed on the effective date counts as compliant
    (naming the grace and its last day). If whether it existed is not recorded, a
    non-compliant finding becomes UNKNOWN with the message key
    ``art19_grace.undetermined`` (``detail`` keeps the original key): the grace may
    apply, so the engine neither passes nor fails it.
    """
    if finding.outcome is Outcome.COMPLIANT or finding.exemption is not None:
        return finding
    if finding.article not in GRACE_ARTICLES or not in_grace(params, on):
        return finding
    existed = existed_on_effective_date(item, params.effective_date)
    if existed:
        last = grace_last_day(params.effective_date, params.grace_months)
        detail = f"existed before {params.effective_date.isoformat()}"
        return exempt(finding, Exemption.ART19_GRACE, detail, last)
    if existed is None and finding.outcome is Outcome.NON_COMPLIANT:
        return replace(
            finding,
            outcome=Outcome.UNKNOWN,
            message_key="art19_grace.undetermined",
            detail=finding.message_key,
        )
    return finding


def settle(
    finding: Finding, facts: Facts, params: RuleParameters, on: date, item: Item | None = None
) -> Finding:
    """Apply an individual grant, then (for an item) the Art. 19 grace."""
    finding = apply_grant(finding, facts.grants, on)
    if item is not None:
        finding = apply_grace(finding, item, params, on)
    return finding


def obligation_start(item: Item, params: RuleParameters) -> date | None:
    """Return the first day records are surely required for an item (Arts. 5-3, 8-2, 19).

    New equipment (installed on or after the effective date): its installation day.
    Equipment that existed on the effective date: the day after the Art. 19 grace.
    Without an installation date but declared on or after the effective date, the
    item may be either, so records are surely required only from the later of its
    declaration and the end of the grace. None when nothing tells.
    """
    effective = params.effective_date
    after_grace = grace_last_day(effective, params.grace_months) + timedelta(days=1)
    existed = existed_on_effective_date(item, effective)
    if existed:
        return after_grace
    if item.installed_on is not None:
        return item.installed_on
    if item.declared_on is not None:
        return max(item.declared_on, after_grace)
    return None
