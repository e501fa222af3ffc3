"""Time officials approving proposed fines in bulk on a scratch set (figures, not a test).

The scratch proposals are made as the night makes them: ``benchmark_sweep``'s scratch
city (violations by one ``INSERT ... SELECT generate_series``, ``--proposals`` of them
verified as not rectified, their fine due, the others still running) and the sweep's
set-based statements proposing a fine for each verified one. Then, on that data:

* **one official, one filtered list**: the ids of the proposals the official may decide
  (:func:`~compliance.enforcement.services.proposals.decidable_by`) narrowed as the
  officials' page narrows them (proposed on the day, first fines), then
  :func:`~compliance.enforcement.services.proposals.approve_many`; the id query and the
  approval are timed together, against a bare baseline in the same minute: the same rows
  written by the approval's statement run once over all the ids without the checks or
  the locks (:func:`bare_writes`), and the fines' UPDATE alone, each rolled back;
* **two officials at the same moment**, after the approvals are undone: two threads,
  each on its own connection, each approving the same ids; every decision must be
  issued exactly once (one number, one approval audit entry, one event, one outbox row).

The follow-ups stay in the outbox (nothing wakes their delivery: ``benchmark_follow_ups``
times those). Everything seeded is deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, transaction
from django.utils import timezone

from compliance.enforcement.services import proposals, sweep
from compliance.management.commands import benchmark_sweep
from compliance.models import Violation
from portal import outbox
from portal.choices import AuditAction

TARGET_SECONDS = 30.0
TARGET_PROPOSALS = 100_000
MARKER = "benchmark-approvals"

# The bare baseline: the approval's own statement (``proposals._APPROVE``, so it writes
# the same rows: the fine's decision, the violation's new state, its event, the outbox
# row, the audit entry) with its choice of rows made plain: every id given, without the
# permission and state checks or the locks, and run once over all the ids, not by chunk.
_PLAIN_PICK = """picked AS MATERIALIZED (
    SELECT f.id, f.violation_id, f.step, f.amount_ntd, v.status AS from_status,
           t.to_status, p.business_id,
           %(prefix)s || lpad(f.id::text, greatest(7, length(f.id::text)), '0') AS number
    FROM compliance_fine f
    JOIN compliance_violation v ON v.id = f.violation_id
    JOIN targets t ON t.from_status = v.status
    LEFT JOIN compliance_premises p ON p.id = v.premises_id
    WHERE f.id = ANY(%(ids)s::bigint[])
),"""


def bare_writes() -> str:
    """Return :data:`proposals._APPROVE` with :data:`_PLAIN_PICK` for its ``picked``."""
    statement = proposals._APPROVE
    start, end = statement.find("picked AS MATERIALIZED ("), statement.find("\nissued AS (")
    if start < 0 or end < start:  # pragma: no cover - the approval's statement changed shape
        raise CommandError("proposals._APPROVE no longer has the 'picked' and 'issued' steps.")
    return statement[:start] + _PLAIN_PICK + statement[end:]


# The plainest yardstick: the fines' UPDATE alone, to issued with a number.
_BARE_UPDATE = """
UPDATE compliance_fine
   SET status = 'issued',
       document_number = %(prefix)s || lpad(id::text, greatest(7, length(id::text)), '0'),
       issued_on = %(day)s, decided_by_id = %(user)s, decided_at = %(now)s
 WHERE id = ANY(%(ids)s::bigint[])
"""

# What the scratch decisions wrote, as counts: issued fines, those with exactly one
# approval audit entry, one approval event and one outbox row, distinct numbers, and
# the totals of approval audit entries, events and outbox rows.
_WRITTEN = """
WITH fines AS MATERIALIZED (
    SELECT f.id, f.violation_id, f.status, f.document_number
    FROM compliance_fine f JOIN compliance_violation v ON v.id = f.violation_id
    WHERE v.premises_id = ANY(%(premises)s)
),
audits AS (
    SELECT a.object_id, count(*) AS n FROM portal_auditentry a
    WHERE a.object_type = %(object_type)s AND a.action = %(action)s
      AND a.object_id IN (SELECT id::text FROM fines)
    GROUP BY a.object_id
),
events AS (
    SELECT e.violation_id, count(*) AS n FROM compliance_violationevent e
    WHERE e.violation_id IN (SELECT violation_id FROM fines) AND e.from_status <> e.to_status
    GROUP BY e.violation_id
),
messages AS (
    SELECT (o.payload->>'fine')::bigint AS id, count(*) AS n FROM portal_outboxmessage o
    WHERE o.topic = %(topic)s
    GROUP BY 1
)
SELECT count(*) FILTER (WHERE f.status = 'issued'),
       count(*) FILTER (WHERE f.status = 'issued' AND a.n = 1 AND e.n = 1 AND m.n = 1),
       count(DISTINCT f.document_number),
       coalesce(sum(a.n), 0), coalesce(sum(e.n), 0), coalesce(sum(m.n), 0)
