"""Small files of each kind, made here, for the upload tests: real formats and the attacks."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/admin/accounts/user/1/change/')</script></svg>"
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image(fmt: str, size: tuple[int, int] = (12, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 150)).save(buffer, format=fmt)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes], *, stored_first: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), entries[stored_first], zipfile.ZIP_STORED
            )
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(part: str, *, macros: bool = False) -> bytes:
    """A Word (``word/document.xml``), Excel or PowerPoint file in its zip structure."""
    entries = {
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"<Relationships/>",
        part: b"<x/>",
    }
    if macros:
        entries[part.split("/", maxsplit=1)[0] + "/vbaProject.bin"] = b"\x00" * 16
    return zip_of(entries)


def opendocument(mimetype: str) -> bytes:
    return zip_of(
        {"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"},
        stored_first="mimetype",
    )


def ole(stream: str) -> bytes:
    """The start of an old binary Office file: the OLE header and a directory entry."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
    return header + stream.encode("utf-16-le") + b"\x00" * 512


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
