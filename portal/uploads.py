"""Files people upload as evidence (photos, scans, PDFs): judged by content, not name.

A file is accepted only when its first bytes are those of a JPEG, PNG or PDF and it is
within the size limit. What is kept is never the upload as it came:

- an image is decoded by Pillow and encoded again from its pixels only, as inspection
  photos are (``inspections/photos.py``), so a PNG that is also an HTML page, a script
  or a ZIP keeps nothing but its picture (and no EXIF position either);
- a PDF is parsed with pypdf and refused when it carries what a reader would run or
  unpack: JavaScript, an opening action, launch actions, additional actions, embedded
  files, rich media or XFA forms. A refused PDF is not rewritten: a sanitised copy could
  silently drop what the sender meant to show, so the sender is told to print it to PDF
  again.

It is stored under a name made from its hash and served (``download_name``) under a name
whose extension comes from the checked type, never the name it came with (which is kept
for display only).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
# The only types a stored upload is served as, with the extension its name gets.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
# Pillow's format for each accepted image type, and how it is encoded again.
IMAGE_FORMATS = {
    "image/jpeg": ("JPEG", {"quality": 90, "optimize": True}),
    "image/png": ("PNG", {"optimize": True}),
}
# 40 megapixels, as for inspection photos: more than any scanner page at 600 dpi.
MAX_PIXELS = 40_000_000
# PDF names that make a reader run, launch or unpack something.
PDF_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
    }
)
# The raw scan skips stream bodies (compressed bytes would match by chance) and opening
# actions (a plain destination is harmless; the object walk judges them).
_RAW_ACTIVE_NAME = re.compile(
    rb"/(JavaScript|JS|AA|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>\[\]()%]|$)"
)
_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: its bytes (re-encoded if an image), checked type, hash, name."""

    data: bytes
    content_type: str
    sha256: str
    original_name: str

    @property
    def stored_name(self) -> str:
        return f"{self.sha256[:32]}.{EXTENSIONS[self.content_type]}"

    def as_file(self) -> ContentFile:
        return ContentFile(self.data, name=self.stored_name)


