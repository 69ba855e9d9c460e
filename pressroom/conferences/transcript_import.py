"""Reading a press conference's transcript from a file, for a preview before it is saved.

Pure: bytes in, turns out. Plain text, SubRip (.srt), WebVTT (.vtt) and Word (.docx) are read;
the extension chooses the format and the content must match it. Anything wrong raises
ValidationFailed on the field ``transcript_file`` with a message naming the problem and, where
it has one, the place ("Line 12: ..."). No other exception leaves for any input bytes.
"""

from __future__ import annotations

import codecs
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
import webvtt
from docx.table import Table, _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pressroom.core.errors import ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.text import fold


@dataclass(frozen=True)
class ImportedTurn:
    speaker_name: str  # "" when the source names no speaker (<= 200 chars, trimmed)
    text: str  # NFC-normalised, non-empty
    offset_seconds: int | None  # start time in whole seconds, None when the source has none


FORMATS = ("txt", "srt", "vtt", "docx")
FIELD = "transcript_file"
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # the XML inside a .docx, once decompressed
MAX_ZIP_ENTRIES = 2000
MAX_TURNS = 2000  # as TranscriptIn
MAX_TURN_CHARS = 20000  # as TurnIn.text (LongText)
MAX_SPEAKER_CHARS = 200  # as TurnIn.speaker_name (Text200)
MAX_OFFSET = 86400  # as TurnIn.offset_seconds
MAX_CUES = 20000  # some 11 hours of subtitles; bounds the time webvtt-py takes (~50 µs a cue)
LABEL_CHARS = 80  # a "Speaker:" label is at most this long, or the colon is part of the text

# Separators: subtitle cues are fragments of one flow of speech; a new line in a text file is a
# line break and a blank line (or a new Word paragraph) a new paragraph, as the `paragraphs`
# template filter shows them.
CUE_JOIN = " "
LINE_BREAK = "\n"
PARAGRAPH = "\n\n"


# --- errors and places -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    """A place in the source, described only when an error names it."""

    line: int = 0
    cue: int = 0
    paragraph: int = 0
    table: int = 0
    row: int = 0

    def describe(self) -> str:
        if self.table and self.row:
            return _("Table %(table)d, row %(row)d", table=self.table, row=self.row)
        if self.table:
            return _("Table %(table)d", table=self.table)
        if self.paragraph:
            return _("Paragraph %(number)d", number=self.paragraph)
        if self.line:
            return _("Line %(line)d", line=self.line)
        return _("Cue %(cue)d", cue=self.cue)


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={FIELD: message})


def _refuse_at(where: _Where, problem: str) -> ValidationFailed:
    return _refuse(_("%(where)s: %(problem)s", where=where.describe(), problem=problem))


def _quote(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:59] + "…"


# --- collecting turns --------------------------------------------------------------------------


@dataclass
class _Draft:
    speaker: str
    offset: int | None
    parts: list[str] = field(default_factory=list)
    size: int = 0
    next_separator: str = ""


class _Transcript:
    """Turns as they are read: a speaker starts a turn, text without one continues the last.

    The same speaker twice in a row stays one turn (keeping the first time); a turn that would
    pass MAX_TURN_CHARS goes on in a new turn of the same speaker; a speaker who says nothing
    is dropped."""

    def __init__(self) -> None:
        self._drafts: list[_Draft] = []

    def speaker(self, name: str, offset: int | None, where: _Where, *, same_speaker_joins: str) -> None:
        name = _squash(name)
        if len(name) > MAX_SPEAKER_CHARS:
            raise _refuse_at(where, _("the speaker's name is longer than %(limit)d characters.",
                                      limit=MAX_SPEAKER_CHARS))
        last = self._drafts[-1] if self._drafts else None
        if last is not None and not last.parts:
            self._drafts[-1] = _Draft(name, offset)
        elif last is not None and last.speaker == name and name:
            last.next_separator = same_speaker_joins
        else:
            self._start(_Draft(name, offset), where)

    def text(self, text: str, separator: str, where: _Where, offset: int | None = None) -> None:
        text = _squash(text)
        if not text:
            return
        if len(text) > MAX_TURN_CHARS:
            raise _refuse_at(where, _("this passage is longer than %(limit)d characters; "
                                      "split it into shorter paragraphs.", limit=MAX_TURN_CHARS))
        if not self._drafts:
            self._start(_Draft("", offset), where)
        draft = self._drafts[-1]
        if draft.parts:
            separator = draft.next_separator or separator
            if draft.size + len(separator) + len(text) > MAX_TURN_CHARS:
                draft = self._start(_Draft(draft.speaker, offset), where)
            else:
                draft.parts.append(separator)
                draft.size += len(separator)
        draft.next_separator = ""
        draft.parts.append(text)
        draft.size += len(text)

    def has_turn(self) -> bool:
        return bool(self._drafts)

    def _start(self, draft: _Draft, where: _Where) -> _Draft:
        if len(self._drafts) >= MAX_TURNS:
            raise _refuse_at(where, _("a transcript has at most %(limit)d turns; split it into "
                                      "several files.", limit=MAX_TURNS))
        self._drafts.append(draft)
        return draft

    def turns(self) -> list[ImportedTurn]:
        turns = [
            ImportedTurn(_nfc(d.speaker), _nfc("".join(d.parts)), d.offset)
            for d in self._drafts if d.parts
        ]
        if not turns:
            raise _refuse(_("No transcript text was found in this file."))
        return turns


