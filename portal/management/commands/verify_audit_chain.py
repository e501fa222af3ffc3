"""``manage.py verify_audit_chain``: seal what is waiting, then check the whole audit chain.

Exits 0 when every sealed entry holds; otherwise prints which position broke first and how,
and exits 1 (for cron, monitoring, and the check after a restore). The outcome is stored,
so the admin's audit log shows a broken chain as an alarm.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal import audit_chain


class Command(BaseCommand):
    help = "Seal unsealed audit entries, then verify the hash chain of the audit log."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Verify only what is sealed (e.g. on a read-only copy).",
        )
        parser.add_argument(
            "--no-store",
            action="store_true",
            help="Do not store the outcome (the admin's alarm keeps the previous one).",
        )

    def handle(self, *args, no_seal: bool = False, no_store: bool = False, **options):
        outcome = audit_chain.verify(seal_first=not no_seal, store=not no_store)
        if not outcome.ok:
            raise CommandError(
                f"Audit chain BROKEN at position {outcome.broken_position} "
                f"({outcome.entries_checked} entries verified before it): {outcome.message}"
            )
        self.stdout.write(
            f"Audit chain intact: {outcome.entries_checked} entries, "
            f"last position {outcome.head_seq or 0}."
        )
