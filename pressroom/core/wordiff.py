"""What changed between two versions of a text, word by word, for the public to read."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "delete", "insert"]
_TOKEN = re.compile(r"\s+|\S+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text))


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """``old`` turned into ``new`` as runs of text kept, deleted and inserted, whole words at
    a time (spaces and line breaks kept as they are). Joining the kept and deleted runs gives
    ``old``; the kept and inserted ones give ``new``."""
    a, b = _tokens(old), _tokens(new)
    runs: list[tuple[Op, str]] = []

    def add(op: Op, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if runs and runs[-1][0] == op:
            runs[-1] = (op, runs[-1][1] + text)
        else:
            runs.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:  # replace, delete or insert: what went, then what came
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return runs
