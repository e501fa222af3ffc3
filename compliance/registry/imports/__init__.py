"""CSV import and export of the registry (equipment for now).

The public functions: :func:`validate_equipment_csv`, :func:`import_equipment_csv`,
:func:`export_equipment_csv`, :func:`equipment_template_csv`, and the staging of an
upload between its dry run and its confirmation in :mod:`compliance.registry.imports.batches`.
"""

from compliance.registry.imports.equipment import (
    COLUMNS,
    ImportReport,
    RowError,
    equipment_template_csv,
    export_equipment_csv,
    import_equipment_csv,
    iter_equipment_csv,
    validate_equipment_csv,
)
from compliance.registry.imports.reading import ImportFileError

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "equipment_template_csv",
    "export_equipment_csv",
    "import_equipment_csv",
    "iter_equipment_csv",
    "validate_equipment_csv",
]
