"""Uploaded files: what a file is, read from its bytes, never from its name or the browser's word.

A browser that opens an SVG or an HTML file from the site's own origin runs its scripts with the
rights of whoever opened it. So only these kinds are stored: PDF; images Pillow can read as JPEG,
PNG, WebP or GIF (never SVG); office documents recognised by their structure: the zip of Word,
Excel and PowerPoint files (with ``[Content_Types].xml`` and their main part) and of OpenDocument
files (with their ``mimetype``), and the OLE container of the old binary formats (with the stream
that names the program). Files with macros are refused. A file is stored under the extension of
what it is, and ``core.media`` serves every file as a download.

The upload fields below check at every write: the form field (a message next to the field), the
model field's validator (``full_clean`` in services and the admin) and its ``pre_save``, so no
path stores an unchecked file.

Each upload field names the rule that decides who may fetch its files (``view_rule``, asked with
the record by ``core.media``), and new files go to a folder of their own with a random name
(``UnguessableName``): the address of a draft's file is neither public nor guessed from its name.
"""

from __future__ import annotations

import os
import secrets
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MEGABYTE = 1024 * 1024
# Far more than any camera, far less than a decompression bomb needs.
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


PDF = Kind("pdf", "application/pdf")
JPEG = Kind("jpg", "image/jpeg")
PNG = Kind("png", "image/png")
WEBP = Kind("webp", "image/webp")
GIF = Kind("gif", "image/gif")
DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = Kind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = Kind("odt", "application/vnd.oasis.opendocument.text")
ODS = Kind("ods", "application/vnd.oasis.opendocument.spreadsheet")
ODP = Kind("odp", "application/vnd.oasis.opendocument.presentation")
DOC = Kind("doc", "application/msword")
XLS = Kind("xls", "application/vnd.ms-excel")
PPT = Kind("ppt", "application/vnd.ms-powerpoint")

IMAGES = (JPEG, PNG, WEBP, GIF)
OFFICE = (DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT)
# The type each stored file is served with, by its extension (what it was stored under).
CONTENT_TYPES = {kind.extension: kind.content_type for kind in (PDF, *IMAGES, *OFFICE)} | {
    "jpeg": JPEG.content_type
}

_PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP, "GIF": GIF}
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_TYPES = {kind.content_type: kind for kind in (ODT, ODS, ODP)}
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# Directory entries of an OLE file hold their names in UTF-16; the first found names the program.
_OLE_STREAMS = (
    ("WordDocument", DOC),
    ("PowerPoint Document", PPT),
    ("Workbook", XLS),
    ("Book", XLS),  # Excel 5 and 95
)
# Every VBA project has this stream (Word: Macros/VBA/, Excel: _VBA_PROJECT_CUR/VBA/).
_OLE_MACROS = "_VBA_PROJECT".encode("utf-16-le")
_MACROS = _("„%(name)s“ enthält Makros. Bitte speichern Sie die Datei ohne Makros, z. B. als PDF.")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError)


class Refused(Exception):
    """The file is none of the kinds stored; ``message`` says why, with a %(name)s."""

    def __init__(self, message: Promise | str = "") -> None:
        super().__init__(message)
        self.message = message


def identify(file: IO[bytes]) -> Kind:
    """What ``file`` (seekable, opened for reading) is; raises ``Refused`` for anything else.

    Reads from the start and leaves the position there.
    """
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(file)
        if head.startswith(_OLE_MAGIC):
            return _ole_kind(file)
        return _image_kind(file)
    finally:
        file.seek(0)


def _image_kind(file: IO[bytes]) -> Kind:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind = _PILLOW_FORMATS.get(image.format or "")
                if kind is None:
                    raise Refused
                if image.width * image.height > MAX_PIXELS:
                    raise Refused(_("„%(name)s“ hat zu viele Bildpunkte."))
                image.verify()
                return kind
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise Refused from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Refused(_("„%(name)s“ hat zu viele Bildpunkte.")) from error


def _zip_kind(file: IO[bytes]) -> Kind:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names) or any(
                name.startswith(("Basic/", "Scripts/")) for name in names
            ):
                raise Refused(_MACROS)
            if "[Content_Types].xml" in names:
                for part, kind in _OOXML_PARTS.items():
                    if part in names:
                        return kind
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF_TYPES:
                    return _ODF_TYPES[mimetype]
    except _ZIP_ERRORS as error:
        raise Refused from error
    raise Refused


def _ole_kind(file: IO[bytes]) -> Kind:
    data = file.read()
    if _OLE_MACROS in data:
        raise Refused(_MACROS)
    for stream, kind in _OLE_STREAMS:
        if stream.encode("utf-16-le") in data:
            return kind
    raise Refused


@dataclass(frozen=True)
class Allowed:
    """What one upload field takes: its kinds, its size limit and what it says to the rest."""

    kinds: tuple[Kind, ...]
    max_megabytes: int
    refusal: Promise  # with %(name)s

    @property
    def accept(self) -> str:
        """The ``accept`` attribute of the file input: the file dialog offers these first."""
        extensions = [f".{kind.extension}" for kind in self.kinds]
        if JPEG in self.kinds:
            extensions.append(".jpeg")
        return ",".join([*extensions, *dict.fromkeys(kind.content_type for kind in self.kinds)])


