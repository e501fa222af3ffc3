"""PDFs of the portal: shared by the inspection report and the enforcement documents.

Each kind of document gathers its data into a plain dict (queries only), renders its own
template from the dict and lays it out with :mod:`.layout` (WeasyPrint, no ORM), whose
resources come only through :mod:`.fetch`. Both submodules import WeasyPrint, which
loads its libraries on import: import them only where PDFs are rendered. This module
stays light: the content hash printed on a document.
"""

from __future__ import annotations

import hashlib
import json


def canonical_json(data: dict) -> bytes:
    """Return ``data`` as canonical JSON bytes: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def content_hash(data: dict) -> str:
    """Return the sha256 (hex) of :func:`canonical_json` of ``data``."""
    return hashlib.sha256(canonical_json(data)).hexdigest()
