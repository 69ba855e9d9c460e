"""The one Jinja2 environment: autoescape on, i18n through the request's locale, filters."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from pressroom.core import i18n
from pressroom.core.clock import now
from pressroom.core.portal import PRODUCT, portal
from pressroom.core.security import new_token

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


CONTENT_LANG = "vi"
"""The language of what users write (titles, questions, answers, names, transcripts)."""


def _lang_attr() -> str:
    """` lang="vi"` on user content while the interface speaks another language, so that
    screen readers, hyphenation and translation tools treat it as Vietnamese."""
    return "" if i18n.get_locale() == CONTENT_LANG else f' lang="{CONTENT_LANG}"'


def _vi_attr() -> Markup:
    """The attribute for an element that holds only user content (e.g. a word diff)."""
    return Markup(_lang_attr())  # noqa: S704 - a constant attribute, no user text


def _paragraphs(value: str | None) -> Markup:
    """User text as escaped paragraphs: blank lines split paragraphs, newlines become <br>."""
    if not value:
        return Markup("")
    blocks = [b.strip() for b in value.replace("\r\n", "\n").split("\n\n") if b.strip()]
    opening = f"<p{_lang_attr()}>"
    html = "".join(
        opening + "<br>\n".join(str(escape(line)) for line in block.split("\n")) + "</p>"
        for block in blocks
    )
    return Markup(html)  # noqa: S704 - every piece of user text above went through escape()


def _vietnamese(value: str | None) -> Markup:
    """A line of user content (a title, a name): escaped, and marked as Vietnamese when the
    interface speaks another language. Use it on element content, not in attributes."""
    text = escape(value or "")
    attr = _lang_attr()
    if not attr or not text:
        return text
    return Markup(f"<span{attr}>{text}</span>")  # noqa: S704 - the text went through escape()


@lru_cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda m: i18n.translations(i18n.get_locale()).ugettext(m),
        lambda s, p, n: i18n.translations(i18n.get_locale()).ungettext(s, p, n),
        newstyle=True,
    )
    env.filters.update(
        datetime=i18n.fmt_datetime,
        date=i18n.fmt_date,
        time=i18n.fmt_time,
        paragraphs=_paragraphs,
        offset=i18n.fmt_offset,
        vi=_vietnamese,
    )
    env.globals.update(
        zone_name=i18n.zone_name,
        portal=portal,
        vi_attr=_vi_attr,
        product=PRODUCT,
    )
    return env


def render_to_string(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(
        locale=i18n.get_locale(), **context
    )


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Renders a page with what every layout needs (user, CSRF token, flash, locale)."""
    state = request.state
    page = {
        "request": request,
        "user": getattr(state, "user", None),
        "csrf_token": getattr(state, "csrf_token", ""),
        "flash": getattr(state, "flash", None),
        # Set for logged-in users' pages by notifications.pages.unread_badge.
        "unread_notifications": getattr(state, "unread_notifications", None),
        # A create form's one-time key: each rendering of the form gets its own.
        "submission_key": new_token(),
        "languages": i18n.LANGUAGE_NAMES,
        "now": now(),
        **(context or {}),
    }
    response = HTMLResponse(render_to_string(template, page), status_code=status)
    return response
