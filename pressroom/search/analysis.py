"""How search reads Vietnamese text, the same way for what is indexed and what is asked.

Each word gives two index tokens, both plain ASCII so that SQLite's FTS5 and PostgreSQL's
"simple" parser keep them whole:

- *folded*: without diacritics, đ → d ("Đầu" → ``dau``), for a query typed without them;
- *exact*: the Telex spelling of the word as written, its tone letter last ("đầu" →
  ``ddaauf``, "hoà" and "hòa" → ``hoaf``), for a query typed with them: "thuế" then finds
  tax, not rent ("thuê").

Case, NFD input and the old or new placement of tone marks make no difference. The
abbreviations of ministries, agencies and programmes are read as their full names ("NHNN",
"Bộ KH&ĐT") on both sides. A legal document number ("42/2022/NĐ-CP") is also one token of
its own, so that a query naming it matches exactly that document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pressroom.core import abbreviations
from pressroom.core.abbreviations import CHUNK_RE as _CHUNK
from pressroom.core.abbreviations import expand_abbreviations
from pressroom.core.text import prepare, syllable

_PART = re.compile(r"[^\W_]+")
DOCUMENT_NUMBER = re.compile(r"(\d+)/(\d{4})/([^\W\d_][^\W_]*(?:-[^\W_]+)*)")
_SHAPES = {"\u0302": "{}", "\u0306": "w", "\u031b": "w"}  # hat (â ê ô), breve (ă), horn (ơ ư)
_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


@lru_cache(maxsize=200_000)
def telex(word: str) -> str:
    """The Telex spelling of a lower-case word: "trường" → ``truwowngf``, "đầu" →
    ``ddaauf``; the tone letter last, wherever the mark was placed."""
    tone = ""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch in _SHAPES:
            if out:
                shape = _SHAPES[ch]
                out.append(out[-1] if shape == "{}" else shape)
        elif ch == "đ":
            out.append("dd")
        elif unicodedata.combining(ch):
            continue
        else:
            out.append(ch)
    return "".join(out) + tone


@dataclass(frozen=True, slots=True)
class Token:
    exact: str
    folded: str

    @property
    def accented(self) -> bool:
        """Typed with diacritics (or đ): matched on the exact form."""
        return self.exact != self.folded


def document_token(match: re.Match[str]) -> str:
    """The one token of a legal document number: "42/2022/NĐ-CP" → ``vb42n2022ndcp``."""
    number, year, code = match.groups()
    letters = "".join(syllable(part.casefold())[1] for part in _PART.findall(code))
    return f"vb{int(number)}n{year}{letters}"


def _word(part: str) -> Token:
    if part.isdigit():
        value = str(int(part)) if len(part) < 30 else part
        return Token(value, value)
    accented, folded = syllable(part.casefold())
    return Token(telex(accented), folded)


def tokens(text: str) -> list[Token]:
    """The words of ``text`` in order (abbreviations read as their full names), and after a
    document number its own token."""
    out: list[Token] = []
    for chunk in _CHUNK.findall(expand_abbreviations(prepare(text))):
        out.extend(_word(part) for part in _PART.findall(chunk))
        document = DOCUMENT_NUMBER.fullmatch(chunk)
        if document is not None:
            token = document_token(document)
            out.append(Token(token, token))
    return out


def streams(text: str) -> tuple[str, str]:
    """``text`` as the two token streams the index holds: (exact, folded)."""
    found = tokens(text)
    return " ".join(t.exact for t in found), " ".join(t.folded for t in found)


# --- queries ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Clause:
    """One thing every result must contain: a word, or words in this order (a phrase in
    quotes, an abbreviation's full name, the parts of "COVID-19"); ``exact`` when it was
    typed with diacritics, so that they must match too."""

    tokens: tuple[Token, ...]
    text: str  # as typed
    exact: bool = False


def _typed(words: tuple[Token, ...], text: str) -> Clause:
    """A clause as typed: exact when every word carries diacritics (numbers aside)."""
    lettered = [t for t in words if not t.exact.isdigit()]
    return Clause(words, text, bool(lettered) and all(t.accented for t in lettered))


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...] = field(default_factory=tuple)
    text: str = ""

    def __bool__(self) -> bool:
        return bool(self.clauses)


_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")


def parse(text: str) -> Query:
    """A query: words (all required), "phrases in quotes", abbreviations (read as their full
    names, words in that order) and document numbers (that one document's token)."""
    text = prepare(text or "")[:500]
    clauses: list[Clause] = []
    position = 0
    for quoted in _QUOTED.finditer(text):
        clauses.extend(_loose(text[position:quoted.start()]))
        words = tuple(tokens(quoted.group(1)))
        if words:
            clauses.append(_typed(words, quoted.group(1).strip()))
        position = quoted.end()
    clauses.extend(_loose(text[position:]))
    unique = list(dict.fromkeys(clauses))
    return Query(tuple(unique), text.strip())


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[tuple[str, ...]], int]:
    """The full names of the abbreviation table ("Bộ Quốc phòng", "nhà ở xã hội"), as the
    keys of their words; and the longest."""
    names = {tuple(abbreviations.key(c) for c in _CHUNK.findall(full))
             for full, _forms in abbreviations.ABBREVIATIONS}
    names = {name for name in names if len(name) > 1}
    return frozenset(names), max(len(name) for name in names)


def _name_at(chunks: list[str], i: int) -> int:
    """How many words from ``chunks[i]`` on spell a full name of the abbreviation table
    (the longest), typed with or without diacritics; 0 when none does."""
    names, longest = _names()
    for size in range(min(longest, len(chunks) - i), 1, -1):
        if tuple(abbreviations.key(c) for c in chunks[i:i + size]) in names:
            return size
    return 0


def _loose(text: str) -> list[Clause]:
    clauses: list[Clause] = []
    chunks = _CHUNK.findall(text)
    i = 0
    while i < len(chunks):
        hit = abbreviations.match(chunks, i)
        if hit is not None:  # its full name, words in order: "NHNN" → "ngân hàng nhà nước"
            size, full = hit
            clauses.append(Clause(tuple(tokens(full)), " ".join(chunks[i:i + size])))
            i += size
            continue
        size = _name_at(chunks, i)
        if size:  # a name typed in full is one name too, words in order: "Bộ Quốc phòng"
            named = chunks[i:i + size]
            clauses.append(_typed(tuple(_word(part) for chunk in named
                                        for part in _PART.findall(chunk)), " ".join(named)))
            i += size
            continue
        chunk = chunks[i]
        i += 1
        document = DOCUMENT_NUMBER.fullmatch(chunk)
        if document is not None:
            token = document_token(document)
            clauses.append(Clause((Token(token, token),), chunk))
            continue
        parts = tuple(_word(part) for part in _PART.findall(chunk))
        if parts:  # one word, or the parts of "COVID-19", "5.000" in order
            clauses.append(_typed(parts, chunk))
    return clauses


# --- snippets ---------------------------------------------------------------------------

Segment = tuple[str, bool]  # text, whether it matched the query


def _wanted(query: Query) -> tuple[set[str], set[str]]:
    exact = {t.exact for c in query.clauses if c.exact for t in c.tokens}
    folded = {t.folded for c in query.clauses if not c.exact for t in c.tokens}
    return exact, folded


@lru_cache(maxsize=100_000)
def _chunk_tokens(chunk: str) -> tuple[Token, ...]:
    """tokens() of one chunk or full name (a text's words repeat: read each once)."""
    return tuple(tokens(chunk))


def _chunk_matches(chunks: list[str], i: int, exact: set[str], folded: set[str]) -> int:
    """How many chunks from ``i`` on match the query (an abbreviation may span several);
    0 when chunk ``i`` does not."""
    hit = abbreviations.match(chunks, i)
    if hit is not None:
        words = _chunk_tokens(hit[1])
        size = hit[0]
    else:
        words = _chunk_tokens(chunks[i])
        size = 1
    if any(t.exact in exact or t.folded in folded for t in words):
        return size
    return 0


def snippet(text: str, query: Query, *, before: int = 12, length: int = 45) -> list[Segment]:
    """A passage of ``text`` around the first words that match the query, those words
    marked: about ``length`` words, cut at word boundaries with "…" where it was cut. The
    opening of the text when nothing in it matches."""
    text = prepare(text)
    found = list(_CHUNK.finditer(text))
    if not found:
        return [(text[:300], False)] if text else []
    chunks = [m.group() for m in found]
    exact, folded = _wanted(query)
    marked: list[tuple[int, int]] = []  # chunk index ranges [start, end)
    i = 0
    while i < len(chunks):
        if marked and i >= marked[0][0] + length:
            break  # past the passage shown: the first match decides where it is
        size = _chunk_matches(chunks, i, exact, folded)
        if size:
            marked.append((i, i + size))
            i += size
        else:
            i += 1
    first = marked[0][0] if marked else 0
    start = max(0, first - before)
    end = min(len(chunks), start + length)
    segments: list[Segment] = [("… ", False)] if start > 0 else []
    position = found[start].start()
    for a, b in marked:
        if a < start or b > end:
            continue
        segments.append((text[position:found[a].start()], False))
        segments.append((text[found[a].start():found[b - 1].end()], True))
        position = found[b - 1].end()
    tail = text[position:found[end - 1].end()]
    segments.append((tail, False))
    if end < len(chunks):
        segments.append((" …", False))
    return [(" ".join(piece.split("\n")) if not hit else piece, hit)
            for piece, hit in segments if piece]
