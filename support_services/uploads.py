"""What an uploaded file is (resource versions, event materials), decided by its content (its structure: a PDF
that opens, an office archive within size limits; pact_portal/filetypes.py), never by its name."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pact_portal.filetypes import PDF_MAGIC, ZIP_MAGIC, is_pdf, safe_zip


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str  # translatable (lazy)


PDF = FileType("application/pdf", ".pdf", gettext_lazy("PDF"))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word (DOCX)"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", gettext_lazy("Excel (XLSX)")
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PowerPoint (PPTX)"
)
ODT = FileType("application/vnd.oasis.opendocument.text", ".odt", gettext_lazy("OpenDocument text (ODT)"))
ODS = FileType(
    "application/vnd.oasis.opendocument.spreadsheet", ".ods", gettext_lazy("OpenDocument spreadsheet (ODS)")
)
ODP = FileType(
    "application/vnd.oasis.opendocument.presentation", ".odp", gettext_lazy("OpenDocument presentation (ODP)")
)
ACCEPTED = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP)
ACCEPT_HELP = gettext_lazy("Accepted: PDF, Word, Excel, PowerPoint and OpenDocument files.")

_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_ODF = {t.content_type: t for t in (ODT, ODS, ODP)}


def label_for_content_type(content_type):
    for file_type in ACCEPTED:
        if file_type.content_type == content_type:
            return file_type.label
    return ""


def extension_for_content_type(content_type):
    for file_type in ACCEPTED:
        if file_type.content_type == content_type:
            return file_type.extension
    return ".bin"


def _zip_type(data):
    archive = safe_zip(data)
    if archive is None:
        return None
    names = archive.namelist()
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size <= 100:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            return _ODF.get(mimetype)
        return None
    if "[Content_Types].xml" in names:
        for prefix, file_type in _OOXML_PARTS.items():
            if any(name.startswith(prefix) for name in names):
                return file_type
    return None


def detect_type(data):
    """The accepted FileType of these bytes, or None: a PDF that opens, or an office document whose archive
    does not expand beyond reason (pact_portal/filetypes.py)."""
    if data.startswith(PDF_MAGIC):
        return PDF if is_pdf(data) else None
    if data.startswith(ZIP_MAGIC):
        return _zip_type(data)
    return None


def check_upload(upload):
    """The FileType of an uploaded resource file; ValidationError when it is too large or not accepted."""
    limit = settings.RESOURCE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the largest accepted is %(limit)s MB.")
            % {"size": round(upload.size / 2**20, 1), "limit": round(limit / 2**20, 1)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    file_type = detect_type(data)
    if file_type is None:
        raise ValidationError(
            _("This file’s content is not of an accepted type, whatever its name says. Accepted: %(types)s.")
            % {"types": ", ".join(str(t.label) for t in ACCEPTED)},
            code="type",
        )
    return file_type