_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")


def _squash(value: str) -> str:
    """One line of text: control characters and stray byte-order marks dropped, every run of
    white space (tabs, line breaks inside a piece) made one space."""
    return " ".join(_INVISIBLE.sub("", value).split())


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


# --- speakers and time codes -------------------------------------------------------------------

_SENTENCE_PUNCTUATION = re.compile(r"[!?;…\"“”«»]|\.(?=\s|$)")
# Words that open a sentence ending in a colon ("Thứ nhất: ...", "Cụ thể như sau: ..."),
# compared folded, word by word.
_NOT_SPEAKERS = tuple(tuple(words.split()) for words in (
    "thu nhat", "thu hai", "thu ba", "thu tu", "thu nam", "thu sau", "thu bay", "thu tam",
    "thu chin", "thu muoi", "mot la", "hai la", "ba la", "bon la", "nam la", "vi du", "cu the",
    "luu y", "chu y", "tom lai", "ghi chu", "vi vay", "do do", "tuy nhien", "ngoai ra", "theo do",
    "trong do", "dac biet", "tiep theo", "sau do", "note", "for example", "first", "second",
    "third", "finally",
))
_NOT_SPEAKER_ENDINGS = (("nhu", "sau"), ("sau", "day"), ("la",))


def _looks_like_a_name(label: str) -> bool:
    """A label such as "Bộ trưởng Trần Văn Sơn" or "Nguyễn Thanh Lâm, Thứ trưởng Bộ Thông tin
    và Truyền thông", not the start of a sentence that happens to have a colon."""
    parts = [part.strip() for part in label.split(",")]
    if not all(part and (part[0].isupper() or part[0].isdigit()) for part in parts):
        return False
    if not label[0].isupper():
        return False
    folded = fold(label).replace(",", " ").split()
    if any(tuple(folded[:len(p)]) == p for p in _NOT_SPEAKERS):
        return False
    if any(tuple(folded[-len(p):]) == p for p in _NOT_SPEAKER_ENDINGS):
        return False
    words = [word for word in label.replace(",", " ").split() if word[0].isalpha()]
    capitalised = sum(1 for word in words if word[0].isupper())
    # Names and titles are mostly capitalised words; a short label ("Phóng viên") may not be.
    return len(words) <= 4 or capitalised * 5 >= len(words) * 2


def _speaker_label(text: str, start: int = 0, bold: list[bool] | None = None) -> tuple[str, int] | None:
    """The speaker named by "Name: ..." at ``text[start:]`` and where the words after the colon
    begin, or None. A label that is bold in a Word document needs only to be short and free of
    sentence punctuation; otherwise it must also look like a name."""
    colon = text.find(":", start, start + LABEL_CHARS + 40)
    if colon <= start or (colon + 1 < len(text) and not text[colon + 1].isspace()):
        return None
    label = " ".join(text[start:colon].split())
    if not label or len(label) > LABEL_CHARS or _SENTENCE_PUNCTUATION.search(label):
        return None
    if not any(ch.isalpha() for ch in label):
        return None
    strong = bold is not None and all(
        i < len(bold) and bold[i] for i in range(start, colon) if not text[i].isspace()
    )
    if not strong and not _looks_like_a_name(label):
        return None
    return label, colon + 1


_BRACKET_TIME = re.compile(r"\[\s*((?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*\]")
_BARE_TIME = re.compile(r"(\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)(?=\s|$)")
_CELL_TIME = re.compile(r"\[?\s*((?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*\]?")
_AFTER_TIME = re.compile(r"\s*(?:[-–—]\s+)?")


