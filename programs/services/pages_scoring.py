"""Save a scoring scheme with its weighted criteria, as the scheme page's form gives them.

The scheme itself goes through :func:`programs.services.records.save_record` (validated,
audited, new schemes unpublished); its criteria are changed here in the same
transaction and recorded on the scheme's audit entry (``criteria``: before → after).
A criterion that reviewers have already scored is kept: removing it would silently
drop their scores and change the ranking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import AuditAction
from portal.permissions import require
from programs.models import ScoringCriterion, ScoringScheme
from programs.services.records import save_record


@dataclass(frozen=True)
class CriterionChange:
    """One criterion as the form leaves it: ``instance`` None for a new one."""

    instance: ScoringCriterion | None
    code: str
    label: str
    weight: Decimal
    delete: bool = False


def _listing(scheme: ScoringScheme) -> list[str]:
    return [
        f"{c.code}: {c.label} ({c.weight.normalize():f})"
        for c in ScoringCriterion.objects.filter(scheme=scheme).order_by("id")
    ]


@transaction.atomic
def save_scoring_scheme(
    actor, scheme: ScoringScheme, proposals: Iterable, criteria: Iterable[CriterionChange]
) -> ScoringScheme:
    """Create or change ``scheme``, its proposals and its weighted criteria (staff only)."""
    require(actor, "programs.keep_records")
    criteria = list(criteria)
    if not any(not change.delete for change in criteria):
        raise ValidationError(_("A scoring scheme needs at least one weighted criterion."))
    before = _listing(scheme) if scheme.pk else []
    scheme = save_record(actor, scheme, m2m={"proposals": list(proposals)})
    for change in criteria:
        if change.delete:
            if change.instance is not None and change.instance.pk is not None:
                if change.instance.scores.exists():
                    raise ValidationError(
                        _("“%(criterion)s” has scores already and cannot be removed.")
                        % {"criterion": change.instance.label}
                    )
                change.instance.delete()
            continue
        criterion = change.instance or ScoringCriterion(scheme=scheme)
        criterion.scheme = scheme
        criterion.code, criterion.label, criterion.weight = change.code, change.label, change.weight
        criterion.full_clean()
        criterion.save()
    after = _listing(scheme)
    if after != before:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=scheme,
            changes={"criteria": [before, after]},
            reason=_("Weighted criteria of the scoring scheme."),
        )
    return scheme
