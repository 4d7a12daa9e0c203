"""What an uploaded file really is, by its structure rather than its name or first bytes.

A file that starts with ``%PDF-`` may be HTML or SVG behind five bytes; a small ZIP may expand to gigabytes.
Every upload check of the portal (scanned signatures, resources, event materials) asks here.
"""

import io
import logging
import zipfile

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"

# An office document (OOXML, OpenDocument) is a ZIP archive: refuse archives that expand beyond these.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100  # uncompressed size / compressed size, over the whole archive


def is_pdf(data):
    """True when `data` is a PDF a reader can open: the header, then a document with at least one page."""
    if not data.startswith(PDF_MAGIC):
        return False
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken upload is expected here, not news
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) > 0
    except Exception:  # noqa: BLE001 - a parser fed untrusted bytes: whatever it raises, this is no usable PDF
        return False


def safe_zip(data):
    """The archive's `ZipFile` when `data` is a ZIP archive whose entries stay within the limits above, else None."""
    if not data.startswith(ZIP_MAGIC):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if not entries or len(entries) > ZIP_MAX_ENTRIES:
        return None
    uncompressed = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    if uncompressed > ZIP_MAX_UNCOMPRESSED_BYTES or uncompressed > ZIP_MAX_RATIO * max(compressed, 1):
        return None
    return archive
