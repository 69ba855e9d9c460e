"""Reading what a user gets back: the text and fonts of a PDF, text as an HTML page shows it,
the answers listed on a page."""

from __future__ import annotations

import html
import io
import re
import time
import unicodedata
from collections.abc import Callable

from pypdf import PdfReader

ANSWER_LINK = re.compile(r'pr-answer-item__title"><a class="govuk-link" href="/answers/(\d+)"')


def pdf_text(data: bytes) -> str:
    """All the PDF's text, NFC, with line breaks and runs of spaces as one space."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(unicodedata.normalize("NFC", " ".join(p.extract_text() for p in pages)).split())


def shown(text: str) -> str:
    """``text`` as the HTML pages render it."""
    return html.escape(text, quote=False)


def page_text(page_html: str) -> str:
    """The words a reader sees on a page: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split())


def listed_people(page_html: str) -> list[dict[str, str]]:
    """The spokespersons a page lists: each person's name, title and contact lines, in order."""
    people = []
    for block in re.findall(r'<li class="pr-person">(.*?)</li>', page_html, re.S):
        parts = {part: re.search(rf'class="[^"]*pr-person__{part}">(.*?)</p>', block, re.S)
                 for part in ("name", "title", "contact")}
        people.append({part: page_text(found.group(1)) if found else ""
                       for part, found in parts.items()})
    return people


def hidden(page_html: str, name: str) -> str:
    """The value of the page's (first) hidden input ``name``."""
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page_html)
    assert match, f"no hidden {name} on the page"
    return html.unescape(match.group(1))


def field_value(page_html: str, name: str) -> str:
    """What a text input or textarea ``name`` holds as the page shows it."""
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page_html, re.S)
    if textarea:
        return html.unescape(textarea.group(1)).strip("\n")
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page_html)
    assert match, f"no field {name} on the page"
    return html.unescape(match.group(1))


def listed_answer_ids(page_html: str) -> list[int]:
    """The answers a list page shows, in order."""
    return [int(found) for found in ANSWER_LINK.findall(page_html)]


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Base font name (subset prefix dropped) → whether its program is embedded, over all pages."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            holder = descendants[0].get_object() if descendants else font
            descriptor = holder["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"]).split("+", 1)[-1]] = embedded
    return fonts


def select_options(page: str, name: str) -> list[tuple[str, str]]:
    """The (value, label) options of the select ``name`` as a reader sees them."""
    select = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, name
    return [(html.unescape(value), " ".join(html.unescape(re.sub(r"<[^>]+>", " ", label)).split()))
            for value, label in
            re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select.group(1), re.S)]


def wait_for(predicate: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Whether ``predicate`` became true within ``seconds`` (for work done by a thread)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