def _seconds(value: str, where: _Where) -> int:
    """"0:12:05", "12:05" or "00:12:05.250" in whole seconds (the fraction dropped)."""
    fields = [int(part) for part in re.split(r"[.,]", value)[0].split(":")]
    hours, minutes, seconds = ([0] * (3 - len(fields)) + fields)[-3:]
    if minutes > 59 or seconds > 59:
        raise _refuse_at(where, _("“%(value)s” is not a valid time code.", value=value))
    total = hours * 3600 + minutes * 60 + seconds
    if total > MAX_OFFSET:
        raise _refuse_at(where, _("the time %(value)s is more than 24 hours into the recording.",
                                  value=value))
    return total


def _leading_time(text: str, where: _Where) -> tuple[int | None, int]:
    """The time code opening a line ("[0:12:05]", "00:12:05") in seconds and where the rest
    of the line begins."""
    start = len(text) - len(text.lstrip())
    match = _BRACKET_TIME.match(text, start) or _BARE_TIME.match(text, start)
    if match is None:
        return None, 0
    after = _AFTER_TIME.match(text, match.end())
    return _seconds(match.group(1), where), after.end() if after else match.end()


class _LineReader:
    """"Speaker: text" lines with an optional leading time code, as in a plain-text file or the
    paragraphs of a Word document. A line without a speaker continues the last turn; a time
    code alone on a line belongs to the next line."""

    def __init__(self, transcript: _Transcript) -> None:
        self.transcript = transcript
        self.pending_offset: int | None = None

    def feed(self, line: str, separator: str, where: _Where, bold: list[bool] | None = None) -> None:
        offset, start = _leading_time(line, where)
        if offset is not None and not line[start:].strip():
            self.pending_offset = offset
            return
        if offset is None:
            offset, self.pending_offset = self.pending_offset, None
        else:
            self.pending_offset = None
        label = _speaker_label(line, start, bold)
        if label is not None:
            name, start = label
            self.transcript.speaker(name, offset, where, same_speaker_joins=PARAGRAPH)
        self.transcript.text(line[start:], separator, where, offset)


# --- text files --------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_BINARY = (
    (b"PK\x03\x04", "ZIP"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC"),
)  # other binary files fail as not UTF-8 or for their NUL bytes


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16/UTF-32 with one. Nothing is guessed:
    Vietnamese files in legacy encodings (Windows-1258, TCVN3, VNI) decode without error in
    the wrong one too, and would show as garbled text rather than be refused."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise _refuse(_("The file says it is %(encoding)s but its text cannot be read as "
                                "%(encoding)s.", encoding=name)) from None
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise _refuse_at(_Where(line=line), _(
                "the text is not UTF-8. Save the file as UTF-8 text (in Notepad: Save as, "
                "Encoding: UTF-8) and try again.")) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise _refuse_at(_Where(line=text.count("\n", 0, nul) + 1), _(
            "the file contains a NUL character, so it is not plain text (UTF-16 without a "
            "byte-order mark?)."))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _text_of(data: bytes, expected: str) -> str:
    for magic, kind in _BINARY:
        if data.startswith(magic):
            if kind == "ZIP" and b"word/document.xml" in data:
                raise _refuse(_("This file looks like %(kind)s: give it the .%(extension)s "
                                "extension.", kind="Word (DOCX)", extension="docx"))
            raise _refuse(_("This file is not text: it looks like a %(kind)s file.", kind=kind))
    text = _decode(data)
    if not text.strip():
        raise _refuse(_("No transcript text was found in this file."))
    found = _subtitle_kind(text.split("\n"))
    if found is not None and found != expected:
        name = "WebVTT" if found == "vtt" else "SubRip (SRT)"
        raise _refuse(_("This file looks like %(kind)s: give it the .%(extension)s extension.",
                        kind=name, extension=found))
    return text


def _parse_plain(text: str) -> list[ImportedTurn]:
    transcript = _Transcript()
    reader = _LineReader(transcript)
    separator = LINE_BREAK
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            separator = PARAGRAPH
            continue
        reader.feed(line, separator, _Where(line=number))
        separator = LINE_BREAK
    return transcript.turns()


# --- subtitles (SRT, WebVTT) -------------------------------------------------------------------

