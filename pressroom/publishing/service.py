"""Rendering published documents to PDF, once, off the request path."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from pressroom.answers.models import Answer
from pressroom.answers.queries import search_entry
from pressroom.conferences.models import PressConference
from pressroom.conferences.queries import search_entries
from pressroom.core import i18n, storage
from pressroom.core.background import Worker
from pressroom.core.db import open_session
from pressroom.publishing import pdf
from pressroom.publishing.documents import AnswerDocument, TranscriptDocument
from pressroom.publishing.enums import PdfKind
from pressroom.publishing.models import StoredPdf
from pressroom.publishing.queries import (
    answers_to_render,
    public_transcript,
    transcripts_without_pdf,
)
from pressroom.search import index
from pressroom.search.models import SearchEntry

log = logging.getLogger(__name__)


def _store(session: Session, kind: PdfKind, object_id: int, version: int, data: bytes) -> StoredPdf:
    relative, digest = storage.save(data, folder=f"pdf/{kind.value}", suffix=".pdf")
    row = StoredPdf(kind=kind, object_id=object_id, version=version, sha256=digest,
                    path=relative, size=len(data))
    session.add(row)
    session.flush()
    return row


Pending = tuple[PdfKind, int, int, AnswerDocument | TranscriptDocument]


def pending_documents(session: Session) -> list[Pending]:
    """Published answers (scheduled ones too) and transcripts whose version has no PDF yet."""
    pending: list[Pending] = [
        (PdfKind.ANSWER, doc.answer_id, doc.version, doc) for doc in answers_to_render(session)
    ]
    for conference_id in transcripts_without_pdf(session):
        transcript = public_transcript(session, conference_id)
        if transcript is not None:
            pending.append((PdfKind.TRANSCRIPT, transcript.conference_id, transcript.edition,
                            transcript))
    return pending


def _render(doc: AnswerDocument | TranscriptDocument) -> bytes:
    i18n.set_locale("vi")
    if isinstance(doc, AnswerDocument):
        return pdf.render_answer_pdf(doc)
    return pdf.render_transcript_pdf(doc)


def render_pending(session: Session) -> int:
    """Renders everything pending within ``session`` (CLI and tests).
    Side effects: writes files to storage and inserts StoredPdf rows. Returns how many."""
    pending = pending_documents(session)
    for kind, object_id, version, doc in pending:
        _store(session, kind, object_id, version, _render(doc))
    return len(pending)


def render_pending_once(stopping: threading.Event | None = None) -> int:
    """The worker's pass: read, render without holding a transaction, then store each PDF in
    a short write; another worker having stored the same one first is not an error. Stops
    between two documents once ``stopping`` is set (a server shutting down does not wait for
    a long queue: the rest is rendered after the restart)."""
    with open_session() as session:
        pending = pending_documents(session)
    stored = 0
    for kind, object_id, version, doc in pending:
        if stopping is not None and stopping.is_set():
            break
        data = _render(doc)
        with open_session(writing=True) as session:
            try:
                _store(session, kind, object_id, version, data)
                session.commit()
                stored += 1
            except IntegrityError:
                session.rollback()
    return stored


class PdfWorker(Worker):
    """Background thread of ``pressroom serve``: renders what was published, every few seconds."""

    name = "pdf-worker"

    def pass_once(self) -> bool:
        render_pending_once(self.stopping)
        return False


def search_sources(session: Session) -> int:
    """How many answers and conferences ``rebuild_search`` reads (for a progress bar)."""
    answers = select(func.count()).select_from(Answer).where(col(Answer.published_at).is_not(None))
    conferences = select(func.count()).select_from(PressConference)
    return int(session.execute(answers).scalar_one() + session.execute(conferences).scalar_one())


def rebuild_search(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Puts every public answer, conference and published transcript in the search index
    again (after an upgrade, or an import that wrote records directly). Returns how many
    entries it holds."""
    session.execute(delete(SearchEntry))
    done = 0
    for answer in session.execute(select(Answer).where(
            col(Answer.published_at).is_not(None)).order_by(col(Answer.id))).scalars():
        entry = search_entry(session, answer)
        if entry is not None:
            index.put(session, [entry])
        done += 1
        if progress is not None:
            progress(done)
    for conference in session.execute(select(PressConference).order_by(
            col(PressConference.id))).scalars():
        index.put(session, search_entries(session, conference))
        done += 1
        if progress is not None:
            progress(done)
    return int(session.execute(select(func.count()).select_from(SearchEntry)).scalar_one())
