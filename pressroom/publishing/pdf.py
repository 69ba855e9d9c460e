"""The one door to WeasyPrint: published answers and transcripts as PDF files.

Every resource a PDF needs (the Noto Sans font files, style sheets, images) is fetched
through `StaticFileFetcher`, which serves regular files under ``pressroom/static/`` and
refuses everything else: http(s), ``file:`` outside static, ``data:``, any other scheme.
Templates and style sheets refer to static files with relative URLs, resolved against
`STATIC_BASE_URL` (``file:///…/pressroom/static/``), e.g. ``url("../fonts/x.woff2")`` from
a style sheet in ``static/css/`` or ``<img src="img/logo.png">`` from a template.
User text never becomes markup (autoescape, ``|paragraphs``), so it cannot ask for anything.
"""

from __future__ import annotations

import contextvars
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pressroom.core import i18n
from pressroom.core.templating import TEMPLATES_DIR, render_to_string
from pressroom.publishing.documents import AnswerDocument, DoorListDocument, TranscriptDocument

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC_BASE_URL = STATIC_DIR.as_uri() + "/"
FONTS_CSS_URL = STATIC_BASE_URL + "css/fonts.css"
PRINT_CSS = TEMPLATES_DIR / "publishing" / "pdf" / "print.css"

# The only kinds of file a PDF may pull in, with the type WeasyPrint is told.
_CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


class ResourceRefused(ValueError):
    """A PDF asked for something other than a file under pressroom/static/."""


class StaticFileFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves regular files under `root` and nothing else.

    Accepts only ``file:`` URLs (no host but ``localhost``, no query) whose path, with
    symlinks resolved, is an existing file inside `root` with an extension listed in
    `_CONTENT_TYPES`; raises `ResourceRefused` for anything else. It is built with
    ``fail_on_errors=True``, so a refusal stops the rendering instead of being logged and
    skipped. `requested` records every URL asked for, served or refused.
    """

    def __init__(self, root: Path = STATIC_DIR) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)
        self.root = root.resolve(strict=True)
        self.requested: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        path = self.resolve(url)
        content_type = _CONTENT_TYPES[path.suffix.lower()]
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    def resolve(self, url: str) -> Path:
        """The file under `root` that `url` names; raises `ResourceRefused` otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise ResourceRefused(f"only files under static/ may be fetched, not {url[:80]!r}")
        if parts.netloc not in ("", "localhost") or parts.query:
            raise ResourceRefused(f"not a plain local file URL: {url[:200]!r}")
        raw = url2pathname(parts.path)
        # Relative references were already joined to the base URL; a ".." left over (maybe
        # percent-encoded) is an attempt to climb out.
        if "\x00" in raw or ".." in raw.split("/"):
            raise ResourceRefused(f"path escapes static/: {url[:200]!r}")
        try:
            path = Path(raw).resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            raise ResourceRefused(f"no such file under static/: {url[:200]!r}") from exc
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ResourceRefused(f"not a file under static/: {url[:200]!r}")
        if path.suffix.lower() not in _CONTENT_TYPES:
            raise ResourceRefused(f"file type not served to PDFs: {url[:200]!r}")
        return path


def html_to_pdf(html: str, *, fetcher: StaticFileFetcher | None = None) -> bytes:
    """A PDF of `html` (trusted template output) with fonts.css and print.css applied.

    Relative URLs resolve against `STATIC_BASE_URL`. Raises `ResourceRefused` when the
    document asks for anything outside static/. WeasyPrint 70's ``write_pdf`` takes no
    fetcher of its own: the rendered document keeps and uses the one given to ``HTML``.
    """
    fetcher = fetcher if fetcher is not None else StaticFileFetcher()
    font_config = FontConfiguration()
    try:
        stylesheets = [
            CSS(url=FONTS_CSS_URL, url_fetcher=fetcher, font_config=font_config),
            CSS(
                string=PRINT_CSS.read_text(encoding="utf-8"),
                base_url=STATIC_BASE_URL + "css/",
                url_fetcher=fetcher,
                font_config=font_config,
            ),
        ]
        document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher)
        # Tagged PDF: structure for screen readers (these are public documents).
        pdf: bytes = document.write_pdf(stylesheets=stylesheets, font_config=font_config, pdf_tags=True)
    except FatalURLFetchingError as exc:
        # FatalURLFetchingError is a BaseException; callers get an ordinary error instead.
        raise ResourceRefused(str(exc.__cause__ or exc)) from exc
    return pdf


def render_answer_pdf(
    doc: AnswerDocument, *, locale: str | None = None, fetcher: StaticFileFetcher | None = None
) -> bytes:
    """The official answer as a PDF; labels in `locale` (default: the current locale)."""
    return _render("publishing/pdf/answer.html", doc, locale, fetcher)


def render_transcript_pdf(
    doc: TranscriptDocument, *, locale: str | None = None, fetcher: StaticFileFetcher | None = None
) -> bytes:
    """The conference transcript as a PDF; labels in `locale` (default: the current locale)."""
    return _render("publishing/pdf/transcript.html", doc, locale, fetcher)


def render_door_list_pdf(doc: DoorListDocument, *, locale: str | None = None) -> bytes:
    """The list of accredited journalists of a conference, for the door."""
    return _render("publishing/pdf/door_list.html", doc, locale, None)


def _render(
    template: str,
    doc: AnswerDocument | TranscriptDocument | DoorListDocument,
    locale: str | None,
    fetcher: StaticFileFetcher | None,
) -> bytes:
    def run() -> bytes:
        if locale is not None:
            i18n.set_locale(locale)
        return html_to_pdf(render_to_string(template, {"doc": doc}), fetcher=fetcher)

    # A copied context keeps a locale chosen here from leaking into the caller's.
    return contextvars.copy_context().run(run)