_SRT_STAMP = r"(\d{1,10}):(\d{1,2}):(\d{1,2})[,.](\d{1,9})"
_SRT_TIMING = re.compile(rf"{_SRT_STAMP}\s*-->\s*{_SRT_STAMP}")
_VTT_STAMP = r"(?:(\d{1,10}):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})"
_VTT_TIMING = re.compile(rf"{_VTT_STAMP}\s*-->\s*{_VTT_STAMP}(?=\s|$)")
_TAG = re.compile(r"<[^<>]*>")
_SSA_TAG = re.compile(r"\{\\[^{}]*\}")
_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t\f]([^<>]*)>")


def _subtitle_kind(lines: list[str]) -> str | None:
    """ "vtt" or "srt" when the text begins as that format does, else None."""
    content = [line.strip() for line in lines[:50] if line.strip()]
    if content and re.fullmatch(r"WEBVTT(?:[ \t].*)?", content[0]):
        return "vtt"
    if len(content) > 1 and content[0].isdigit() and _SRT_TIMING.match(content[1]):
        return "srt"
    return None


def _count_cue(cues: list[tuple[int, int]], where: _Where) -> None:
    if len(cues) >= MAX_CUES:
        raise _refuse_at(where, _("a subtitle file has at most %(limit)d cues; split it into "
                                  "several files.", limit=MAX_CUES))


def _srt_cues(lines: list[str]) -> list[tuple[int, int]]:
    """(line number, start in milliseconds) of every cue, in order, after checking the time
    lines webvtt-py would silently skip (a cue lost is speech lost)."""
    if _subtitle_kind(lines) != "srt":
        raise _refuse(_("This file is not SubRip (SRT): it should begin with a cue number and a "
                        "time line such as 00:00:01,000 --> 00:00:04,000."))
    cues: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        if "-->" not in line:
            continue
        previous = lines[index - 1] if index else ""
        where = _Where(line=index + 1)
        if previous.isdigit():
            match = _SRT_TIMING.match(line)
            if match is None:
                raise _refuse_at(where, _("“%(value)s” is not a valid time line; write it like "
                                          "%(example)s.", value=_quote(line),
                                          example="00:01:02,500 --> 00:01:05,000"))
            hours, minutes, seconds, millis = (int(g) for g in match.groups()[:4])
            _count_cue(cues, where)
            cues.append((index + 1, ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis))
        elif not previous:
            raise _refuse_at(where, _("a cue number is missing before this time line."))
    return cues


def _vtt_blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Blocks as webvtt-py splits them: at an empty line, and at a time line that cannot be
    the current block's (yielded with the line number of their first line)."""
    block: list[str] = []
    first = 0
    in_header = True
    for number, line in enumerate(lines, start=1):
        starts_new = bool(block and "-->" in line
                          and (in_header or len(block) > 1 or "-->" in block[0]))
        if (not line or starts_new) and block:
            yield first, block
            block = []
            in_header = False
        if line:
            if not block:
                first = number
            block.append(line)
    if block:
        yield first, block


def _vtt_cues(lines: list[str]) -> list[tuple[int, int]]:
    if _subtitle_kind(lines) != "vtt":
        raise _refuse(_("This file is not WebVTT: its first line should be WEBVTT."))
    cues: list[tuple[int, int]] = []
    for first, block in list(_vtt_blocks(lines))[1:]:
        arrow = next((i for i, line in enumerate(block) if "-->" in line), None)
        if arrow is None and block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        if arrow is None or arrow > 1:
            raise _refuse_at(_Where(line=first), _(
                "text outside a cue; a cue starts with a time line such as 00:00:01.000 --> "
                "00:00:04.000 (is there a blank line inside a cue's text?)."))
        where = _Where(line=first + arrow)
        match = _VTT_TIMING.match(block[arrow])
        groups = match.groups() if match else ()
        if match is None or any(int(groups[i]) > 59 for i in (1, 2, 5, 6)):
            raise _refuse_at(where, _("“%(value)s” is not a valid time line; write it like "
                                      "%(example)s.", value=_quote(block[arrow]),
                                      example="00:01:02.500 --> 00:01:05.000"))
        hours, minutes, seconds = (int(g or 0) for g in groups[:3])
        millis = int(groups[3].ljust(3, "0"))
        _count_cue(cues, where)
        cues.append((first + arrow, ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis))
    return cues


