"""PDFs: Vietnamese text survives extraction, Noto Sans is embedded, the fetcher is locked.

Needs no database. Dates need Settings (PRESSROOM_DEMO_MODE=1 or a secret key). Labels are
rendered in English so the assertions hold whatever the Vietnamese catalogue says.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from pressroom.publishing.documents import (
    AnswerDocument,
    TranscriptDocument,
    TranscriptTurnDocument,
)
from pressroom.publishing.pdf import (
    STATIC_BASE_URL,
    ResourceRefused,
    StaticFileFetcher,
    html_to_pdf,
    render_answer_pdf,
    render_transcript_pdf,
)
from tests.reading import pdf_fonts

# Real text from the seed articles (shared/seeds/002_*.txt).
SPEAKER = "Nguyễn Hồng Sâm"
SPEAKER_TITLE = "Tổng Giám đốc Cổng Thông tin điện tử Chính phủ"
SPOKESPERSON = "Người phát ngôn"
JOURNALIST = "Đặng Thị Thu Hằng"
OUTLET = "Báo điện tử Chính phủ"
STACKED = "Hội nghị đề nghị các đơn vị phục vụ; những vướng mắc; mở rộng; tăng cường; đặt ra"
PARAGRAPHS = [
    "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ Trần Văn Sơn dự và chủ trì Hội nghị. Thứ trưởng"
    " Bộ Thông tin và Truyền thông Nguyễn Thanh Lâm và Tổng Giám đốc Cổng Thông tin điện tử"
    " Chính phủ Nguyễn Hồng Sâm đồng chủ trì Hội nghị.",
    "Phát biểu tại Hội nghị, Ông Trần Văn Sơn nhấn mạnh: Hội nghị là cơ hội để trao đổi, chia"
    " sẻ những kinh nghiệm quý, cách làm hay, cùng nhau nhìn nhận đánh giá những vấn đề còn tồn"
    " tại, hạn chế, thảo luận và đưa ra các giải pháp thiết thực để công tác thông tin truyền"
    " thông phục vụ chỉ đạo điều hành của Chính phủ, Thủ tướng Chính phủ.",
    "Cổng TTĐT của các cơ quan nhà nước có thể giúp các phóng viên báo chí làm việc tốt hơn,"
    " đưa ra các thông tin nguồn, cách thức truyền tải thông tin vừa nhanh nhạy kịp thời, vừa"
    " chính thống. Từ đó, đưa Cổng TTĐT thành phương thức giao tiếp mà sau này người dân có thể"
    " tìm đến đầu tiên.",
]
HOSTILE = (
    '<script>alert(1)</script> <img src="http://evil/x"> <link rel="stylesheet" href="file:///etc/passwd">'
)
# Every Vietnamese letter: 12 vowels × 6 tones, and đ.
ALL_LETTERS = (
    "".join(
        unicodedata.normalize("NFC", base + tone)
        for base in "aăâeêioôơuưy"
        for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    )
    + "đ"
)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 4, day, hour, minute, tzinfo=UTC)


def _answer(**changes: Any) -> AnswerDocument:
    values: dict[str, Any] = {
        "answer_id": 7,
        "question_id": 42,
        "question_title": "Tiến độ triển khai Cổng Thông tin điện tử của các Bộ, ngành",
        "question_text": PARAGRAPHS[0] + "\n\n" + HOSTILE,
        "asker_name": JOURNALIST,
        "outlet_id": 5, "outlet_name": OUTLET,
        "conference_id": 3,
        "conference_title": "Họp báo Chính phủ thường kỳ tháng 4/2025",
        "asked_at": _at(15, 2, 30),
        "unit_name": "Cục Báo chí",
        "ministry_id": 2, "ministry_name": "Bộ Thông tin và Truyền thông",
        "answer_text": PARAGRAPHS[1] + "\n\n" + STACKED + "\n\n" + ALL_LETTERS,
        "approver_name": SPEAKER,
        "approver_title": SPOKESPERSON,
        "approved_at": _at(17, 7, 37),
        "published_at": _at(17, 8),
        "version": 2,
    }
    values.update(changes)
    return AnswerDocument(**values)


def _transcript(turn_count: int) -> TranscriptDocument:
    turns = [
        TranscriptTurnDocument(
            position=i,
            speaker_name=SPEAKER if i % 2 == 0 else JOURNALIST,
            speaker_role=SPEAKER_TITLE if i % 2 == 0 else OUTLET,
            text="\n\n".join(PARAGRAPHS),
            offset_seconds=i * 95,
        )
        for i in range(turn_count)
    ]
    return TranscriptDocument(
        conference_id=3,
        title="Hội nghị trao đổi kinh nghiệm hoạt động Cổng Thông tin điện tử các bộ, ngành",
        host_name="Trần Văn Sơn, Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ",
        starts_at=_at(17, 7),
        ends_at=_at(17, 9, 30),
        venue="Trụ sở Chính phủ, Hà Nội",
        participants=[f"{SPEAKER}, {SPOKESPERSON}", "Nguyễn Thanh Lâm, Thứ trưởng"],
        published_at=_at(18, 1),
        version=1,
        turns=turns,
    )


def _pages_text(pdf: bytes) -> list[str]:
    """Each page's text, NFC, with line breaks and runs of spaces as one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(unicodedata.normalize("NFC", p.extract_text()).split()) for p in reader.pages]


