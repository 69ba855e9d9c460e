"""Published documents become PDFs once, off the request path, and are then served as files:
pending page first, the stored file with its hash as ETag after, a 304 for a reader who has it."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta

import time_machine
from sqlmodel import Session, select

from pressroom.conferences import service as conferences
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core import storage
from pressroom.core.clock import now
from pressroom.core.db import get_engine
from pressroom.core.security import LANG_COOKIE
from pressroom.publishing.enums import PdfKind
from pressroom.publishing.models import StoredPdf
from pressroom.publishing.service import PdfWorker, render_pending, render_pending_once
from tests import factories
from tests.reading import pdf_text, wait_for

ANSWER_TEXT = "Trả lời: Bộ đã hoàn thành việc cấp đổi thẻ."


def _stored(session: Session) -> list[tuple[str, int, int]]:
    rows = session.exec(select(StoredPdf).order_by(StoredPdf.id))  # type: ignore[arg-type]
    return [(row.kind, row.object_id, row.version) for row in rows]


def _published_transcript(session: Session, case: factories.Case) -> int:
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                   data=TranscriptIn(turns=[TurnIn(
                                       speaker_name="Nguyễn Hồng Sâm", speaker_role="Người phát ngôn",
                                       text="Bộ sẽ công bố kết quả rà soát trong quý I.",
                                       offset_seconds=125)]))
    conferences.publish_transcript(session, actor=case.spokesperson, conference=conference)
    return conference.id or 0


def test_answer_pdf_is_pending_until_rendered_then_served_with_its_hash(client, session) -> None:
    case = factories.Case(session)
    _question, answer = case.published_answer()
    session.commit()
    client.cookies.set(LANG_COOKIE, "en")

    pending = client.get(f"/answers/{answer.id}/pdf")
    assert pending.status_code == 503
    assert "The PDF is being prepared, try again in a moment." in pending.text
    assert f'href="/answers/{answer.id}"' in pending.text

    assert render_pending(session) == 1
    session.commit()
    assert _stored(session) == [("answer", answer.id, 1)]
    served = client.get(f"/answers/{answer.id}/pdf")
    digest = hashlib.sha256(served.content).hexdigest()
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["etag"] == f'"{digest}"'
    assert served.headers["content-disposition"] == (
        f'inline; filename="tra-loi-{answer.id}-v1.pdf"')
    assert served.headers["cache-control"] == "public, max-age=300"
    assert ANSWER_TEXT in pdf_text(served.content)
    row = session.exec(select(StoredPdf)).one()
    assert (row.sha256, row.size) == (digest, len(served.content))
    assert storage.path_of(row.path).read_bytes() == served.content

    again = client.get(f"/answers/{answer.id}/pdf", headers={"If-None-Match": f'"{digest}"'})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", f'"{digest}"')
    other = client.get(f"/answers/{answer.id}/pdf", headers={"If-None-Match": '"stale"'})
    assert other.content == served.content
    assert render_pending(session) == 0


def test_transcript_pdf_is_rendered_once_and_served(client, session) -> None:
    case = factories.Case(session)
    # 12:00 in Hà Nội: the conference ran from 09:00 to 11:00 that morning.
    with time_machine.travel(datetime(2026, 3, 18, 5, 0, tzinfo=UTC), tick=False):
        conference_id = _published_transcript(session, case)
    session.commit()
    client.cookies.set(LANG_COOKIE, "en")

    pending = client.get(f"/conferences/{conference_id}/transcript/pdf")
    assert pending.status_code == 503
    assert f'href="/conferences/{conference_id}"' in pending.text
    assert render_pending(session) == 1
    assert _stored(session) == [("transcript", conference_id, 1)]
    served = client.get(f"/conferences/{conference_id}/transcript/pdf")
    assert served.headers["content-disposition"] == (
        f'inline; filename="noi-dung-hop-bao-{conference_id}-v1.pdf"')
    assert "Bộ sẽ công bố kết quả rà soát trong quý I." in pdf_text(served.content)
    assert "Thứ Tư, 18/03/2026, 09:00–11:00" in pdf_text(served.content)
    assert render_pending(session) == 0


def test_conference_without_published_transcript_has_no_pdf(client, session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    client.cookies.set(LANG_COOKIE, "en")

    response = client.get(f"/conferences/{conference.id}/transcript/pdf")

    assert response.status_code == 404
    assert "This press conference has no published transcript." in response.text
    assert render_pending(session) == 0


def test_a_stopping_worker_leaves_the_rest_of_its_queue_for_later(committed_database) -> None:
    with Session(get_engine(), expire_on_commit=False) as session:
        case = factories.Case(session)
        case.published_answer()
        _published_transcript(session, case)
        session.commit()
    stopping = threading.Event()
    stopping.set()  # the server is shutting down: no document is started

    assert render_pending_once(stopping) == 0
    assert render_pending_once() == 2  # after the restart


def test_worker_renders_what_was_published_in_its_own_transactions(committed_database) -> None:
    with Session(get_engine(), expire_on_commit=False) as session:
        case = factories.Case(session)
        _question, first = case.published_answer()
        transcript_id = _published_transcript(session, case)
        session.commit()

    assert render_pending_once() == 2
    assert render_pending_once() == 0
    with Session(get_engine(), expire_on_commit=False) as session:
        assert sorted(_stored(session)) == [("answer", first.id, 1), ("transcript", transcript_id, 1)]
        for row in session.exec(select(StoredPdf)):
            data = storage.path_of(row.path).read_bytes()
            assert hashlib.sha256(data).hexdigest() == row.sha256

    worker = PdfWorker(interval=60)
    worker.start()
    try:
        with Session(get_engine(), expire_on_commit=False) as session:
            later = factories.Case(session)
            _q, second = later.published_answer()
            session.commit()
        worker.wake()

        def rendered() -> bool:
            with Session(get_engine()) as check:
                return ("answer", second.id, 1) in _stored(check)

        assert wait_for(rendered), "the woken worker did not render the new answer"
    finally:
        worker.stop()
    assert not worker._thread.is_alive()


def test_worker_skips_a_pdf_another_worker_stored_first(committed_database) -> None:
    with Session(get_engine(), expire_on_commit=False) as session:
        case = factories.Case(session)
        _question, answer = case.published_answer()
        session.commit()
    assert render_pending_once() == 1
    with Session(get_engine(), expire_on_commit=False) as session:
        row = session.exec(select(StoredPdf)).one()
        session.delete(row)
        session.commit()
        # Another worker stores the same version while this one renders: the unique key
        # (kind, object, version) refuses the second row and the worker carries on.
        session.add(StoredPdf(kind=PdfKind.ANSWER, object_id=answer.id or 0, version=1,
                              sha256="0" * 64, path="pdf/answer/other.pdf", size=1))
        session.commit()
    assert render_pending_once() == 0
