"""Time the follow-ups of approved decisions on real Celery workers (figures, not a test).

Seeds --decisions proposals (``benchmark_approvals``' scratch proposals: the sweep
benchmark's scratch city, proposed by the sweep), gives each scratch business a member
with an e-mail address, and has an official approve them all with ``approve_many``:
each decision comes with its outbox row. Then it starts two real Celery workers (prefork,
one process each, both on the follow-ups' queues "celery" and "reports", as the compose
``worker`` runs them with two processes) against this database and the configured Redis,
wakes the delivery as a commit does, sends what beat sends every minute, and waits until
every decision's PDF is READY and every decision's e-mail has been sent (its outbox row
delivered). It prints the seconds, PDFs/min, e-mails/min and the time 10,000 decisions
would take at the same rate (a projection). The workers write the PDFs into a temporary
media directory and send e-mails to the locmem backend (kept in memory, not sent).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from celery.exceptions import AlwaysEagerIgnored
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from compliance.choices import DocumentKind
from compliance.enforcement.services import proposals, sweep
from compliance.management.commands.benchmark_approvals import (
    Scratch,
    filtered_ids,
    follow_ups_left_in_outbox,
    make_official,
)
from compliance.models import BusinessMembership, EnforcementDocument
from portal import outbox
from portal.celery import app as celery_app
from portal.choices import RenderStatus, Role
from portal.models import User

ROOT = Path(settings.BASE_DIR)
PROJECTED_DECISIONS = 10_000
TARGET_MINUTES = 45.0
# The follow-ups' queues and what beat sends to them every minute (portal/settings.py).
QUEUES = "celery,reports"
BEAT_ENTRIES = ("portal-deliver-outbox", "portal-deliver-outbox-reports")
BEAT_SECONDS = 60.0
POLL_SECONDS = 0.5

# What the scratch decisions' follow-ups did: decisions, PDFs READY and FAILED, e-mails
# sent (the decisions' outbox rows delivered).
_PROGRESS = """
WITH fines AS MATERIALIZED (
    SELECT f.id FROM compliance_fine f JOIN compliance_violation v ON v.id = f.violation_id
    WHERE v.premises_id = ANY(%(premises)s) AND f.status = 'issued'
)
SELECT (SELECT count(*) FROM fines),
       (SELECT count(*) FILTER (WHERE d.status = %(ready)s) FROM compliance_enforcementdocument d
         WHERE d.kind = %(kind)s AND d.fine_id IN (SELECT id FROM fines)),
       (SELECT count(*) FILTER (WHERE d.status = %(failed)s)
          FROM compliance_enforcementdocument d
         WHERE d.kind = %(kind)s AND d.fine_id IN (SELECT id FROM fines)),
       (SELECT count(*) FROM portal_outboxmessage o
         WHERE o.topic = %(topic)s AND o.delivered_at IS NOT NULL
           AND (o.payload->>'fine')::bigint IN (SELECT id FROM fines))
"""

# The documents of the scratch decisions and what their rendering wrote, deleted before
# the scratch city itself.
_DOCUMENTS = [
    """DELETE FROM portal_outboxmessage o USING compliance_enforcementdocument d
       JOIN compliance_violation v ON v.id = d.violation_id
       WHERE v.premises_id = ANY(%(premises)s) AND o.topic = %(render_topic)s
         AND (o.payload->>%(render_key)s)::bigint = d.id""",
    """DELETE FROM portal_auditentry a USING compliance_enforcementdocument d
       JOIN compliance_violation v ON v.id = d.violation_id
       WHERE v.premises_id = ANY(%(premises)s) AND a.object_type = %(object_type)s
         AND a.object_id = d.id::text""",
    """DELETE FROM compliance_enforcementdocument d USING compliance_violation v
       WHERE v.id = d.violation_id AND v.premises_id = ANY(%(premises)s)""",
]


def database_url() -> str:
    """Return a DATABASE_URL naming this process's database (a test's ``test_…`` too)."""
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


@contextmanager
def workers(names: list[str], *, media: Path, logs: Path, email_backend: str):
    """Run one ``celery -A portal worker`` (prefork, one process) per name on the
    follow-ups' queues, each in a session of its own (stopping it ends its child too).

    Yields the processes once every worker answers a ping.
    """
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_EMAIL_BACKEND": email_backend,
    }
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name in names:
            command = [
                sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork",
                "--concurrency=1", f"--queues={QUEUES}", f"--hostname={name}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel=WARNING",
            ]  # fmt: skip
            with (logs / f"{name}.log").open("wb") as output:
                processes[name] = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=environment,
                    stdout=output,
                    stderr=output,
                    start_new_session=True,
                )
        deadline = time.monotonic() + 120
        for name, process in processes.items():
            node = f"{name}@{socket.gethostname()}"
            while not celery_app.control.ping(destination=[node], timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (logs / f"{name}.log").read_text()[-3000:]
                    raise CommandError(f"The worker {name} did not start:\n{log}")
        yield list(processes.values())
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def wake(entries=BEAT_ENTRIES) -> None:
    """Send the beat schedule's delivery entries now, with their arguments and queues."""
    with warnings.catch_warnings():
        # Sent to the real broker whatever the eager setting (a test's): that is the point.
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        for name in entries:
            entry = settings.CELERY_BEAT_SCHEDULE[name]
            options = entry.get("options", {})
            celery_app.send_task(entry["task"], args=entry.get("args", []), **options)