@pytest.fixture(scope="module")
def answer_fetcher() -> StaticFileFetcher:
    return StaticFileFetcher()


@pytest.fixture(scope="module")
def answer_pdf(answer_fetcher: StaticFileFetcher) -> bytes:
    return render_answer_pdf(_answer(), locale="en", fetcher=answer_fetcher)


@pytest.fixture(scope="module")
def transcript_pdf() -> bytes:
    return render_transcript_pdf(_transcript(turn_count=12), locale="en")


def test_answer_pdf_shows_vietnamese_text_exactly(answer_pdf: bytes) -> None:
    text = " ".join(_pages_text(answer_pdf))

    for expected in (
        "Official answer",
        "Tiến độ triển khai Cổng Thông tin điện tử của các Bộ, ngành",
        PARAGRAPHS[0],
        f"{JOURNALIST}, {OUTLET}",
        "Họp báo Chính phủ thường kỳ tháng 4/2025",
        "Cục Báo chí, Bộ Thông tin và Truyền thông",
        PARAGRAPHS[1],
        STACKED,
        ALL_LETTERS,
        f"{SPEAKER}, {SPOKESPERSON}",
        "14:37 17/04/2025",
        "15:00 17/04/2025",
    ):
        assert expected in text


def test_answer_pdf_bold_and_italic_keep_every_vietnamese_letter() -> None:
    pdf = html_to_pdf(f"<p><b>{ALL_LETTERS.upper()}</b></p><p><i>{ALL_LETTERS}</i></p>")

    text = _pages_text(pdf)[0]

    assert ALL_LETTERS.upper() in text
    assert ALL_LETTERS in text


def test_answer_pdf_embeds_only_noto_sans(answer_pdf: bytes) -> None:
    fonts = pdf_fonts(answer_pdf)

    assert set(fonts) == {
        "Noto-Sans",
        "Noto-Sans-Bold",
    }
    assert all(fonts.values())


def test_answer_pdf_hostile_text_is_literal_and_fetches_nothing(
    answer_pdf: bytes, answer_fetcher: StaticFileFetcher
) -> None:
    text = " ".join(_pages_text(answer_pdf))

    assert HOSTILE in text
    assert answer_fetcher.requested == [
        STATIC_BASE_URL + "css/fonts.css",
        STATIC_BASE_URL + "fonts/NotoSans-Regular.woff2",
        STATIC_BASE_URL + "fonts/NotoSans-Bold.woff2",
        STATIC_BASE_URL + "fonts/NotoSans-Italic.woff2",
    ]