def _parse_subtitles(text: str, kind: str) -> list[ImportedTurn]:
    lines = [line.strip() for line in text.split("\n")]
    cues = _srt_cues(lines) if kind == "srt" else _vtt_cues(lines)
    body = "\n".join(lines).lstrip("\n")
    try:
        captions = webvtt.from_buffer(io.StringIO(body), format=kind).captions
    except Exception:  # the library's own errors and any it did not foresee
        name = "WebVTT" if kind == "vtt" else "SubRip (SRT)"
        raise _refuse(_("This %(kind)s file cannot be read.", kind=name)) from None
    transcript = _Transcript()
    next_cue = 0
    for ordinal, caption in enumerate(captions, start=1):
        start_ms = caption.start_time.in_milliseconds()
        # Captions are the checked cues in order, less the empty ones: find each one's line.
        while next_cue < len(cues) and cues[next_cue][1] != start_ms:
            next_cue += 1
        where = _Where(line=cues[next_cue][0]) if next_cue < len(cues) else _Where(cue=ordinal)
        next_cue += 1
        offset = start_ms // 1000
        if offset > MAX_OFFSET:
            raise _refuse_at(where, _("the time %(value)s is more than 24 hours into the "
                                      "recording.", value=caption.start))
        for line in caption.lines:
            _read_cue_line(transcript, line, offset, where)
    return transcript.turns()


def _read_cue_line(transcript: _Transcript, line: str, offset: int, where: _Where) -> None:
    voice = _VOICE.match(line)
    text = html.unescape(_TAG.sub("", _SSA_TAG.sub("", line)))
    speaker = html.unescape(voice.group(1)).strip() if voice else None
    speaker = speaker or None
    if speaker is None:
        label = _speaker_label(text)
        if label is not None:
            speaker, start = label
            text = text[start:]
    if speaker is not None:
        transcript.speaker(speaker, offset, where, same_speaker_joins=CUE_JOIN)
    elif not transcript.has_turn():
        transcript.speaker("", offset, where, same_speaker_joins=CUE_JOIN)
    transcript.text(text, CUE_JOIN, where, offset)


# --- Word documents ----------------------------------------------------------------------------

_HEADER_WORDS = {
    "thoi gian", "time", "gio", "moc thoi gian", "nguoi phat bieu", "nguoi noi", "speaker",
    "ho ten", "ho va ten", "dai bieu", "noi dung", "text", "phat bieu", "y kien", "stt",
}


def _damaged() -> ValidationFailed:
    return _refuse(_("This Word document is damaged or is not a .docx file: open it in Word and "
                     "save it again as .docx."))


def _unpacked_docx(data: bytes) -> bytes:
    """The document as a new ZIP holding its XML parts (checked: at most MAX_UNPACKED_BYTES
    once decompressed, read in bounded chunks so a lying header cannot blow up memory) and
    every other part (pictures, fonts) empty. python-docx reads only this copy."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _refuse(_("Old Word documents (.doc) cannot be read: open the file in Word and save "
                        "it as .docx."))
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse(_("This file is not a Word document (.docx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise _refuse(_("This file is not a Word document (.docx)."))
            if len(infos) > MAX_ZIP_ENTRIES:
                raise _damaged()
            return _copy_parts(archive, infos)
    except ValidationFailed:
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError, NotImplementedError, ...
        raise _damaged() from None


def _copy_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bytes:
    total = 0
    seen: set[str] = set()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in infos:
            if info.is_dir() or info.filename in seen:
                continue
            seen.add(info.filename)
            if not info.filename.lower().endswith((".xml", ".rels")):
                copy.writestr(info.filename, b"")
                continue
            chunks = []
            with archive.open(info) as member:
                while chunk := member.read(64 * 1024):
                    total += len(chunk)
                    if total > MAX_UNPACKED_BYTES:
                        raise _refuse(_("This Word document is too large once unpacked (more "
                                        "than %(limit)d MB of text).",
                                        limit=MAX_UNPACKED_BYTES // (1024 * 1024)))
                    chunks.append(chunk)
            copy.writestr(info.filename, b"".join(chunks))
    return out.getvalue()


def _runs(paragraph: Paragraph) -> Iterator[Run]:
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            yield from item.runs
        else:
            yield item


def _is_heading(paragraph: Paragraph) -> bool:
    style = paragraph.style
    name = (style.name or "").lower() if style is not None else ""
    return name.startswith(("heading", "title", "subtitle"))


def _read_paragraph(reader: _LineReader, paragraph: Paragraph, where: _Where) -> None:
    texts: list[str] = []
    bold: list[bool] = []
    for run in _runs(paragraph):
        text = unicodedata.normalize("NFC", run.text)
        texts.append(text)
        bold += [bool(run.bold)] * len(text)
    text = "".join(texts)
    if not text.strip() or _is_heading(paragraph):
        return
    separator = PARAGRAPH
    position = 0
    for line in text.split("\n"):
        line_bold = bold[position:position + len(line)]
        position += len(line) + 1
        if line.strip():
            reader.feed(line, separator, where, line_bold)
            separator = LINE_BREAK


def _cells(row_cells: tuple[_Cell, ...]) -> list[str]:
    """The row's cell texts, a cell spanning several columns counted once."""
    texts: list[str] = []
    previous: object = None
    for cell in row_cells:
        if cell._tc is not previous:
            texts.append(unicodedata.normalize("NFC", cell.text))
        previous = cell._tc
    return texts


