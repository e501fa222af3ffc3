"""Art. 14 schemes configured by administrators in the portal: terms, reviewers, audited.

The scheme's own validation (:meth:`subsidies.models.Scheme.clean`, the eligibility
engine's terms) decides what may be saved. ``committed_ntd`` is never written here:
only approvals, verifications and published prizes change it. The scheme row is locked
while it is saved, so a budget cut and a concurrent approval cannot together leave
more committed than budgeted (the approval's conditional UPDATE waits for the lock
and then sees the new budget; the check constraint stays the last guard).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import AuditAction
from portal.permissions import can, require
from subsidies.models import Scheme


def _reviewer_ids(reviewers: Iterable) -> list[int]:
    return sorted({user.pk for user in reviewers})


@transaction.atomic
def save_scheme(actor, scheme: Scheme, reviewers: Iterable | None = None) -> Scheme:
    """Create or change a scheme (administrators); ``reviewers`` score a reward call."""
    require(actor, "subsidies.edit_scheme")
    reviewers = list(reviewers or [])
    if scheme.pk is None:
        before, before_reviewers = {}, []
        scheme.committed_ntd = 0
    else:
        locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
        before = audit.snapshot(locked)
        before_reviewers = _reviewer_ids(locked.reviewers.all())
        scheme.committed_ntd = locked.committed_ntd
    scheme.full_clean()
    errors = []
    if reviewers and not scheme.is_reward_call:
        errors.append(_("Only reward calls have reviewers."))
    if any(not can(user, "subsidies.review") for user in reviewers):
        errors.append(_("Reviewers are programme officers or administrators."))
    if errors:
        raise ValidationError({"reviewers": errors})
    scheme.save()
    scheme.reviewers.set(reviewers)
    changes = audit.diff(before, audit.snapshot(scheme))
    if _reviewer_ids(reviewers) != before_reviewers:
        changes["reviewers"] = [before_reviewers, _reviewer_ids(reviewers)]
    if changes or not before:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=scheme,
            changes=changes,
        )
    return scheme
