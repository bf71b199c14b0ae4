"""Uploaded photos: only real images, not too large, resized and stripped of their metadata.

Photos from phones carry the place they were taken and the device in their EXIF data; a photo of
a building site must not publish where its author lives. Re-encoding the pixels drops all of it.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from koproduktion.core.uploads import ALLOWED, MEGABYTE, check_upload

PHOTOS = ALLOWED["photos"]
MAX_UPLOAD_BYTES = PHOTOS.max_megabytes * MEGABYTE
MAX_SIDE = 1600


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int


def clean_image(upload: Any) -> CleanImage:
    """Check and re-encode ``upload`` (a seekable file object); raise ValidationError.

    Nothing is written anywhere: the caller stores the result once every photo passed.
    """
    check_upload(upload, PHOTOS)  # size, kind and pixel count, from the bytes
    try:
        with Image.open(upload) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            return _encode(upright)
    except (OSError, SyntaxError, ValueError) as error:  # cut off after a sound header
        name = os.path.basename(getattr(upload, "name", "") or "")
        raise ValidationError(PHOTOS.refusal % {"name": name}, code="not_allowed") from error


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
