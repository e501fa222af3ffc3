"""Art. 12: a supplier's file of monthly use checked or imported in one request (the API).

The pages keep an uploaded file on the server between its dry run and its confirmation
(``stage_energy_use_import`` / ``commit_energy_use_import``). An API client sends the file
again for the real import instead, so here a file is checked, or checked and imported, in
one call. The checks and the all-or-nothing import are the page's own
(:mod:`compliance.imports.energy_use`); this module adds the upload record, its audit
entry, and keeps the supplier's unconfirmed page upload untouched.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from compliance.imports.energy_use import (
    EnergyUseReport,
    import_energy_use_csv,
    validate_energy_use_csv,
)
from compliance.imports.equipment import RowError
from compliance.imports.reading import ImportFileError, read_csv_text
from compliance.models.energy_use import EnergyUseBatch
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