ALLOWED = {
    "documents": Allowed(
        kinds=(PDF, *IMAGES, *OFFICE),
        max_megabytes=20,
        refusal=_(
            "„%(name)s“ ist weder ein PDF noch ein Bild (JPEG, PNG, WebP, GIF) noch ein "
            "Office-Dokument (Word, Excel, PowerPoint, OpenDocument)."
        ),
    ),
    "pdf": Allowed(kinds=(PDF,), max_megabytes=20, refusal=_("„%(name)s“ ist kein PDF.")),
    "photos": Allowed(
        kinds=(JPEG, PNG, WEBP),
        max_megabytes=8,
        refusal=_("„%(name)s“ ist kein Foto im Format JPEG, PNG oder WebP."),
    ),
}


def check_upload(upload: Any, allowed: Allowed) -> Kind:
    """The kind of ``upload`` (a seekable file object with a ``name``) if ``allowed`` takes it.

    Raises ValidationError with a message that names the file.
    """
    name = os.path.basename(getattr(upload, "name", "") or "") or str(_("Datei"))
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    if size > allowed.max_megabytes * MEGABYTE:
        raise ValidationError(
            _("„%(name)s“ ist größer als %(megabytes)d MB.")
            % {"name": name, "megabytes": allowed.max_megabytes},
            code="too_large",
        )
    try:
        kind = identify(upload)
    except Refused as refused:
        raise ValidationError(
            (refused.message or allowed.refusal) % {"name": name}, code="not_allowed"
        ) from refused
    if kind not in allowed.kinds:
        raise ValidationError(allowed.refusal % {"name": name}, code="not_allowed")
    return kind


def true_name(name: str, kind: Kind) -> str:
    """``name`` with the extension of what the file is: ``plan.pdf`` holding a PNG → ``plan.png``."""
    stem = os.path.basename(name)
    base, dot, _extension = stem.rpartition(".")
    try:
        base = get_valid_filename(base if dot else stem)[:100]
    except SuspiciousFileOperation:
        base = "datei"
    return f"{base}.{kind.extension}"


@deconstructible
class UploadValidator:
    """Refuses a newly uploaded file that ``ALLOWED[allowed]`` does not take."""

    def __init__(self, allowed: str) -> None:
        self.allowed = allowed

    def __call__(self, value: Any) -> None:
        if value and not getattr(value, "_committed", False):
            check_upload(value, ALLOWED[self.allowed])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and other.allowed == self.allowed

    def __hash__(self) -> int:
        return hash(self.allowed)


class UploadFormField(forms.FileField):
    """A file input that offers the allowed kinds and refuses the rest next to the field."""

    def __init__(self, *, allowed: str = "documents", **kwargs: Any) -> None:
        self.allowed = allowed
        super().__init__(**kwargs)
        self.validators.append(UploadValidator(allowed))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "accept": ALLOWED[self.allowed].accept}


@deconstructible
class UnguessableName:
    """``upload_to``: ``<folder>/<year>/<random>/<name as uploaded>``.

    The random folder (96 bits) makes the address of a file impossible to guess from its name;
    the name stays the last part, so the download is saved under it.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: models.Model, filename: str) -> str:
        year = timezone.now().strftime("%Y")
        return f"{self.folder}/{year}/{secrets.token_urlsafe(12)}/{os.path.basename(filename)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnguessableName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


class _UploadFieldMixin:
    """Stores only what ``ALLOWED[allowed]`` takes, under the extension of what it is.

    ``view_rule`` names the rule asked with the record whose field holds a file (``core.media``);
    ``view_related`` what that rule reads through relations, loaded in the same query. Neither is
    part of the schema, so migrations do not carry them; a field without a rule serves nobody.
    """

    def __init__(
        self,
        *args: Any,
        allowed: str = "documents",
        view_rule: str = "",
        view_related: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        self.allowed = allowed
        self.view_rule = view_rule
        self.view_related = view_related
        self.default_validators = [UploadValidator(allowed)]
        super().__init__(*args, **kwargs)

    @property
    def folder(self) -> str:
        """The first part of the names of this field's files, old and new."""
        upload_to = self.upload_to  # type: ignore[attr-defined]
        if isinstance(upload_to, UnguessableName):
            return upload_to.folder
        return str(upload_to).strip("/").split("/", 1)[0]

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, path, args, {**kwargs, "allowed": self.allowed}

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        file = getattr(model_instance, self.attname)  # type: ignore[attr-defined]
        if file and not file._committed:
            # Also for writes that skipped full_clean: nothing unchecked reaches the storage.
            file.name = true_name(file.name, check_upload(file, ALLOWED[self.allowed]))
        return super().pre_save(model_instance, add)  # type: ignore[misc]

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(  # type: ignore[misc]
            **{"form_class": UploadFormField, "allowed": self.allowed, **kwargs}
        )


class UploadField(_UploadFieldMixin, models.FileField):
    pass


class UploadImageField(_UploadFieldMixin, models.ImageField):
    pass
