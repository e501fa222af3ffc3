"""The audit log: who changed what, when, why, with the values before and after."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import AuditAction


class AuditEntry(models.Model):
    """One attributable change of state (ordinance: every legal act is explainable).

    Written by services in the same transaction as the change. ``actor`` is empty for
    scheduled jobs, which name themselves in ``actor_label``.

    Entries form a hash chain (:mod:`portal.audit_chain`): written unsealed (``seq`` and
    the hashes empty), so writers never wait for each other, then sealed in order by one
    sealing step that gives each its position and a SHA-256 over its content and the
    previous entry's hash. A sealed entry changed, removed or slipped in breaks the chain.
    """

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # The account that acted stays named even after the account is removed: the entry is
    # sealed (its hash covers actor_id), so deleting a user must not rewrite it (no
    # SET_NULL, no constraint); a removed account reads as None through select_related.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    # Looked up together (a record's history): the composite index below serves both; an
    # index on each alone only slowed every write of the log, the largest table.
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The business the record belongs to, so a business can see its own history.
    business_id = models.BigIntegerField(_("business id"), null=True, blank=True, db_index=True)
    # The chain, filled in by the sealing step (empty: not sealed yet). With database
    # defaults, so that writers, set-based INSERTs in SQL included, need not know about it.
    seq = models.BigIntegerField(_("chain position"), null=True, blank=True)
    prev_hash = models.CharField(
        _("previous hash"), max_length=64, blank=True, default="", db_default=""
    )
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-timestamp"]),
            # The sealing step's work list: small, since entries are sealed every minute.
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed_idx"
            ),
        ]
        constraints = [
            # One entry per position (a last guard against two sealers); partial, so that
            # writing an entry (unsealed) costs no insertion into this index.
            models.UniqueConstraint(
                fields=["seq"], condition=models.Q(seq__isnull=False), name="audit_seq_unique"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    def readable_changes(self) -> list[tuple[str, object, object]]:
        """Return (field label, before, after) with choice values shown by their labels."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            model = None
        fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
        if model:
            fields.update({f.name: f for f in model._meta.many_to_many})
        rows = []
        for name, (before, after) in self.changes.items():
            field = fields.get(name)
            if field is None:
                rows.append((name, before, after))
                continue
            choices = dict(field.flatchoices) if field.choices else {}
            rows.append(
                (
                    str(field.verbose_name),
                    choices.get(before, before),
                    choices.get(after, after),
                )
            )
        return rows


class AuditChainVerification(models.Model):
    """The outcome of one verification of the audit chain (``verify_audit_chain``).

    Kept so the admin can raise the alarm on a broken chain, and so the next verification
    can tell that entries were cut from the end of the chain: it checks that the head
    verified here is still there, unchanged.
    """

    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)
    ok = models.BooleanField(_("chain intact"))
    entries_checked = models.BigIntegerField(_("entries checked"), default=0)
    broken_position = models.BigIntegerField(_("first broken position"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    head_seq = models.BigIntegerField(_("last position"), null=True, blank=True)
    head_hash = models.CharField(_("last hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain verification")
        verbose_name_plural = _("audit chain verifications")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'BROKEN'}"
