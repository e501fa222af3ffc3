"""Write the beat schedule's new entries into the database (existing rows kept as changed)."""

from django.core.management.base import BaseCommand

from portal import beat


class Command(BaseCommand):
    help = (
        "Create a periodic task for each CELERY_BEAT_SCHEDULE entry that has none yet; rows "
        "that exist (possibly changed by an administrator) are left as they are."
    )

    def handle(self, *args, **options) -> None:
        created = beat.sync_new_entries()  # each one audited
        self.stdout.write(f"periodic tasks created: {len(created)}")
        for name in created:
            self.stdout.write(f"  {name}")