def test_answer_pdf_every_page_has_title_date_and_page_number() -> None:
    long_answer = _answer(answer_text="\n\n".join(PARAGRAPHS * 8))

    pages = _pages_text(render_answer_pdf(long_answer, locale="en"))

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Official answer: Tiến độ triển khai Cổng Thông tin điện tử" in text
        assert "Published on 17/04/2025 · Version 2" in text


def test_transcript_pdf_shows_header_and_turns(transcript_pdf: bytes) -> None:
    first = _pages_text(transcript_pdf)[0]

    for expected in (
        "Press conference transcript",
        "Hội nghị trao đổi kinh nghiệm hoạt động Cổng Thông tin điện tử các bộ, ngành",
        "Trần Văn Sơn, Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ",
        "Thursday, 17/04/2025, 14:00–16:30",
        "Trụ sở Chính phủ, Hà Nội",
        f"{SPEAKER}, {SPOKESPERSON}",
        f"00:00 {SPEAKER} {SPEAKER_TITLE}",
        f"01:35 {JOURNALIST} {OUTLET}",
        PARAGRAPHS[0],
    ):
        assert expected in first


def test_transcript_pdf_long_transcript_numbers_every_page(transcript_pdf: bytes) -> None:
    pages = _pages_text(transcript_pdf)
    total = len(pages)

    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Transcript: Hội nghị trao đổi kinh nghiệm" in text
        assert "Published on 18/04/2025 · Version 1" in text
    assert "17:25" in pages[-1]  # the last turn's offset: 11 × 95 s
    assert all(pdf_fonts(transcript_pdf).values())


def test_transcript_pdf_in_vietnamese_has_long_vietnamese_date() -> None:
    pages = _pages_text(render_transcript_pdf(_transcript(turn_count=1), locale="vi"))

    assert "Thứ Năm, 17/04/2025, 14:00–16:30" in pages[0]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x",
        "https://example.com/fonts/NotoSans-Regular.woff2",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://evil.example/" + STATIC_BASE_URL.removeprefix("file:///") + "css/fonts.css",
        STATIC_BASE_URL + "../core/config.py",
        STATIC_BASE_URL + "css/../../core/config.py",
        STATIC_BASE_URL + "css/%2e%2e/%2e%2e/core/config.py",
        STATIC_BASE_URL + "css/fonts.css?v=1",
        STATIC_BASE_URL + "css/missing.css",
        STATIC_BASE_URL + "scss/govuk.scss",
        STATIC_BASE_URL,
        "data:text/css,body{color:red}",
        "data:image/png;base64,iVBORw0KGgo=",
        "static:fonts/NotoSans-Regular.woff2",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url: str) -> None:
    fetcher = StaticFileFetcher()

    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)


def test_fetcher_serves_static_file_with_type() -> None:
    response = StaticFileFetcher().fetch(STATIC_BASE_URL + "css/fonts.css")

    assert response.content_type == "text/css"
    assert b"NotoSans-Regular.woff2" in response.read()


def test_fetcher_refuses_symlink_out_of_root(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    (root / "inside.css").symlink_to(secret)

    with pytest.raises(ResourceRefused):
        StaticFileFetcher(root=root).fetch((root / "inside.css").as_uri())


@pytest.mark.parametrize(
    "html",
    [
        '<img src="http://example.com/x.png">',
        '<link rel="stylesheet" href="https://example.com/x.css">',
        '<img src="file:///etc/passwd">',
        '<img src="../../../../../../etc/passwd">',
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        '<p style="background: url(http://example.com/x.png)">x</p>',
    ],
)
def test_html_to_pdf_fails_on_resource_outside_static(html: str) -> None:
    fetcher = StaticFileFetcher()

    with pytest.raises(ResourceRefused):
        html_to_pdf(html, fetcher=fetcher)
    assert not fetcher.requested[-1].startswith(STATIC_BASE_URL)
