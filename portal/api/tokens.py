"""Issue and revoke API tokens: audited state changes of a user's credentials."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from portal import audit
from portal.choices import AuditAction
from portal.models import ApiToken

AUDITED_TOKEN_FIELDS = ("name", "prefix", "expires_at", "revoked_at")


@transaction.atomic
def issue_token(user, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``, audited; return it and the raw key (shown only once)."""
    token, raw = ApiToken.generate(user, name=name, expires_at=expires_at)
    audit.record(
        actor=user,
        action=AuditAction.TOKEN_CREATED,
        instance=token,
        changes=audit.diff({}, audit.snapshot(token, AUDITED_TOKEN_FIELDS)),
    )
    return token, raw


@transaction.atomic
def revoke_token(actor, token: ApiToken) -> ApiToken:
    """Revoke a token from now on, audited; revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        before = audit.snapshot(token, AUDITED_TOKEN_FIELDS)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditAction.TOKEN_REVOKED,
            instance=token,
            changes=audit.diff(before, audit.snapshot(token, AUDITED_TOKEN_FIELDS)),
        )
    return token
