"""Reading what a user gets back: the text of a PDF, text as an HTML page shows it, the
answers listed on a page."""

from __future__ import annotations

import html
import io
import re
import unicodedata

from pypdf import PdfReader

ANSWER_LINK = re.compile(r'pr-answer-item__title"><a class="govuk-link" href="/answers/(\d+)"')


def pdf_text(data: bytes) -> str:
    """All the PDF's text, NFC, with line breaks and runs of spaces as one space."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(unicodedata.normalize("NFC", " ".join(p.extract_text() for p in pages)).split())


def shown(text: str) -> str:
    """``text`` as the HTML pages render it."""
    return html.escape(text, quote=False)


def listed_answer_ids(page_html: str) -> list[int]:
    """The answers a list page shows, in order."""
    return [int(found) for found in ANSWER_LINK.findall(page_html)]