def check_upload(upload, *, field: str = "files", max_bytes: int | None = None) -> CheckedUpload:
    """Return the upload made safe (see the module) if it is a JPEG, PNG or PDF within the
    limit; else a ValidationError on ``field`` that names the file and says why."""
    limit = max_bytes or settings.EVIDENCE_FILE_MAX_BYTES
    name = (getattr(upload, "name", "") or "")[:200]
    if upload.size > limit:
        raise ValidationError(
            {
                field: _("%(name)s is larger than %(limit)d MB.")
                % {"name": name, "limit": limit // 2**20}
            }
        )
    data = upload.read(limit + 1)
    content_type = next(
        (
            kind
            for kind, signatures in SIGNATURES.items()
            if any(data.startswith(signature) for signature in signatures)
        ),
        None,
    )
    if content_type is None:
        raise ValidationError(
            {field: _("%(name)s is not a JPEG, PNG or PDF file.") % {"name": name}}
        )
    if content_type in IMAGE_FORMATS:
        data = _reencoded_image(data, content_type, name, field)
    else:
        _refuse_active_pdf(data, name, field)
    return CheckedUpload(data, content_type, hashlib.sha256(data).hexdigest(), name)


def pixels_only(image, image_format: str):
    """Return a new image holding nothing but the (upright) pixels of ``image``.

    Evidence files here and inspection photos (inspections/photos.py) are re-encoded from
    this, so a file that is also a page or carries metadata keeps only its picture.
    """
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image_format == "JPEG":
        mode = "L" if image.mode in ("L", "1", "I;16") else "RGB"
    elif image.mode == "L" and not has_alpha:
        mode = "L"
    else:
        mode = "RGBA" if has_alpha else "RGB"
    converted = image.convert(mode) if image.mode != mode else image
    # frombytes builds an image with an empty ``info``: no EXIF, XMP, ICC or comments.
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _reencoded_image(data: bytes, content_type: str, name: str, field: str) -> bytes:
    """Return the picture of ``data`` encoded anew from its pixels alone."""
    from PIL import Image

    image_format, options = IMAGE_FORMATS[content_type]
    damaged = ValidationError(
        {field: _("%(name)s is a damaged or incomplete image.") % {"name": name}}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[image_format])
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise ValidationError(
                    {
                        field: _(
                            "%(name)s is %(width)s × %(height)s pixels; at most %(limit)s "
                            "megapixels are accepted."
                        )
                        % {
                            "name": name,
                            "width": width,
                            "height": height,
                            "limit": MAX_PIXELS // 1_000_000,
                        }
                    }
                )
            image.load()
            clean = pixels_only(image, image_format)
        except ValidationError:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ValidationError(
                {field: _("%(name)s is too large to be decoded safely.") % {"name": name}}
            ) from exc
        except Exception as exc:  # Pillow raises many kinds of errors for a damaged file
            raise damaged from exc
    output = io.BytesIO()
    clean.save(output, format=image_format, **options)
    return output.getvalue()


def _refuse_active_pdf(data: bytes, name: str, field: str) -> None:
    """Refuse a PDF pypdf cannot read or one that carries active content."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    active = ValidationError(
        {
            field: _(
                "%(name)s contains scripts, automatic actions or embedded files, which are "
                "not accepted. Print it to PDF again (or scan it) and upload that copy."
            )
            % {"name": name}
        },
        code="pdf_active_content",
    )
    raw = _NAME_ESCAPE.sub(
        lambda match: bytes([int(match.group(1), 16)]), _STREAM_BODY.sub(b"stream", data)
    )
    if _RAW_ACTIVE_NAME.search(raw):
        raise active
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ValidationError(
                    {
                        field: _("%(name)s is encrypted; upload a copy without a password.")
                        % {"name": name}
                    }
                )
            found = _active_names(reader.trailer)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        logger.info("refused an unreadable PDF upload: %s", exc)
        raise ValidationError(
            {field: _("%(name)s is a damaged PDF file.") % {"name": name}}
        ) from exc
    if found:
        raise active


def _active_names(root) -> set[str]:
    """Return the active names found in every object reachable from ``root``.

    Objects inside compressed object streams are read too (pypdf resolves them), which
    the raw scan above cannot see. An opening action that is only a destination (the page
    to show first, as office suites write) is not active.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack and len(seen) < 200_000:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key == "/OpenAction" and isinstance(value.get_object(), ArrayObject):
                    pass  # a destination (which page to show first), not an action
                elif key in PDF_ACTIVE_NAMES:
                    found.add(str(key))
                if key == "/S" and isinstance(value, NameObject) and value in PDF_ACTIVE_NAMES:
                    found.add(str(value))
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def download_name(original_name: str, content_type: str, fallback: str) -> str:
    """Return the name a stored upload is served under: the uploader's name without its
    extension (letters, digits, spaces, dashes), then the extension of the
    checked type; ``fallback`` when nothing of the name is left."""
    stem = unicodedata.normalize("NFC", original_name or "").rsplit(".", 1)[0]
    stem = re.sub(r"[^\w\s-]", "", stem).strip(" -_")[:80] or fallback
    return f"{stem}.{EXTENSIONS.get(content_type, 'bin')}"


def served_type(content_type: str) -> str:
    """Return the type a stored upload is served as: its checked type, or opaque bytes."""
    return content_type if content_type in EXTENSIONS else "application/octet-stream"


def stored_type(stored_name: str) -> str:
    """Return the checked type of a file stored by :meth:`CheckedUpload.stored_name`.

    The stored name's extension was chosen from the checked type, never from the
    uploader's name, so it says what the content is (opaque bytes for anything else).
    """
    extension = (stored_name or "").rsplit(".", 1)[-1].lower()
    return next(
        (kind for kind, known in EXTENSIONS.items() if known == extension),
        "application/octet-stream",
    )


def attachment_response(item, fallback: str):
    """Serve an uploaded file as an attachment; 404 when there is none or its file is gone.

    Its name keeps the uploader's words but takes the extension of the type checked on
    upload (``evil.html`` that is a PNG downloads as ``evil.png``), and the browser is told
    not to guess another type, so a file can never open as a page of the portal.
    ``item`` has ``file``, ``original_name``, ``content_type`` and ``pk``.
    """
    if item is None or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(item.original_name, item.content_type, f"{fallback}-{item.pk}"),
        content_type=served_type(item.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
