"""The audit chain: entries sealed in order, each hash covering the previous one.

Why sealing is a separate step: writers (a page, the sweep's set-based INSERT, two
officials approving at once, an import's bulk insert) write entries *unsealed* and never
wait for each other. One sealer at a time (a PostgreSQL advisory lock; SQLite serialises
writers by itself) takes the committed unsealed entries in id order and gives each its
position (``seq``), the previous entry's hash and its own hash: SHA-256 over a canonical
JSON of every content column and the previous hash. Chaining at insert time instead would
need the previous entry's hash inside every writer's transaction, i.e. one global insert
lock held until commit: every audited change in the city would queue behind the slowest.

Verification walks the chain in position order and names the first position that does not
hold: an entry changed after sealing (its hash), removed (a missing position) or slipped in
(positions renumbered, a previous hash that does not match). Each verification stores its
result with the head it reached, so the next one also sees entries cut from the end, or a
chain rewritten wholesale, which a chain alone cannot show.
"""

# ruff: noqa: S608 (the table name is the model's; every value is a query parameter)
from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import AuditChainVerification, AuditEntry

# Every content column, hashed in this order. A new column of AuditEntry must be added here
# (tests/portal/test_audit_chain.py fails until it is): the hash covers all of them.
HASHED_FIELDS = (
    "id",
    "seq",
    "prev_hash",
    "timestamp",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "reason",
    "business_id",
)
GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key of the sealer ("auditseal" in ASCII, fits a bigint).
SEAL_LOCK_KEY = 0x61756469747365
SEAL_BATCH = 5000
VERIFY_CHUNK = 5000


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, datetime.date | decimal.Decimal):
        return str(value)
    return value


