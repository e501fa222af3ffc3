"""Time one delivery run of the e-mail queue over real SMTP (figures, not a test).

Seeds --decisions approved penalty decisions (``benchmark_approvals``' scratch city, one
member with an e-mail address a business), so each decision has its outbox row on the
"celery" queue, then delivers up to 500 of them in this process as one worker's
``deliver_outbox`` run does, with Django's SMTP backend talking to a local SMTP server
(:mod:`._smtp_sink`) whose greeting can be delayed (``--connect-delay-ms``) like a relay
across the network. It prints the seconds, the SMTP connections opened and the messages
received, and deletes what it made.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from compliance.enforcement.services import proposals, sweep
from compliance.management.commands._smtp_sink import SmtpSink
from compliance.management.commands.benchmark_approvals import (
    Scratch,
    filtered_ids,
    follow_ups_left_in_outbox,
    make_official,
)
from compliance.management.commands.benchmark_follow_ups import Command as FollowUps
from compliance.models import OffenderFigure
from portal import outbox
from portal.models import OutboxMessage

BATCH = 500


class Command(BaseCommand):
    help = (
        "Seed --decisions approved decisions and deliver their e-mail follow-ups (500 a run, "
        "as deliver_outbox does) over SMTP to a local server; print seconds a run, SMTP "
        "connections and messages. PostgreSQL only; run it against a scratch database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--decisions", type=int, default=500)
        parser.add_argument(
            "--connect-delay-ms",
            type=float,
            default=0.0,
            help="Delay of the SMTP server's greeting on each new connection (default 0).",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_outbox_delivery needs PostgreSQL (DATABASE_URL).")
        count = options["decisions"]
        day = timezone.localdate()
        scratch = Scratch(self.stdout)
        follow_ups = FollowUps(stdout=self.stdout)
        members: list[int] = []
        try:
            scratch.seed(day, count, min(count, 1000), total=count, chunk=sweep.chunk_size())
            members = follow_ups.give_members(scratch.data["businesses"])
            official = make_official("一")
            scratch.officials.append(official.pk)
            with follow_ups_left_in_outbox():
                done = proposals.approve_many(official, filtered_ids(official, day))
            if done.approved != count:
                raise CommandError(f"{done.approved} decisions approved, not {count}.")
            self.measure(count, options["connect_delay_ms"] / 1000)
        finally:
            if scratch.data is not None:  # the dashboard's figures of the scratch businesses
                OffenderFigure.objects.filter(business_id__in=scratch.data["businesses"]).delete()
            FollowUps.delete(follow_ups, scratch, members)

    def measure(self, count: int, delay: float) -> None:
        runs = []
        with (
            SmtpSink(connect_delay=delay) as sink,
            override_settings(**sink.settings()),
            follow_ups_left_in_outbox(),  # the PDFs they request wait (another queue)
        ):
            while True:
                started = time.perf_counter()
                delivered = outbox.deliver(outbox.DEFAULT_QUEUE, limit=BATCH)
                if not delivered:
                    break
                runs.append((delivered, time.perf_counter() - started))
        sent = OutboxMessage.objects.filter(
            topic=proposals.FINE_TOPIC, delivered_at__isnull=False
        ).count()
        self.stdout.write(f"decisions: {count}")
        self.stdout.write(f"smtp connect delay ms: {delay * 1000:.0f}")
        for index, (delivered, seconds) in enumerate(runs, 1):
            self.stdout.write(f"run {index}: {delivered} delivered in {seconds:.2f} s")
        first = runs[0] if runs else (0, 0.0)
        self.stdout.write(f"seconds per {BATCH}: {first[1] / first[0] * BATCH:.2f}")
        self.stdout.write(f"smtp connections: {sink.counts['connections']}")
        self.stdout.write(f"smtp messages: {sink.counts['messages']}")
        self.stdout.write(f"decision e-mails delivered: {sent}")
