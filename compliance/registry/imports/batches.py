"""Keep an uploaded file on the server from the dry run to the confirmed import."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from compliance.models import ImportBatch
from compliance.registry.imports.equipment import ImportReport, import_equipment_csv
from compliance.registry.imports.reading import read_csv_text
from compliance.registry.models.imports import IMPORT_BATCH_TTL


@transaction.atomic
def stage_equipment_import(user, file, filename: str = "") -> ImportBatch:
    """Store an uploaded equipment file for ``user`` and return its batch.

    Raise :class:`~compliance.registry.imports.reading.ImportFileError` if the file cannot be read
    (too large, not UTF-8). The user's earlier unconfirmed uploads are discarded, and so
    are everyone's expired ones.
    """
    text = read_csv_text(file)
    ImportBatch.objects.filter(user=user, committed_at__isnull=True).delete()
    ImportBatch.objects.filter(
        committed_at__isnull=True, created_at__lt=timezone.now() - IMPORT_BATCH_TTL
    ).delete()
    return ImportBatch.objects.create(user=user, filename=filename[:255], content=text)


@transaction.atomic
def commit_equipment_import(user, batch_id: uuid.UUID) -> tuple[ImportBatch, ImportReport]:
    """Import a staged file for good: all its rows or none.

    Raise ``ImportBatch.DoesNotExist`` unless the batch is ``user``'s, unexpired and not
    yet imported (a second confirmation therefore imports nothing twice).
    """
    batch = ImportBatch.objects.pending_for(user).select_for_update().get(pk=batch_id)
    report = import_equipment_csv(batch.content, user, dry_run=False, filename=batch.filename)
    if report.committed:
        batch.committed_at = timezone.now()
        batch.created_count = report.created
        batch.updated_count = report.updated
        batch.save(update_fields=["committed_at", "created_count", "updated_count"])
    return batch, report
