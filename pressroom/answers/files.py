"""What an attachment may be: PDF, DOCX, XLSX, PNG or JPEG of at most 20 MB, its type read
from its content (never from its name or the browser's word)."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
FORM_BYTES = MAX_BYTES + 256 * 1024  # a form that carries a file: the file and the fields


@dataclass(frozen=True)
class Kind:
    label: str
    media_type: str
    suffix: str


PDF = Kind("PDF", "application/pdf", ".pdf")
DOCX = Kind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx")
XLSX = Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PNG = Kind("PNG", "image/png", ".png")
JPEG = Kind("JPEG", "image/jpeg", ".jpg")


def _office(data: bytes) -> Kind | None:
    """A Word or Excel file (an Office Open XML package): read from its list of parts only,
    nothing is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(data: bytes) -> Kind | None:
    """The kind of ``data`` when it is one that is accepted, else None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def safe_name(name: str, kind: Kind) -> str:
    """The file name to keep and offer for download: the sender's base name (no folders,
    control or separator characters, at most 120 characters) with the suffix of its kind."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = re.sub(r"[\x00-\x1f\x7f\"<>:|?*;]+", "", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return (stem[:120].strip() or "tep-dinh-kem") + kind.suffix