def _read_table(reader: _LineReader, table: Table, number: int) -> None:
    transcript = reader.transcript
    offset: int | None
    for row_number, row in enumerate(table.rows, start=1):
        where = _Where(table=number, row=row_number)
        cells = _cells(row.cells)
        if all(not c.strip() or fold(" ".join(c.split())) in _HEADER_WORDS for c in cells):
            continue
        if len(cells) == 1:
            for paragraph in cells[0].split("\n"):
                reader.feed(paragraph, PARAGRAPH, where)
            continue
        if len(cells) > 3:
            raise _refuse_at(where, _("a transcript table has 2 columns (speaker, text) or 3 "
                                      "(time, speaker, text), not %(count)d.", count=len(cells)))
        time_cell = _CELL_TIME.fullmatch(cells[0].strip())
        if len(cells) == 2 and time_cell is not None:
            offset = _seconds(time_cell.group(1), where)
            for paragraph in cells[1].split("\n"):
                reader.pending_offset = offset
                reader.feed(paragraph, PARAGRAPH, where)
            continue
        offset = None
        if len(cells) == 3:
            if cells[0].strip() and time_cell is None:
                raise _refuse_at(where, _("“%(value)s” is not a valid time code.",
                                          value=_quote(cells[0])))
            offset = _seconds(time_cell.group(1), where) if time_cell else None
        speaker = " ".join(cells[-2].split()).rstrip(":").strip()
        if speaker or not transcript.has_turn():
            transcript.speaker(speaker, offset, where, same_speaker_joins=PARAGRAPH)
        separator = PARAGRAPH
        for paragraph in cells[-1].split("\n"):
            transcript.text(paragraph, separator, where, offset)


def _parse_docx(data: bytes) -> list[ImportedTurn]:
    unpacked = _unpacked_docx(data)
    transcript = _Transcript()
    reader = _LineReader(transcript)
    paragraphs = tables = 0
    try:
        document = docx.Document(io.BytesIO(unpacked))
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                paragraphs += 1
                _read_paragraph(reader, block, _Where(paragraph=paragraphs))
            else:
                tables += 1
                _read_table(reader, block, tables)
    except ValidationFailed:
        raise
    except Exception:  # python-docx and lxml on a damaged or unusual document
        raise _damaged() from None
    return transcript.turns()


# --- the entry point ---------------------------------------------------------------------------


def _format_of(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if extension == "doc":
        raise _refuse(_("Old Word documents (.doc) cannot be read: open the file in Word and save "
                        "it as .docx."))
    if extension not in FORMATS:
        raise _refuse(_("Files of this type cannot be imported: choose a .txt, .srt, .vtt or "
                        ".docx file."))
    return extension


def parse_transcript(filename: str, data: bytes) -> list[ImportedTurn]:
    """The turns of the transcript in ``data``, read as the format ``filename``'s extension
    names (txt, srt, vtt, docx), for a preview; nothing is saved.

    At most MAX_TURNS turns, each at most MAX_TURN_CHARS characters (a longer one goes on in a
    new turn of the same speaker); texts and names NFC-normalised. No side effects.

    Errors: ValidationFailed on the field ``transcript_file`` for an unknown extension, content
    that does not match it, an empty or oversized file, text that is not UTF-8 (or UTF-16/32
    with a byte-order mark), a damaged or oversized Word document, a bad time code, too many
    turns, or a speaker's name over 200 characters; the message names the line, cue,
    paragraph or table row where there is one.
    """
    kind = _format_of(filename)
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(_("The file is larger than %(limit)d MB.", limit=MAX_FILE_BYTES // (1024 * 1024)))
    if kind == "docx":
        return _parse_docx(data)
    text = _text_of(data, kind)
    if kind == "txt":
        return _parse_plain(text)
    return _parse_subtitles(text, kind)
