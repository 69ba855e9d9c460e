"""Translations and locale-aware formatting; the current locale lives in a context variable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.support import NullTranslations, Translations

from pressroom.core.clock import now
from pressroom.core.config import get_settings

LOCALES = ("vi", "en")
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

_current: ContextVar[str] = ContextVar("pressroom_locale", default="vi")


def negotiate(requested: str | None) -> str:
    return requested if requested in LOCALES else get_settings().default_locale


def from_accept_language(header: str) -> str:
    """The best of our locales for an ``Accept-Language`` header (RFC 9110 weights), or ""."""
    best, best_q = "", 0.0
    for index, item in enumerate(header.split(",")[:20]):
        tag, _sep, params = item.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LOCALES and q > best_q and q > 0:
            best, best_q = primary, q - index * 1e-6  # equal weights: the first listed wins
    return best


def set_locale(locale: str) -> None:
    _current.set(negotiate(locale))


def get_locale() -> str:
    return _current.get()


@contextmanager
def in_locale(locale: str) -> Iterator[None]:
    """Speaks ``locale`` inside the block (a feed, the same for every reader), then the
    request's language again."""
    token = _current.set(negotiate(locale))
    try:
        yield
    finally:
        _current.reset(token)


@lru_cache
def translations(locale: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [locale], domain="messages")


def gettext(message: str, **variables: object) -> str:
    text = translations(get_locale()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(get_locale()).ungettext(singular, plural, n)
    return text % {"num": n, **variables}


def lazy(message: str) -> str:
    """Marks a string for extraction where it is translated later (e.g. enum labels)."""
    return message


def _zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value.astimezone(_zone()), "HH:mm dd/MM/yyyy", locale=get_locale())


def fmt_date(value: date | datetime | None, long: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(_zone()).date()
    pattern = "EEEE, dd/MM/yyyy" if long else "dd/MM/yyyy"
    return format_date(value, pattern, locale=get_locale())


def fmt_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_time(value.astimezone(_zone()), "HH:mm", locale=get_locale())


def fmt_offset(seconds: int | None) -> str:
    """A time code in a recording, always h:mm:ss (0:05:07, 1:12:40)."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def zone_name() -> str:
    """The zone every time on a page is in, named once per page: "Hanoi time (UTC+07:00)"."""
    name = get_settings().timezone
    offset = now().astimezone(_zone()).strftime("%z")
    utc = f"UTC{offset[:3]}:{offset[3:]}"
    if name in ("Asia/Ho_Chi_Minh", "Asia/Saigon", "Asia/Bangkok"):
        return gettext("Hanoi time (%(utc)s)", utc=utc)
    return f"{name} ({utc})"


def local_zone() -> ZoneInfo:
    return _zone()


def locale_display(locale: str) -> str:
    return Locale.parse(locale).get_display_name(locale) or locale
