"""Public pages (no login): home, conferences, answers, and the published PDFs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from pressroom.conferences.enums import CONFERENCE_STATUS_LABELS
from pressroom.conferences.queries import (
    all_public,
    participants,
    participants_by_conference,
    public_conference,
    recent_public,
    upcoming_public,
)
from pressroom.core import storage
from pressroom.core.deps import PaginationDep, SessionDep, public
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.core.templating import render
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import spokespersons_of, top_level_organizations
from pressroom.publishing.enums import PdfKind
from pressroom.publishing.queries import (
    conference_answers,
    latest_answers,
    public_answer,
    public_transcript,
    stored_pdf,
)

router = APIRouter(include_in_schema=False, dependencies=[public])


def _labels() -> dict[str, str]:
    return {state.value: _(label) for state, label in CONFERENCE_STATUS_LABELS.items()}


def _hosts(session: SessionDep) -> dict[int, Organization]:
    return {o.id or 0: o for o in top_level_organizations(session)}


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    upcoming = upcoming_public(session, limit=5)
    recent = recent_public(session, limit=5)
    return render(request, "publishing/public/home.html", {
        "upcoming": upcoming,
        "recent": recent,
        "answers": latest_answers(session, limit=6),
        "hosts": _hosts(session),
        "labels": _labels(),
    })


@router.get("/conferences")
def conferences(request: Request, session: SessionDep, pagination: PaginationDep) -> Response:
    rows = all_public(session, pagination.size + 1, pagination.offset)
    return render(request, "publishing/public/conferences.html", {
        "conferences": rows[: pagination.size],
        "participants": participants_by_conference(session, [c.id or 0 for c in rows]),
        "hosts": _hosts(session),
        "labels": _labels(),
        "page": pagination.page,
        "has_next": len(rows) > pagination.size,
    })


@router.get("/conferences/{conference_id}")
def conference(request: Request, session: SessionDep, conference_id: int) -> Response:
    item = public_conference(session, conference_id)
    host = session.get(Organization, item.host_organization_id)
    return render(request, "publishing/public/conference.html", {
        "conference": item,
        "host": host,
        "spokespersons": spokespersons_of(session, item.host_organization_id),
        "participants": participants(session, conference_id),
        "transcript": public_transcript(session, conference_id),
        "answers": conference_answers(session, conference_id),
        "labels": _labels(),
    })


@router.get("/answers")
def answers(request: Request, session: SessionDep, pagination: PaginationDep) -> Response:
    rows = latest_answers(session, pagination.size + 1, pagination.offset)
    return render(request, "publishing/public/answers.html", {
        "answers": rows[: pagination.size], "page": pagination.page,
        "has_next": len(rows) > pagination.size})


@router.get("/answers/{answer_id}")
def answer(request: Request, session: SessionDep, answer_id: int) -> Response:
    doc = public_answer(session, answer_id)
    pdf = stored_pdf(session, PdfKind.ANSWER, doc.answer_id, doc.version)
    return render(request, "publishing/public/answer.html", {"doc": doc, "pdf": pdf})


def _pdf_response(request: Request, row: Any, filename: str) -> Response:
    etag = f'"{row.sha256}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return FileResponse(
        storage.path_of(row.path), media_type="application/pdf", filename=filename,
        content_disposition_type="inline",
        headers={"ETag": etag, "Cache-Control": "public, max-age=300"},
    )


def _pending(request: Request) -> Response:
    return render(request, "publishing/public/pdf_pending.html", {}, status=503)


@router.get("/answers/{answer_id}/pdf")
def answer_pdf(request: Request, session: SessionDep, answer_id: int) -> Response:
    doc = public_answer(session, answer_id)
    row = stored_pdf(session, PdfKind.ANSWER, doc.answer_id, doc.version)
    if row is None:
        return _pending(request)
    return _pdf_response(request, row, f"tra-loi-{doc.answer_id}-v{doc.version}.pdf")


@router.get("/conferences/{conference_id}/transcript/pdf")
def transcript_pdf(request: Request, session: SessionDep, conference_id: int) -> Response:
    doc = public_transcript(session, conference_id)
    if doc is None:
        raise NotFound(_("This press conference has no published transcript."))
    row = stored_pdf(session, PdfKind.TRANSCRIPT, conference_id, doc.version)
    if row is None:
        return _pending(request)
    return _pdf_response(request, row, f"noi-dung-hop-bao-{conference_id}-v{doc.version}.pdf")
