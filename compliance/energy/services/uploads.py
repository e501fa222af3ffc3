"""Art. 12: a supplier's file of monthly use, checked and imported all or nothing.

The pages keep an uploaded file on the server between its dry run and its confirmation
(``stage_energy_use_import`` / ``commit_energy_use_import``); an API client sends the file
again for the real import instead, so there a file is checked, or checked and imported, in
one call (``check_upload`` / ``import_upload``). The checks are
:mod:`compliance.energy.imports`'s; the import here also fulfils the Art. 12-2 data orders
the file completes, in the same transaction, and writes the upload's audit entry.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from compliance.energy.imports import (
    EnergyUseReport,
    apply_import,
    plan_import,
    validate_energy_use_csv,
)
from compliance.energy.models.energy_use import ENERGY_USE_BATCH_TTL, EnergyUseBatch
from compliance.energy.services import data_orders
from compliance.registry.imports.equipment import RowError
from compliance.registry.imports.reading import ImportFileError, read_csv_text
from portal import audit
from portal.choices import AuditAction, Role


def _require_supplier(user) -> None:
    if not (user is not None and user.is_authenticated and user.role == Role.ENERGY_SUPPLIER):
        raise PermissionDenied


def check_upload(supplier, file) -> EnergyUseReport:
    """Return what importing ``file`` would do, or every bad row; save nothing."""
    _require_supplier(supplier)
    return validate_energy_use_csv(file, supplier)


def import_upload(
    supplier, file, filename: str = ""
) -> tuple[EnergyUseBatch | None, EnergyUseReport]:
    """Import ``file`` for ``supplier``: every row or, if any is bad, none.

    Return the committed upload and the report, or ``None`` and the report listing every
    bad row; then nothing is kept, not even the upload record.
    """
    _require_supplier(supplier)
    try:
        text = read_csv_text(file)
    except ImportFileError as exc:
        return None, EnergyUseReport(errors=[RowError(exc.line, "", exc.message)])
    with transaction.atomic():
        batch = EnergyUseBatch.objects.create(
            supplier=supplier, filename=filename[:255], content=text
        )
        report = import_energy_use_csv(text, supplier, batch=batch)
        if not report.committed:
            transaction.set_rollback(True)
            return None, report
        batch.committed_at = timezone.now()
        batch.row_count = len(report.rows)
        batch.save(update_fields=["committed_at", "row_count"])
        audit.record(
            actor=supplier,
            action=AuditAction.IMPORT,
            instance=batch,
            changes={
                "created": [None, report.created],
                "updated": [None, report.updated],
                "new_accounts": [None, report.new_accounts],
            },
            reason=gettext("Monthly energy use imported through the API"),
        )
    return batch, report


def import_energy_use_csv(file, supplier, *, batch: EnergyUseBatch | None = None):
    """Import a supplier's CSV file: all rows or, if any is bad, none."""
    try:
        text = read_csv_text(file)
    except ImportFileError as exc:
        return EnergyUseReport(errors=[RowError(exc.line, "", exc.message)])
    try:
        with transaction.atomic():
            report, accounts = plan_import(text, supplier, lock=True)
            if report.ok:
                apply_import(report, accounts, supplier, batch)
                # Art. 12-2: orders the upload completes are fulfilled with it.
                data_orders.fulfil_from_upload(supplier)
    except IntegrityError:
        message = _(
            "Another upload of the same accounts was saved at the same time; nothing was "
            "imported. Please try again."
        )
        return EnergyUseReport(errors=[RowError(None, "", message)])
    return report


@transaction.atomic
def stage_energy_use_import(supplier, file, filename: str = "") -> EnergyUseBatch:
    """Store an uploaded file for ``supplier`` and return its batch (raise ImportFileError)."""
    text = read_csv_text(file)
    EnergyUseBatch.objects.filter(supplier=supplier, committed_at__isnull=True).delete()
    EnergyUseBatch.objects.filter(
        committed_at__isnull=True, created_at__lt=timezone.now() - ENERGY_USE_BATCH_TTL
    ).delete()
    return EnergyUseBatch.objects.create(supplier=supplier, filename=filename[:255], content=text)


@transaction.atomic
def commit_energy_use_import(supplier, batch_id: uuid.UUID):
    """Import a staged file for good; raise ``EnergyUseBatch.DoesNotExist`` unless pending."""
    batch = EnergyUseBatch.objects.pending_for(supplier).select_for_update().get(pk=batch_id)
    report = import_energy_use_csv(batch.content, supplier, batch=batch)
    if report.committed:
        batch.committed_at = timezone.now()
        batch.row_count = len(report.rows)
        batch.save(update_fields=["committed_at", "row_count"])
    return batch, report