def queued(queue: str) -> int:
    """How many task messages wait in ``queue`` (none when Redis holds no such list)."""
    with celery_app.connection_for_write() as conn:
        try:
            return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
        except conn.channel_errors:
            return 0


class Command(BaseCommand):
    help = (
        "Seed --decisions approved penalty decisions with their outbox rows (approved with "
        "approve_many), start two real Celery workers on the follow-ups' queues against "
        "this database and Redis, wake the delivery and wait until every decision PDF is "
        "READY and every e-mail sent; print seconds, PDFs/min, e-mails/min and the "
        "projected time for 10,000. PostgreSQL and Redis only; refuses a database that "
        "holds violations. Run it against a scratch database and a Redis database of its "
        "own: its workers take whatever waits on the 'celery' and 'reports' queues."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--decisions", type=int, default=200, help="Approved decisions (default 200)."
        )
        parser.add_argument(
            "--premises",
            type=int,
            default=None,
            help="Premises, ten a business (default: one a decision, at most 1,000).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=3600.0,
            help="Give up after this many seconds of delivery (default 3,600).",
        )
        parser.add_argument(
            "--email-backend",
            default="django.core.mail.backends.locmem.EmailBackend",
            help="The workers' e-mail backend (default: locmem, nothing leaves the machine).",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the scratch data, the documents and their files (default: delete them).",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError(
                "benchmark_follow_ups starts real Celery workers: it needs PostgreSQL "
                "(DATABASE_URL) and Redis (REDIS_URL), both scratch ones."
            )
        count = options["decisions"]
        premises = options["premises"] or min(count, 1000)
        if min(count, premises) < 1:
            raise CommandError("Need --decisions and --premises of at least 1.")
        day = timezone.localdate()
        scratch = Scratch(self.stdout)
        media = Path(tempfile.mkdtemp(prefix="benchmark-follow-ups-"))
        members: list[int] = []
        try:
            started = time.perf_counter()
            scratch.seed(day, count, premises, total=count, chunk=sweep.chunk_size())
            members = self.give_members(scratch.data["businesses"])
            official = make_official("一")
            scratch.officials.append(official.pk)
            with follow_ups_left_in_outbox():
                done = proposals.approve_many(official, filtered_ids(official, day))
            if done.approved != count:
                raise CommandError(f"{done.approved} decisions approved, not {count}.")
            self.stdout.write(
                f"scratch data: {count:,} approved decisions at {premises:,} premises, one "
                f"e-mail recipient a business, in {time.perf_counter() - started:.1f} s"
            )
            self.stdout.write(f"decisions: {count}")
            self.measure(scratch, count, media, options)
        finally:
            if options["keep"]:
                self.stdout.write(f"scratch data kept (--keep); PDFs in {media}")
            else:
                started = time.perf_counter()
                self.delete(scratch, members)
                shutil.rmtree(media, ignore_errors=True)
                self.stdout.write(f"scratch data deleted in {time.perf_counter() - started:.1f} s")

    def give_members(self, businesses: list[int]) -> list[int]:
        """Give each scratch business one member with an e-mail address; return their ids."""
        marker = uuid.uuid4().hex[:8]
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(
                    username=f"benchmark-member-{marker}-{index}",
                    email=f"benchmark-member-{marker}-{index}@example.test",
                    role=Role.BUSINESS,
                    display_name=f"效能測試聯絡人{index}",
                    password="!",  # unusable (never signs in), like set_unusable_password()
                )
                for index in range(len(businesses))
            )
            BusinessMembership.objects.bulk_create(
                BusinessMembership(user=user, business_id=business)
                for user, business in zip(users, businesses, strict=True)
            )
        return [user.pk for user in users]

    def measure(self, scratch: Scratch, count: int, media: Path, options: dict) -> None:
        """Start two workers, wake the delivery, wait until every follow-up is done."""
        logs = Path(tempfile.mkdtemp(prefix="benchmark-follow-ups-logs-"))
        tag = uuid.uuid4().hex[:8]
        names = [f"follow-ups-{index}-{tag}" for index in (1, 2)]
        with workers(
            names, media=media, logs=logs, email_backend=options["email_backend"]
        ) as processes:
            self.stdout.write(
                f"workers: 2 (prefork, one process each, queues {QUEUES}); logs in {logs}"
            )
            started = time.perf_counter()
            wake()  # as the approval's commit and beat do
            woken = started
            mailed = rendered = None
            # Poll less often for more decisions: the progress query's cost grows with them,
            # and run every half second on 10,000 it took half a core from the workers.
            poll = max(POLL_SECONDS, count / 2000)
            while rendered is None or mailed is None:
                time.sleep(poll)
                now = time.perf_counter()
                issued, ready, failed, sent = self.progress(scratch)
                if failed:
                    raise CommandError(f"{failed} decision PDF(s) FAILED: see {logs}")
                if any(process.poll() is not None for process in processes):
                    raise CommandError(f"A worker stopped: see {logs}")
                if mailed is None and sent == issued:
                    mailed = now - started
                if rendered is None and ready == issued:
                    rendered = now - started
                if now - started > options["timeout"]:
                    raise CommandError(
                        f"After {options['timeout']:.0f} s: {ready} of {issued} PDFs READY, "
                        f"{sent} e-mails sent."
                    )
                if now - woken >= BEAT_SECONDS:  # what beat sends every minute
                    wake()
                    woken = now
            seconds = time.perf_counter() - started
            self.drain()
        shutil.rmtree(logs, ignore_errors=True)
        self.report(count, seconds, rendered, mailed)

    def progress(self, scratch: Scratch) -> tuple[int, int, int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                _PROGRESS,
                {
                    "premises": scratch.data["premises"],
                    "ready": RenderStatus.READY.value,
                    "failed": RenderStatus.FAILED.value,
                    "kind": DocumentKind.PENALTY_DECISION.value,
                    "topic": proposals.FINE_TOPIC,
                },
            )
            return cursor.fetchone()

    def drain(self, seconds: float = 60.0) -> None:
        """Let the workers take the wake-ups still queued (each finds nothing to do)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not any(queued(queue) for queue in QUEUES.split(",")):
                return
            time.sleep(POLL_SECONDS)

    def report(self, count: int, seconds: float, rendered: float, mailed: float) -> None:
        projected = seconds / count * PROJECTED_DECISIONS / 60
        verdict = "<=" if projected <= TARGET_MINUTES else ">"
        self.stdout.write(f"seconds: {seconds:.1f}")
        self.stdout.write(f"pdf seconds: {rendered:.1f}")
        self.stdout.write(f"e-mail seconds: {mailed:.1f}")
        self.stdout.write(f"pdfs/min: {count / rendered * 60:.1f}")
        self.stdout.write(f"e-mails/min: {count / mailed * 60:.1f}")
        self.stdout.write(f"projected minutes for 10,000: {projected:.1f}")
        # The e-mails' queue is delivered in batches (outbox.deliver's limit); a run that
        # leaves a backlog queues the next one at once (portal.tasks.deliver_outbox).
        batch = outbox.deliver.__kwdefaults__["limit"]
        self.stdout.write(f"e-mails per delivery run: {batch}")
        self.stdout.write(
            f"projection (same rate, two workers): {PROJECTED_DECISIONS:,} decisions in "
            f"{projected:.1f} min {verdict} {TARGET_MINUTES:.0f} min"
        )

    def delete(self, scratch: Scratch, members: list[int]) -> None:
        if scratch.data is not None:
            params = {
                "premises": scratch.data["premises"],
                "render_topic": EnforcementDocument.render_topic,
                "render_key": EnforcementDocument.render_key,
                "object_type": EnforcementDocument._meta.label_lower,
            }
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in _DOCUMENTS:
                    cursor.execute(statement, params)
        # The members (and their memberships) before the businesses they belong to.
        User.objects.filter(pk__in=members).delete()
        scratch.delete()
