"""Vietnamese-aware text helpers: NFC and clean-up of what users type; one reading of
Vietnamese words (case, the old and new placement of tone marks, diacritics folded, đ → d)
shared by duplicate detection and search; links into recordings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# The control characters (Unicode category Cc) other than the line break and the tab: one
# regular expression, not a test a character (an archive import cleans megabytes).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean(value: str | None) -> str:
    """NFC, trimmed, with Windows line endings and stray control characters removed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        # As a pydantic BeforeValidator it is handed any JSON value (a number for a name):
        # left as it is, the field's type refuses it (422) instead of a TypeError (500).
        return value
    value = nfc(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


_TONE_MARKS = {"\u0300": "\u0300", "\u0301": "\u0301", "\u0303": "\u0303", "\u0309": "\u0309",
               "\u0323": "\u0323", "\u0340": "\u0300", "\u0341": "\u0301"}
_VOWELS = frozenset("aăâeêioôơuưy")
_HATTED = frozenset("ăâêôơư")
_CHAR_FIXES = str.maketrans({"Ð": "Đ", "ð": "đ", "\u00a0": " ", "\u2013": "-", "\u2014": "-",
                             "\u2011": "-", "\u2010": "-", "\u2212": "-", "\u00ad": None})
_ODD_CHARS = re.compile("[\u00d0\u00f0\u00a0\u2010-\u2014\u2212\u00ad]")
_LOOSE_MARK = re.compile(r"[^\W\d_][\u0300-\u036f]+")
WORD = re.compile(r"[^\W\d_]+")
_SPACE = re.compile(r"\s+")


def _fold_chars(value: str) -> str:
    value = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in value if not unicodedata.combining(ch))


def _tone_position(base: str) -> int | None:
    """Where the tone mark goes on a toneless syllable: one rule for both the old ("hòa",
    "thúy") and the new ("hoà", "thuý") placement, so that both spellings meet."""
    vowels = [i for i, ch in enumerate(base) if ch in _VOWELS]
    if not vowels:
        return None
    # The u of "qu" and the i of "gi" belong to the consonant ("quốc", "giữa").
    if len(vowels) > 1 and vowels[0] == 1 and base[:2] in ("qu", "gi"):
        vowels = vowels[1:]
    run = [vowels[0]]
    for i in vowels[1:]:
        if i != run[-1] + 1:
            break
        run.append(i)
    hatted = [i for i in run if base[i] in _HATTED]
    if hatted:
        return hatted[-1]
    if len(run) == 1:
        return run[0]
    if run[-1] < len(base) - 1:  # a final consonant: "toán", "hoạch"
        return run[-1]
    return run[1] if len(run) >= 3 else run[0]


@lru_cache(maxsize=200_000)
def syllable(word: str) -> tuple[str, str]:
    """(accented, folded) forms of one lower-case word, its tone mark where
    ``_tone_position`` puts it."""
    tone = ""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        else:
            kept.append(ch)
    base = unicodedata.normalize("NFC", "".join(kept))
    folded = _fold_chars(base)
    position = _tone_position(base) if tone else None
    if position is None:
        return base, folded
    return unicodedata.normalize("NFC", base[:position + 1] + tone + base[position + 1:]), folded


def _fix_loose_marks(match: re.Match[str]) -> str:
    """A letter followed by marks NFC could not attach (a tone typed before the hat): the
    hat first, then the tone."""
    chars = unicodedata.normalize("NFD", match.group())
    marks = sorted(chars[1:], key=lambda ch: ch in _TONE_MARKS)
    return unicodedata.normalize("NFC", chars[0] + "".join(marks))


def prepare(text: str) -> str:
    """NFC with marks in a canonical order and look-alike characters replaced."""
    text = unicodedata.normalize("NFC", text)
    if _ODD_CHARS.search(text):
        text = text.translate(_CHAR_FIXES)
    if _LOOSE_MARK.search(text):
        text = _LOOSE_MARK.sub(_fix_loose_marks, text)
    return text


def normalise(text: str) -> str:
    """NFC, case-folded, tone marks placed by one rule and white space collapsed:
    ``normalise("Hoà  BÌNH")`` and ``normalise("hòa bình")`` are both ``"hòa bình"``."""
    text = prepare(text).casefold()
    text = WORD.sub(lambda m: syllable(m.group())[0], text)
    return _SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """``normalise`` without diacritics (đ → d): ``fold("Đầu tư công")`` is
    ``"dau tu cong"``."""
    return _fold_chars(normalise(text))


_YOUTUBE = ("youtube.com", "youtube-nocookie.com", "youtu.be")


def time_link(url: str, seconds: int) -> str:
    """The address that opens a recording ``seconds`` in: YouTube takes ``?t=``, other players
    the media fragment ``#t=`` (W3C Media Fragments)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(host == name or host.endswith("." + name) for name in _YOUTUBE):
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        return urlunsplit(parts._replace(query=urlencode([*query, ("t", str(seconds))]),
                                         fragment=""))
    return urlunsplit(parts._replace(fragment=f"t={seconds}"))