FROM fines f
LEFT JOIN audits a ON a.object_id = f.id::text
LEFT JOIN events e ON e.violation_id = f.violation_id
LEFT JOIN messages m ON m.id = f.id
"""

# Undo the approvals of the scratch proposals: their follow-ups, audit entries and
# events, the violations' state, then the decisions themselves.
_UNDO = [
    """DELETE FROM portal_outboxmessage o USING compliance_fine f
       JOIN compliance_violation v ON v.id = f.violation_id
       WHERE v.premises_id = ANY(%(premises)s) AND o.topic = %(topic)s
         AND (o.payload->>'fine')::bigint = f.id""",
    """DELETE FROM portal_auditentry a USING compliance_fine f
       JOIN compliance_violation v ON v.id = f.violation_id
       WHERE v.premises_id = ANY(%(premises)s) AND a.object_type = %(object_type)s
         AND a.action = %(action)s AND a.object_id = f.id::text""",
    """DELETE FROM compliance_violationevent e USING compliance_violation v
       WHERE v.id = e.violation_id AND v.premises_id = ANY(%(premises)s)
         AND e.from_status <> e.to_status""",
    """UPDATE compliance_violation SET status = 'open'
       WHERE premises_id = ANY(%(premises)s) AND status = 'fined'""",
    """UPDATE compliance_fine f
          SET status = 'proposed', document_number = NULL, issued_on = NULL,
              decided_by_id = NULL, decided_at = NULL
         FROM compliance_violation v
        WHERE v.id = f.violation_id AND v.premises_id = ANY(%(premises)s)
          AND f.status = 'issued'""",
]

# The tables an approval writes: vacuumed after a rolled-back baseline or an undo, so
# the timed run meets settled tables, as after the night's autovacuum.
_VACUUM = (
    "VACUUM ANALYZE compliance_fine",
    "VACUUM ANALYZE compliance_violation",
    "VACUUM ANALYZE compliance_violationevent",
    "VACUUM ANALYZE portal_outboxmessage",
    "VACUUM ANALYZE portal_auditentry",
)


@contextlib.contextmanager
def follow_ups_left_in_outbox() -> Iterator[None]:
    """Approve without waking the follow-ups' delivery (their rows are written all the same).

    ``approve_many`` wakes delivery once a batch commits; with no broker configured that
    would render every decision in this process. The benchmarks time the decisions, and
    ``benchmark_follow_ups`` wakes the delivery itself once its workers run.
    """
    wake = outbox.wake
    outbox.wake = lambda *args, **kwargs: None
    try:
        yield
    finally:
        outbox.wake = wake


def make_official(label: str):
    """Create an administrator with the authority to decide fines (``decide_fine``)."""
    from django.contrib.auth.models import Permission

    from portal.choices import Role
    from portal.models import User

    user = User.objects.create(
        username=f"{MARKER}-{label}-{uuid.uuid4().hex[:8]}",
        role=Role.ADMINISTRATOR,
        display_name=f"效能測試{label}",
        job_title="科長",
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    user.user_permissions.add(
        Permission.objects.get(codename="decide_fine", content_type__app_label="compliance")
    )
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def filtered_ids(official, day) -> list[int]:
    """The ids of one filtered list of the officials' page: the day's first fines."""
    return list(
        proposals.decidable_by(official)
        .filter(proposed_on__gte=day, proposed_on__lte=day, step=1)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class Scratch:
    """Seed, undo and delete the scratch proposals (``benchmark_sweep``'s scratch city)."""

    def __init__(self, stdout) -> None:
        self.city = benchmark_sweep.Command(stdout=stdout)
        self.data: dict | None = None
        self.officials: list[int] = []

    def seed(self, day, count: int, premises: int, *, total: int, chunk: int) -> None:
        """Create ``total`` violations, ``count`` of them due for a fine, the others still
        running, and have the sweep propose the ``count`` fines."""
        if Violation.objects.exists():
            raise CommandError(
                "This database already holds violations: run the benchmark against a "
                "scratch database (createdb, then manage.py migrate)."
            )
        self.data = self.city.create_scratch(day, total, count, 0, premises)
        run = sweep.sweep(day, chunk=chunk, deliver=False)
        self.data["runs"].append(run.pk)
        if run.fines_issued != count:
            raise CommandError(f"The sweep proposed {run.fines_issued} fines, not {count}.")
        vacuum()

    def params(self) -> dict:
        return {
            "premises": self.data["premises"],
            "topic": proposals.FINE_TOPIC,
            "object_type": "compliance.fine",
            "action": AuditAction.APPROVE.value,
        }

    def written(self) -> dict[str, int]:
        """Count what the decisions wrote (see :data:`_WRITTEN`)."""
        with connection.cursor() as cursor:
            cursor.execute(_WRITTEN, self.params())
            row = cursor.fetchone()
        names = ("issued", "exactly once", "numbers", "audit entries", "events", "outbox rows")
        return dict(zip(names, (int(value) for value in row), strict=True))

    def undo_approvals(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in _UNDO:
                cursor.execute(statement, self.params())
        vacuum()

    def delete(self) -> None:
        from portal.models import User

        if self.data is not None:
            self.city.delete_scratch(self.data)
        User.objects.filter(pk__in=self.officials).delete()


def vacuum() -> None:
    with connection.cursor() as cursor:
        for statement in _VACUUM:
            cursor.execute(statement)


class Command(BaseCommand):
    help = (
        "Seed --proposals proposed fines (the sweep benchmark's scratch city, proposed by "
        "the sweep), then time one official approving all of them from one filtered list "
        "(the id query and approve_many) against a bare baseline in the same minute (the "
        "same rows by one plain statement, rolled back), print seconds, decisions/s and "
        "the ratio; then have two officials approve the same ids at the same moment and "
        "check that each decision was issued exactly once. Deletes the scratch data "
        "(unless --keep). PostgreSQL only; refuses a database that holds violations. "
        "The issue's target: 100,000 in 30 s."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--proposals",
            type=int,
            default=TARGET_PROPOSALS,
            help="Proposals to approve (default 100,000, the issue's target).",
        )
        parser.add_argument(
            "--violations",
            type=int,
            default=None,
            help=(
                "Open violations in the scratch city, --proposals of them with a proposal, "
                "the others still running (default: as many as --proposals)."
            ),
        )
        parser.add_argument(
            "--premises", type=int, default=1000, help="Premises they belong to (default 1,000)."
        )
        parser.add_argument(
            "--chunk",
            type=int,
            default=proposals.CHUNK,
            help=f"Approvals per transaction (default {proposals.CHUNK:,}, approve_many's).",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the scratch data and the officials (default: delete them).",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "benchmark_approvals measures the set-based approval and needs PostgreSQL: "
                "set DATABASE_URL=postgres://... to a scratch database."
            )
        count, premises, chunk = options["proposals"], options["premises"], options["chunk"]
        total = options["violations"] or count
        if min(count, premises, chunk) < 1 or total < count:
            raise CommandError(
                "Need --proposals, --premises and --chunk of at least 1, and --violations "
                "no fewer than --proposals."
            )
        day = timezone.localdate()
        scratch = Scratch(self.stdout)
        try:
            started = time.perf_counter()
            scratch.seed(day, count, premises, total=total, chunk=sweep.chunk_size())
            seeded = time.perf_counter() - started
            self.stdout.write(
                f"scratch data: {count:,} proposals (proposed by the sweep) among {total:,} "
                f"open violations at {premises:,} premises, in {seeded:.1f} s"
            )
            self.stdout.write(f"seed seconds: {seeded:.1f}")
            self.stdout.write(f"violations: {total}")
            self.stdout.write(f"proposals: {count}")
            self.stdout.write(f"chunk: {chunk}")
            first, second = make_official("一"), make_official("二")
            scratch.officials += [first.pk, second.pk]
            self.one_official(scratch, first, day, count, chunk)
            scratch.undo_approvals()
            self.two_officials(scratch, (first, second), day, count, chunk)
        finally:
            if options["keep"]:
                self.stdout.write("scratch data kept (--keep).")
            else:
                started = time.perf_counter()
                scratch.delete()
                self.stdout.write(f"scratch data deleted in {time.perf_counter() - started:.1f} s")

    def one_official(self, scratch: Scratch, official, day, count: int, chunk: int) -> None:
        """Time the baselines (rolled back), then the official's approval of the list."""
        ids = filtered_ids(official, day)
        if len(ids) != count:
            raise CommandError(f"The filtered list shows {len(ids)} proposals, not {count}.")
        bare_update = self.bare(_BARE_UPDATE, official, ids, day)
        baseline = self.bare(bare_writes(), official, ids, day)
        vacuum()
        with follow_ups_left_in_outbox():
            started = time.perf_counter()
            ids = filtered_ids(official, day)
            listed = time.perf_counter()
            done = proposals.approve_many(official, ids, chunk=chunk)
            finished = time.perf_counter()
        seconds = finished - started
        rate = done.approved / seconds if seconds else 0.0
        self.stdout.write("one official approves one filtered list:")
        self.stdout.write(f"bare update seconds: {bare_update:.2f}")
        self.stdout.write(f"baseline seconds: {baseline:.2f}")
        self.stdout.write(f"id query seconds: {listed - started:.2f}")
        self.stdout.write(f"approve seconds: {finished - listed:.2f}")
        self.stdout.write(f"seconds: {seconds:.2f}")
        self.stdout.write(f"decisions approved: {done.approved}")
        self.stdout.write(f"decisions/s: {rate:.0f}")
        if baseline:
            self.stdout.write(f"ratio to baseline: {seconds / baseline:.2f}")
        if bare_update:
            self.stdout.write(f"ratio to bare update: {seconds / bare_update:.2f}")
        projected = TARGET_PROPOSALS / rate if rate else float("inf")
        verdict = "<=" if projected <= TARGET_SECONDS else ">"
        self.stdout.write(
            f"target (idle machine): {TARGET_PROPOSALS:,} in {projected:.1f} s at this rate "
            f"{verdict} {TARGET_SECONDS:.0f} s"
        )
        self.check_exactly_once(scratch, count, done.approved, prefix="")

    def two_officials(self, scratch: Scratch, officials, day, count: int, chunk: int) -> None:
        """Two officials approve the same list at the same moment, each on a connection."""
        start = threading.Barrier(len(officials))
        results: list = [None] * len(officials)
        errors: list[BaseException] = []

        def approve(index: int, official) -> None:
            try:
                # Both read the same list first (as two officials with the page open would);
                # read after the barrier, the later one could miss what the other had approved.
                ids = filtered_ids(official, day)
                start.wait()
                results[index] = proposals.approve_many(official, ids, chunk=chunk)
            except BaseException as error:  # raised below, in the command's thread
                errors.append(error)
                start.abort()
            finally:
                connections.close_all()  # this thread's own connection

        threads = [
            threading.Thread(target=approve, args=(index, official), name=f"official-{index}")
            for index, official in enumerate(officials)
        ]
        with follow_ups_left_in_outbox():
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
        if errors:
            raise errors[0]
        first, second = results
        self.stdout.write("two officials approve the same list at the same moment:")
        self.stdout.write(f"concurrent seconds: {seconds:.2f}")
        self.stdout.write(f"first official approved: {first.approved}")
        self.stdout.write(f"second official approved: {second.approved}")
        self.stdout.write(f"left to the other official: {first.skipped + second.skipped}")
        self.check_exactly_once(
            scratch, count, first.approved + second.approved, prefix="concurrent "
        )

    def check_exactly_once(self, scratch: Scratch, count: int, approved: int, *, prefix: str):
        """Print what the decisions wrote; fail unless each was issued exactly once."""
        written = scratch.written()
        for name, value in written.items():
            self.stdout.write(f"{prefix}{name}: {value}")
        expected = dict.fromkeys(written, count)
        if approved != count or written != expected:
            raise CommandError(
                f"Expected {count} decisions, each issued exactly once; approved {approved}, "
                f"wrote {written}."
            )

    def bare(self, statement: str, official, ids: list[int], day) -> float:
        """Time ``statement`` over ``ids`` in a transaction of its own, rolled back."""
        params = {
            "decidable": json.dumps(proposals.DECIDABLE),
            "ids": ids,
            "prefix": proposals.number_prefix(day),
            "day": day,
            "now": timezone.now(),
            "user": official.pk,
            "label": official.get_username(),
            # The approval's own event reason (positions for step, amount, number).
            "template": proposals._reason_template(official),
            "topic": proposals.FINE_TOPIC,
            "action": AuditAction.APPROVE.value,
            "object_type": "compliance.fine",
        }
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(statement, params)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds
