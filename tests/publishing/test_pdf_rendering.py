"""How PDFs are made: every resource goes through the locked fetcher (which says why it refuses
a URL), the Noto Sans faces are embedded, the PDF is tagged for screen readers; the worker
renders in Vietnamese whatever the site's default language, renders every new transcript,
keeps the files as pdf/<kind>/<sha256>.pdf, and polls on its own as a named daemon thread.

Each test that renders asserts on its own PDF (no shared rendered fixture), so that a test
run limited to the tests that call a function still checks what that function does."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

import pressroom
from pressroom.conferences import service as conferences
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core import storage
from pressroom.core.clock import now
from pressroom.core.db import get_engine
from pressroom.core.i18n import translations
from pressroom.publishing.documents import (
    AnswerDocument,
    TranscriptDocument,
    TranscriptTurnDocument,
)
from pressroom.publishing.models import StoredPdf
from pressroom.publishing.pdf import (
    STATIC_BASE_URL,
    STATIC_DIR,
    ResourceRefused,
    StaticFileFetcher,
    html_to_pdf,
    render_answer_pdf,
    render_transcript_pdf,
)
from pressroom.publishing.service import PdfWorker, render_pending
from tests import factories
from tests.reading import pdf_fonts, pdf_text, wait_for

FONT_REQUESTS = [
    STATIC_BASE_URL + "css/fonts.css",
    STATIC_BASE_URL + "fonts/NotoSans-Regular.woff2",
    STATIC_BASE_URL + "fonts/NotoSans-Bold.woff2",
    STATIC_BASE_URL + "fonts/NotoSans-Italic.woff2",
]
AT = datetime(2025, 4, 17, 7, 0, tzinfo=UTC)


def _assert_tagged(pdf: bytes) -> None:
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"].value is True


def _answer_doc() -> AnswerDocument:
    return AnswerDocument(
        answer_id=7, question_id=42, question_title="Về tiến độ cấp đổi thẻ nhà báo",
        question_text="Xin Bộ cho biết tiến độ cấp đổi thẻ nhà báo nhiệm kỳ mới?",
        asker_name="Đặng Thị Thu Hằng", outlet_id=5, outlet_name="Báo điện tử Chính phủ",
        conference_id=None, conference_title=None, asked_at=AT,
        unit_name="Cục Báo chí", ministry_id=2, ministry_name="Bộ Thông tin và Truyền thông",
        answer_text="Bộ đã hoàn thành việc cấp đổi thẻ nhà báo.",
        approver_name="Nguyễn Hồng Sâm", approver_title="Người phát ngôn",
        approved_at=AT, published_at=AT, version=1,
    )


def _transcript_doc() -> TranscriptDocument:
    return TranscriptDocument(
        conference_id=3, title="Họp báo Chính phủ thường kỳ tháng 4/2025",
        host_name="Văn phòng Chính phủ", starts_at=AT, ends_at=AT + timedelta(hours=2),
        venue="Trụ sở Chính phủ, Hà Nội", participants=["Nguyễn Hồng Sâm, Người phát ngôn"],
        published_at=AT, version=1,
        turns=[TranscriptTurnDocument(position=0, speaker_name="Nguyễn Hồng Sâm",
                                      speaker_role="Người phát ngôn",
                                      text="Bộ sẽ công bố kết quả rà soát.", offset_seconds=0)],
    )


# --- rendering: the given fetcher, Noto Sans, tagged PDF --------------------------------

def test_answer_pdf_loads_noto_sans_through_the_given_fetcher_and_is_tagged():
    fetcher = StaticFileFetcher()

    pdf = render_answer_pdf(_answer_doc(), locale="en", fetcher=fetcher)

    assert fetcher.requested == FONT_REQUESTS
    fonts = pdf_fonts(pdf)
    assert set(fonts) <= {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Italic"}
    assert "Noto-Sans" in fonts
    assert all(fonts.values())
    _assert_tagged(pdf)
    assert "Bộ đã hoàn thành việc cấp đổi thẻ nhà báo." in pdf_text(pdf)


def test_transcript_pdf_loads_noto_sans_through_the_given_fetcher_and_is_tagged():
    fetcher = StaticFileFetcher()

    pdf = render_transcript_pdf(_transcript_doc(), locale="en", fetcher=fetcher)

    assert fetcher.requested == FONT_REQUESTS
    assert all(pdf_fonts(pdf).values())
    _assert_tagged(pdf)
    assert "Bộ sẽ công bố kết quả rà soát." in pdf_text(pdf)


def test_html_to_pdf_uses_the_locked_fetcher_by_default_and_says_what_it_refused():
    with pytest.raises(ResourceRefused) as refused:
        html_to_pdf('<p>x</p><img src="file:///etc/passwd">')

    assert str(refused.value) == "not a file under static/: 'file:///etc/passwd'"


def test_pdfs_render_on_a_server_with_a_plain_ascii_locale():
    """The print style sheet is UTF-8 whatever the server's locale (here C, UTF-8 mode off)."""
    root = Path(pressroom.__file__).resolve().parent.parent
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
           "PYTHONPATH": str(root)}
    script = ("import locale, sys; from pressroom.publishing.pdf import html_to_pdf;"
              "sys.stdout.write(locale.getpreferredencoding(False) + ' ');"
              "sys.stdout.write(html_to_pdf('<p>x</p>')[:5].decode())")

    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=root, capture_output=True,
                          text=True, timeout=120)

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "ANSI_X3.4-1968 %PDF-"


# --- the fetcher: what it serves and why it refuses ---------------------------------------

def test_fetcher_serves_a_static_file_named_with_localhost_under_its_own_url():
    url = "file://localhost" + STATIC_DIR.resolve().as_posix() + "/css/fonts.css"

    response = StaticFileFetcher().fetch(url)

    assert response.url == url
    assert response.content_type == "text/css"
    assert b"NotoSans-Regular.woff2" in response.read()


def test_fetcher_needs_an_existing_root(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        StaticFileFetcher(root=tmp_path / "missing")


LONG = "x" * 300


@pytest.mark.parametrize(("url", "reason", "shown"), [
    ("https://example.com/" + LONG, "only files under static/ may be fetched, not ", 80),
    ("file://evil.example/" + LONG, "not a plain local file URL: ", 200),
    (STATIC_BASE_URL + "css/fonts.css?" + LONG, "not a plain local file URL: ", 200),
    (STATIC_BASE_URL + "css/../" + LONG + ".css", "path escapes static/: ", 200),
    (STATIC_BASE_URL + "css/fonts.css%00" + LONG, "path escapes static/: ", 200),
    (STATIC_BASE_URL + "css/" + "m" * 240 + ".css", "no such file under static/: ", 200),
    (STATIC_BASE_URL + "./" * 120 + "css", "not a file under static/: ", 200),
    (STATIC_BASE_URL + "./" * 120 + "scss/govuk.scss", "file type not served to PDFs: ", 200),
])
def test_fetcher_refusal_says_why_and_quotes_the_start_of_the_url(url: str, reason: str, shown: int):
    assert len(url) > shown + 1

    with pytest.raises(ResourceRefused) as refused:
        StaticFileFetcher().fetch(url)

    assert type(refused.value) is ResourceRefused
    assert str(refused.value) == reason + "'" + url[:shown] + "'"


# --- the worker's rendering ----------------------------------------------------------------

def _published_transcript(session: Session, case: factories.Case, text: str) -> int:
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Hồng Sâm", speaker_role="Người phát ngôn",
                                       text=text, offset_seconds=125)]))
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    return conference.id or 0


def test_worker_renders_each_new_transcript_in_vietnamese_and_keeps_it_by_hash(session, configure):
    configure(default_locale="en")
    case = factories.Case(session)
    first_id = _published_transcript(session, case, "Bộ sẽ công bố kết quả rà soát trong quý I.")
    assert render_pending(session) == 1
    second_id = _published_transcript(session, case, "Bộ sẽ trả lời bằng văn bản.")

    assert render_pending(session) == 1

    rows = list(session.exec(select(StoredPdf).order_by(StoredPdf.id)))  # type: ignore[arg-type]
    assert [(row.kind, row.object_id, row.version) for row in rows] == [
        ("transcript", first_id, 1), ("transcript", second_id, 1)]
    for row in rows:
        assert row.path == f"pdf/transcript/{row.sha256}.pdf"
        assert storage.path_of(row.path).is_file()
    text = pdf_text(storage.path_of(rows[1].path).read_bytes())
    label = translations("vi").ugettext("Press conference transcript")
    assert label != "Press conference transcript"
    assert label in text
    assert "Press conference transcript" not in text
    assert "Bộ sẽ trả lời bằng văn bản." in text


def test_worker_polls_every_two_seconds_by_default():
    assert PdfWorker().interval == 2.0


def _stored_answers() -> list[int]:
    with Session(get_engine()) as check:
        return [row.object_id for row in check.exec(select(StoredPdf))]


def test_worker_is_a_daemon_thread_that_renders_new_answers_unwoken(committed_database):
    with Session(get_engine(), expire_on_commit=False) as session:
        case = factories.Case(session)
        _question, first = case.published_answer()
        session.commit()
    before = set(threading.enumerate())
    worker = PdfWorker(interval=0.1)
    worker.start()
    started = [t for t in threading.enumerate() if t not in before]
    try:
        assert [(t.name, t.daemon) for t in started] == [("pdf-worker", True)]
        assert wait_for(lambda: first.id in _stored_answers()), "the first pass rendered nothing"
        with Session(get_engine(), expire_on_commit=False) as session:
            _q, second = factories.Case(session).published_answer()
            session.commit()
        # Not woken: the next pass comes on the worker's own interval.
        assert wait_for(lambda: second.id in _stored_answers()), "no later pass came"
    finally:
        worker.stop()
    assert not any(t.is_alive() for t in started)