def entry_hash(values: dict[str, Any]) -> str:
    """Return the hash of an entry: SHA-256 of the canonical JSON of its hashed fields."""
    content = {name: _plain(values[name]) for name in HASHED_FIELDS}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock(wait: bool) -> bool:
    """Take the sealer's lock for this transaction; False if ``wait`` is off and it is held."""
    if connection.vendor != "postgresql":
        return True  # SQLite (the demo) lets one writer at a time: the write serialises
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _write(updates: list[tuple[int, int, str, str]]) -> None:
    """Store (id, seq, prev_hash, hash) of unsealed entries; one statement on PostgreSQL."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(updates))
            cursor.execute(
                f"UPDATE {table} AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "
                f"FROM (VALUES {values}) AS v(id, seq, prev_hash, hash) "
                "WHERE a.id = v.id AND a.seq IS NULL",
                [value for row in updates for value in row],
            )
            written = cursor.rowcount
        else:
            written = 0
            for entry_id, seq, prev_hash, digest in updates:
                cursor.execute(
                    f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s "
                    "WHERE id = %s AND seq IS NULL",
                    [seq, prev_hash, digest, entry_id],
                )
                written += cursor.rowcount
    if written != len(updates):
        # Only the sealer writes these columns, under its lock: anything else is tampering.
        raise RuntimeError(f"sealed {written} audit entries of {len(updates)}")


def seal(*, wait: bool = True, batch: int = SEAL_BATCH) -> int:
    """Seal every committed unsealed entry, in id order; return how many were sealed.

    ``wait=False`` (the periodic task) returns 0 at once when another sealer holds the lock:
    that one will seal what is there. Each batch is its own transaction, so a long backlog
    (the first run after an upgrade) never holds the lock for long.
    """
    total = 0
    while True:
        with transaction.atomic():
            if not _lock(wait):
                return total
            head = (
                AuditEntry.objects.filter(seq__isnull=False)
                .order_by("-seq")
                .values("seq", "hash")
                .first()
            )
            rows = list(
                AuditEntry.objects.filter(seq__isnull=True)
                .order_by("id")
                .values(*HASHED_FIELDS)[:batch]
            )
            if not rows:
                return total
            seq, previous = (head["seq"], head["hash"]) if head else (0, GENESIS_HASH)
            updates = []
            for row in rows:
                seq += 1
                row["seq"] = seq
                row["prev_hash"] = previous
                previous = entry_hash(row)
                updates.append((row["id"], seq, row["prev_hash"], previous))
            _write(updates)
        total += len(rows)
        if len(rows) < batch:
            return total


@dataclass(frozen=True)
class Outcome:
    """What one verification found."""

    ok: bool
    entries_checked: int
    broken_position: int | None
    message: str
    head_seq: int | None
    head_hash: str


def _broken(position: int, checked: int, message: str) -> Outcome:
    return Outcome(False, checked, position, message, None, "")


def _when(verification: AuditChainVerification) -> str:
    return f"{timezone.localtime(verification.checked_at):%Y-%m-%d %H:%M}"


def _walk() -> Outcome:
    expected, previous, checked = 1, GENESIS_HASH, 0
    rows = (
        AuditEntry.objects.filter(seq__isnull=False)
        .order_by("seq")
        .values(*HASHED_FIELDS, "hash")
        .iterator(chunk_size=VERIFY_CHUNK)
    )
    for row in rows:
        seq = row["seq"]
        if seq != expected:
            return _broken(
                expected,
                checked,
                _(
                    "Position %(position)d is missing: the chain goes from position "
                    "%(before)d to %(after)d (an entry was deleted or renumbered)."
                )
                % {"position": expected, "before": expected - 1, "after": seq},
            )
        if row["prev_hash"] != previous:
            return _broken(
                seq,
                checked,
                _(
                    "The entry at position %(position)d (id %(id)d) does not follow the "
                    "entry before it (an entry was inserted, removed or changed there)."
                )
                % {"position": seq, "id": row["id"]},
            )
        if entry_hash(row) != row["hash"]:
            return _broken(
                seq,
                checked,
                _("The entry at position %(position)d (id %(id)d) was changed after it was sealed.")
                % {"position": seq, "id": row["id"]},
            )
        previous = row["hash"]
        expected += 1
        checked += 1
    head_seq = expected - 1
    last = (
        AuditChainVerification.objects.filter(ok=True, head_seq__isnull=False)
        .order_by("-head_seq")
        .first()
    )
    if last is not None and last.head_seq > head_seq:
        return _broken(
            head_seq + 1,
            checked,
            _(
                "The chain ends at position %(end)d, but position %(verified)d was verified "
                "on %(when)s: entries were removed from its end."
            )
            % {"end": head_seq, "verified": last.head_seq, "when": _when(last)},
        )
    if last is not None:
        earlier = (
            AuditEntry.objects.filter(seq=last.head_seq).values_list("hash", flat=True).first()
        )
        if earlier != last.head_hash:
            return _broken(
                last.head_seq,
                checked,
                _(
                    "The entry at position %(position)d no longer has the hash verified on "
                    "%(when)s: the chain was rewritten up to there."
                )
                % {"position": last.head_seq, "when": _when(last)},
            )
    return Outcome(True, checked, None, "", head_seq or None, previous if head_seq else "")


def verify(*, seal_first: bool = True, store: bool = True) -> Outcome:
    """Check the whole chain; store the outcome (the admin's alarm reads the latest).

    Sealing first means every entry committed before the call is checked.
    """
    if seal_first:
        seal()
    outcome = _walk()
    if store:
        AuditChainVerification.objects.create(
            ok=outcome.ok,
            entries_checked=outcome.entries_checked,
            broken_position=outcome.broken_position,
            message=outcome.message,
            head_seq=outcome.head_seq,
            head_hash=outcome.head_hash,
        )
    return outcome


def latest_verification() -> AuditChainVerification | None:
    """The most recent verification, or None if the chain was never verified."""
    return AuditChainVerification.objects.order_by("-checked_at", "-id").first()
