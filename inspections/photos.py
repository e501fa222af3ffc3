"""Evidence photos: accept real images only, and keep nothing but their pixels.

An upload is judged by its content, never by its name or the type the browser claims:
Pillow must recognise it as JPEG, PNG or WebP, verify it, and decode it within a pixel
limit (a small file that decodes to a huge image is a decompression bomb). The pixels
are then encoded again into a new file, so EXIF (GPS position, camera serial), XMP,
ICC profiles and comments are left behind; the camera's orientation is applied first
so that the photo still stands the right way up.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from portal.uploads import MAX_PIXELS, pixels_only

# Pillow's format name -> (content type, file extension, encoder options).
FORMATS: dict[str, tuple[str, str, dict]] = {
    "JPEG": ("image/jpeg", "jpg", {"quality": 88, "optimize": True}),
    "PNG": ("image/png", "png", {"optimize": True}),
    "WEBP": ("image/webp", "webp", {"quality": 88, "method": 4}),
}
# 40 megapixels: more than any tablet camera; far less than a bomb's billions.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
ACCEPT = ",".join(content_type for content_type, _ext, _opts in FORMATS.values())


@dataclass(frozen=True)
class CleanImage:
    """An image re-encoded from its pixels only, ready to be stored under a random name."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str

    @property
    def size_bytes(self) -> int:
        return len(self.content)

    def random_name(self) -> str:
        """Return a file name that says nothing about the photo: a random hex and the type."""
        return f"{uuid.uuid4().hex}.{self.extension}"


def max_photo_bytes() -> int:
    """Return the largest upload accepted, in bytes (settings.INSPECTION_PHOTO_MAX_BYTES)."""
    return getattr(settings, "INSPECTION_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)


def _not_an_image() -> ValidationError:
    return ValidationError(
        _(
            "This file is not a JPEG, PNG or WebP image (whatever its name says). "
            "Take the photo again or choose an image file."
        ),
        code="not_an_image",
    )


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _("This image is %(width)s × %(height)s pixels; at most %(limit)s megapixels are accepted.")
        % {"width": width, "height": height, "limit": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def read_upload(uploaded_file, max_bytes: int | None = None) -> bytes:
    """Return the bytes of an upload, refusing one larger than ``max_bytes``."""
    limit = max_photo_bytes() if max_bytes is None else max_bytes
    size = getattr(uploaded_file, "size", None)
    too_large = ValidationError(
        _("The photo is %(size)s; at most %(limit)s are accepted.")
        % {"size": filesizeformat(size or limit + 1), "limit": filesizeformat(limit)},
        code="too_large",
    )
    if size is not None and size > limit:
        raise too_large
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def _open(data: bytes) -> Image.Image:
    """Open ``data`` as an image of an allowed format, treating a bomb as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise _not_an_image() from exc
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ValidationError(
                _("This image is too large to be decoded safely."), code="too_many_pixels"
            ) from exc
    if image.format not in FORMATS:
        raise _not_an_image()
    width, height = image.size
    if width < 1 or height < 1:
        raise _not_an_image()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)
    return image


def clean_image(data: bytes) -> CleanImage:
    """Check that ``data`` is an allowed image and return it re-encoded without metadata.

    Raises ``ValidationError`` with a message a user understands: not an image (also a
    text file named ``x.jpg``), an unsupported format, too many pixels, or a damaged file.
    """
    image = _open(data)
    image_format = image.format
    try:
        image.verify()  # structural check; the image must be opened again afterwards
    except Exception as exc:  # Pillow raises many kinds of errors for a damaged file
        raise ValidationError(
            _("This image is damaged or incomplete; take the photo again."), code="damaged"
        ) from exc
    image = _open(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            clean = pixels_only(image, image_format)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_many_pixels(*image.size) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This image is damaged or incomplete; take the photo again."), code="damaged"
        ) from exc
    content_type, extension, options = FORMATS[image_format]
    output = io.BytesIO()
    clean.save(output, format=image_format, **options)
    content = output.getvalue()
    return CleanImage(
        content=content,
        content_type=content_type,
        extension=extension,
        width=clean.width,
        height=clean.height,
        sha256=hashlib.sha256(content).hexdigest(),
    )
