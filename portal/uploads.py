"""Files people upload as evidence (photos, scans, PDFs): judged by content, not name.

A file is accepted only when its first bytes are those of a JPEG, PNG or PDF and it is
within the size limit; it is stored under a name made from its hash, never the name it
came with (which is kept for display only).
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: its bytes, type by content, hash, and the name it came with."""

    data: bytes
    content_type: str
    sha256: str
    original_name: str

    @property
    def stored_name(self) -> str:
        return f"{self.sha256[:32]}{mimetypes.guess_extension(self.content_type) or ''}"

    def as_file(self) -> ContentFile:
        return ContentFile(self.data, name=self.stored_name)


def check_upload(upload, *, field: str = "files", max_bytes: int | None = None) -> CheckedUpload:
    """Return the upload if it is a JPEG, PNG or PDF within the limit; else ValidationError."""
    limit = max_bytes or settings.EVIDENCE_FILE_MAX_BYTES
    name = getattr(upload, "name", "") or ""
    if upload.size > limit:
        raise ValidationError(
            {
                field: _("%(name)s is larger than %(limit)d MB.")
                % {"name": name, "limit": limit // 2**20}
            }
        )
    data = upload.read()
    for content_type, signatures in SIGNATURES.items():
        if any(data.startswith(signature) for signature in signatures):
            return CheckedUpload(data, content_type, hashlib.sha256(data).hexdigest(), name[:200])
    raise ValidationError({field: _("%(name)s is not a JPEG, PNG or PDF file.") % {"name": name}})
