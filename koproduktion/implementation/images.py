"""Uploaded photos: only real images, not too large, resized and stripped of their metadata.

Photos from phones carry the place they were taken and the device in their EXIF data; a photo of
a building site must not publish where its author lives. Re-encoding the pixels drops all of it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
# Far more than any camera, far less than a decompression bomb needs.
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int


def clean_image(upload: Any, *, name: str = "foto") -> CleanImage:
    """Check and re-encode ``upload`` (a file-like object with ``size``); raise ValidationError.

    Nothing is written anywhere: the caller stores the result once every photo passed.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("„%(name)s“ ist größer als 8 MB. Bitte verkleinern Sie das Foto.") % {"name": name},
            code="too_large",
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("„%(name)s“ ist größer als 8 MB. Bitte verkleinern Sie das Foto.") % {"name": name},
            code="too_large",
        )
    not_an_image = ValidationError(
        _("„%(name)s“ ist kein Foto im Format JPEG, PNG oder WebP.") % {"name": name},
        code="not_an_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(
                        _("„%(name)s“ hat zu viele Bildpunkte.") % {"name": name}, code="too_large"
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                upright.thumbnail((MAX_SIDE, MAX_SIDE))
                return _encode(upright)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise not_an_image from error
    except Image.DecompressionBombWarning as error:
        raise not_an_image from error


def _encode(image: Image.Image) -> CleanImage:
    output = io.BytesIO()
    has_alpha = image.mode in {"RGBA", "LA"} or "transparency" in image.info
    if has_alpha:
        image = image.convert("RGBA")
        image.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        image = image.convert("RGB")
        image.save(output, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return CleanImage(
        content=ContentFile(output.getvalue(), name=f"foto.{extension}"),
        width=image.width,
        height=image.height,
    )
