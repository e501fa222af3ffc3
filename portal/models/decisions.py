"""The abstract decision: who decided, when, and (for most) why.

Several apps record a person's decision on a row in the same way: an administrator
approves or refuses a business claim or an exemption, confirms a reported payment,
decides an appeal, targets or closes a supplier referral; a programme officer decides
a subsidy application or a criterion assessment. The fields are declared here once;
each model keeps its own columns, related names ("+") and labels, so inheriting adds
no migration. A model whose reason reads differently redeclares ``decision_reason``
with its own label only. Services record a decision with :meth:`Decided.record_decision`
(who, when and, for a :class:`Decision`, why) and save the fields it returns.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Decided(models.Model):
    """Abstract: who took the decision on this row and when (empty while undecided)."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        abstract = True

    def record_decision(self, actor, *, at: datetime.datetime | None = None) -> list[str]:
        """Record that ``actor`` decided this row ``at`` (now); return the fields to save."""
        self.decided_by = actor
        self.decided_at = at or timezone.now()
        return ["decided_by", "decided_at"]

    def clear_decision(self) -> list[str]:
        """Record that nobody has decided this row (yet); return the fields to save."""
        self.decided_by = None
        self.decided_at = None
        return ["decided_by", "decided_at"]


class Decision(Decided):
    """Abstract: a decision with the reason given for it (who, when and why)."""

    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        abstract = True

    def record_decision(
        self, actor, reason: str | None = None, *, at: datetime.datetime | None = None
    ) -> list[str]:
        """Record who decided this row, when (``at``, default now) and why (``reason``).

        Returns the fields to save; without a reason the stored one is left as it is.
        """
        fields = super().record_decision(actor, at=at)
        if reason is None:
            return fields
        self.decision_reason = reason
        return [*fields, "decision_reason"]
