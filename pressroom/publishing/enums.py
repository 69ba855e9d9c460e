from __future__ import annotations

from enum import StrEnum


class PdfKind(StrEnum):
    TRANSCRIPT = "transcript"
    ANSWER = "answer"
