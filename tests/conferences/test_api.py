"""The spokesperson's conference API: schedule, edit, announce, hold, cancel, transcript."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.conferences.models import ConferenceParticipant, PressConference, TranscriptTurn
from pressroom.core.clock import now
from pressroom.core.db import get_engine
from pressroom.core.i18n import fmt_datetime
from pressroom.core.i18n import gettext as _
from tests import factories
from tests.factories import bearer

NEXT = now().year + 1  # a date ahead (a conference is scheduled at most two years ahead)

ICT = timezone(timedelta(hours=7))


def aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block (to show that lists avoid N+1 queries)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(get_engine(), "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(get_engine(), "before_cursor_execute", record)


def payload(case: factories.Case, **changes: Any) -> dict[str, Any]:
    return {
        "title": "Họp báo Chính phủ thường kỳ tháng 12",
        "host_organization_id": case.ministry.id,
        "participant_ids": [],
        "starts_at": f"{NEXT}-12-03T16:00:00+07:00",
        "ends_at": f"{NEXT}-12-03T18:00:00+07:00",
        "venue": "Trụ sở Chính phủ, 1 Hoàng Hoa Thám",
        "livestream_url": "https://baochinhphu.vn/truc-tiep",
        "description": "Thông tin về tình hình kinh tế - xã hội.",
        **changes,
    }


def test_create_conference_saves_a_draft_and_returns_it(client, session: Session) -> None:
    case = factories.Case(session)
    guest = factories.ministry(session, name="Bộ Tài chính")

    response = client.post("/api/v1/conferences", headers=bearer(session, case.spokesperson),
                           json=payload(case, participant_ids=[guest.id]))

    assert response.status_code == 201
    body = response.json()
    row = session.get(PressConference, body["id"])
    assert row is not None
    assert body == {
        "id": row.id,
        "title": "Họp báo Chính phủ thường kỳ tháng 12",
        "host_organization_id": case.ministry.id,
        "host_name": case.ministry.name,
        "participant_names": [guest.name],
        "starts_at": body["starts_at"],
        "ends_at": body["ends_at"],
        "venue": "Trụ sở Chính phủ, 1 Hoàng Hoa Thám",
        "livestream_url": "https://baochinhphu.vn/truc-tiep",
        "recording_url": "",
        "description": "Thông tin về tình hình kinh tế - xã hội.",
        "status": "draft",
        "transcript_published_at": None,
        "status_reason": "",
        "postponed_from": None,
        "capacity": None,
        "live_started_at": None,
        "live_ended_at": None,
        "row_version": 1,
    }
    assert aware(body["starts_at"]) == datetime(NEXT, 12, 3, 9, 0, tzinfo=UTC)
    assert aware(body["ends_at"]) == datetime(NEXT, 12, 3, 11, 0, tzinfo=UTC)
    assert (row.status, row.created_by_id, row.starts_at) == (
        "draft", case.spokesperson.id, datetime(NEXT, 12, 3, 16, 0, tzinfo=ICT))
    assert session.exec(select(ConferenceParticipant.organization_id).where(
        ConferenceParticipant.conference_id == row.id)).all() == [guest.id]


def test_create_conference_keeps_vietnamese_text_in_nfc(client, session: Session) -> None:
    case = factories.Case(session)
    title = unicodedata.normalize("NFD", "Họp báo của Bộ trưởng Đặng Quốc Khánh")

    response = client.post("/api/v1/conferences", headers=bearer(session, case.spokesperson),
                           json=payload(case, title=f"  {title}  "))

    assert response.status_code == 201
    assert response.json()["title"] == "Họp báo của Bộ trưởng Đặng Quốc Khánh"
    assert unicodedata.is_normalized("NFC", response.json()["title"])
    row = session.get(PressConference, response.json()["id"])
    assert row is not None and row.title == "Họp báo của Bộ trưởng Đặng Quốc Khánh"


@pytest.mark.parametrize(("changes", "loc", "kind"), [
    ({"title": ""}, ["body", "title"], "too_short"),
    ({"title": "   "}, ["body", "title"], "too_short"),
    ({"title": "Đ" * 301}, ["body", "title"], "too_long"),
    ({"starts_at": f"{NEXT}-12-03T16:00:00"}, ["body", "starts_at"], "value_error"),
    ({"ends_at": f"{NEXT}-12-03T15:00:00+07:00"}, ["body"], "value_error"),
    ({"livestream_url": "javascript:alert(1)"}, ["body", "livestream_url"], "value_error"),
], ids=["empty-title", "blank-title", "title-over-300", "naive-datetime", "ends-before-start",
        "bad-url"])
def test_create_conference_with_a_bad_body_is_422_with_details(
    client, session: Session, changes: dict[str, Any], loc: list[str], kind: str
) -> None:
    case = factories.Case(session)

    response = client.post("/api/v1/conferences", headers=bearer(session, case.spokesperson),
                           json=payload(case, **changes))

    assert response.status_code == 422
    assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [(loc, kind)]
    assert session.exec(select(PressConference)).all() == []


def test_create_conference_for_another_ministry_is_422_naming_the_field(
    client, session: Session
) -> None:
    case = factories.Case(session)
    elsewhere = factories.ministry(session, name="Bộ Y tế")

    response = client.post("/api/v1/conferences", headers=bearer(session, case.spokesperson),
                           json=payload(case, host_organization_id=elsewhere.id))

    assert response.status_code == 422
    assert response.json() == {
        "detail": _("Please correct the highlighted fields."),
        "errors": {"host_organization_id": _("Choose an organisation you speak for.")},
    }


def test_create_conference_needs_a_token_and_the_spokesperson_role(client, session: Session
                                                                    ) -> None:
    case = factories.Case(session)

    assert client.post("/api/v1/conferences", json=payload(case)).status_code == 401
    response = client.post("/api/v1/conferences", headers=bearer(session, case.journalist),
                           json=payload(case))
    assert response.status_code == 403
    assert response.json() == {"detail": _("Your role does not allow this.")}
    assert session.exec(select(PressConference)).all() == []


def test_staff_list_shows_only_conferences_in_the_spokespersons_scope(client, session: Session
                                                                      ) -> None:
    case = factories.Case(session)
    ours = factories.conference(session, case.spokesperson, case.ministry, announce=False,
                                title="Họp báo của chúng tôi")
    elsewhere = factories.ministry(session, name="Bộ Y tế")
    other = factories.user(session, Role.SPOKESPERSON, org_id=elsewhere.id)
    factories.conference(session, other, elsewhere, title="Họp báo bộ khác")

    response = client.get("/api/v1/staff/conferences", headers=bearer(session, case.spokesperson))

    assert response.status_code == 200
    assert [(c["id"], c["title"], c["status"], c["host_name"]) for c in response.json()] == [
        (ours.id, "Họp báo của chúng tôi", "draft", case.ministry.name)]


def test_update_conference_changes_its_details(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)

    response = client.put(f"/api/v1/conferences/{conference.id}",
                          headers=bearer(session, case.spokesperson),
                          json=payload(case, venue="Hội trường Bộ, 18 Nguyễn Du"))

    assert response.status_code == 200
    assert (response.json()["venue"], response.json()["status"]) == (
        "Hội trường Bộ, 18 Nguyễn Du", "announced")
    session.refresh(conference)
    assert conference.venue == "Hội trường Bộ, 18 Nguyễn Du"
    assert conference.title == "Họp báo Chính phủ thường kỳ tháng 12"


def test_another_ministrys_spokesperson_gets_404(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    other = bearer(session, factories.user(session, Role.SPOKESPERSON))

    assert client.put(f"/api/v1/conferences/{conference.id}", headers=other,
                      json=payload(case)).status_code == 404
    response = client.post(f"/api/v1/conferences/{conference.id}/announce", headers=other)
    assert response.status_code == 404
    assert response.json() == {"detail": _("Press conference not found.")}
    session.refresh(conference)
    assert conference.status == "draft"


def test_announce_makes_a_draft_public_once(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    headers = bearer(session, case.spokesperson)
    assert client.get(f"/api/v1/conferences/{conference.id}").status_code == 404

    response = client.post(f"/api/v1/conferences/{conference.id}/announce", headers=headers)

    assert response.status_code == 200
    assert response.json()["status"] == "announced"
    assert client.get(f"/api/v1/conferences/{conference.id}").status_code == 200
    again = client.post(f"/api/v1/conferences/{conference.id}/announce", headers=headers)
    assert again.status_code == 409
    assert again.json() == {
        "detail": _("This action is not possible for this press conference now.") + " " + _(
            "It is announced: change it, postpone it, cancel it, go live from an hour before it "
            "starts or, once it has started, record it as held.")}


def test_held_is_refused_before_the_start_and_accepted_after(client, session: Session) -> None:
    case = factories.Case(session)
    future = factories.conference(session, case.spokesperson, case.ministry)
    started = factories.conference(session, case.spokesperson, case.ministry,
                                   starts_at=now() - timedelta(hours=1))
    headers = bearer(session, case.spokesperson)

    early = client.post(f"/api/v1/conferences/{future.id}/held", headers=headers)
    done = client.post(f"/api/v1/conferences/{started.id}/held", headers=headers)

    assert early.status_code == 409
    assert early.json() == {"detail": _(
        "A press conference cannot be recorded as held before it starts (%(time)s).",
        time=fmt_datetime(future.starts_at))}
    assert done.status_code == 200
    assert done.json()["status"] == "held"
    session.refresh(started)
    assert started.status == "held"


def test_cancel_is_final(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    headers = bearer(session, case.spokesperson)

    response = client.post(f"/api/v1/conferences/{conference.id}/cancel", headers=headers,
                           json={"reason": "Lãnh đạo Bộ có lịch công tác đột xuất."})

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert client.post(f"/api/v1/conferences/{conference.id}/announce",
                       headers=headers).status_code == 409
    assert client.put(f"/api/v1/conferences/{conference.id}", headers=headers,
                      json=payload(case)).status_code == 409


TURNS = {"turns": [
    {"speaker_name": "Nguyễn Hồng Sâm", "speaker_role": "Người phát ngôn",
     "text": "Xin chào các nhà báo.", "offset_seconds": 0},
    {"speaker_name": "Đặng Thu Hà", "text": "Xin hỏi về tiến độ cấp thẻ nhà báo.",
     "offset_seconds": 95},
]}


def test_transcript_is_saved_then_published(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=1))
    headers = bearer(session, case.spokesperson)
    base = f"/api/v1/conferences/{conference.id}"
    assert client.put(f"{base}/transcript", headers=headers, json=TURNS).status_code == 409
    assert client.post(f"{base}/held", headers=headers).status_code == 200

    saved = client.put(f"{base}/transcript", headers=headers, json=TURNS)
    published = client.post(f"{base}/transcript/publish", headers=headers)

    assert saved.status_code == 200
    assert saved.json() == [
        {"position": 1, "speaker_name": "Nguyễn Hồng Sâm", "speaker_role": "Người phát ngôn",
         "text": "Xin chào các nhà báo.", "offset_seconds": 0, "question_id": None},
        {"position": 2, "speaker_name": "Đặng Thu Hà", "speaker_role": "",
         "text": "Xin hỏi về tiến độ cấp thẻ nhà báo.", "offset_seconds": 95,
         "question_id": None},
    ]
    assert published.status_code == 200
    assert published.json()["status"] == "transcript_published"
    assert aware(published.json()["transcript_published_at"]) <= now()
    session.refresh(conference)
    assert (conference.status, conference.transcript_version) == ("transcript_published", 1)
    assert session.exec(select(TranscriptTurn.speaker_name).where(
        TranscriptTurn.conference_id == conference.id).order_by(col(TranscriptTurn.position))
    ).all() == ["Nguyễn Hồng Sâm", "Đặng Thu Hà"]
    assert client.put(f"{base}/transcript", headers=headers, json=TURNS).status_code == 409


def test_publishing_an_empty_transcript_is_409(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=1))
    headers = bearer(session, case.spokesperson)
    client.post(f"/api/v1/conferences/{conference.id}/held", headers=headers)

    response = client.post(f"/api/v1/conferences/{conference.id}/transcript/publish",
                           headers=headers)

    assert response.status_code == 409
    assert response.json() == {"detail": _("Enter the transcript before publishing it.")}


@pytest.mark.parametrize(("body", "loc"), [
    ({"turns": []}, ["body", "turns"]),
    ({"turns": [{"speaker_name": "", "text": "Nội dung"}]}, ["body", "turns", 0, "speaker_name"]),
    ({"turns": [{"speaker_name": "Ông A", "text": "Nội dung", "offset_seconds": -1}]},
     ["body", "turns", 0, "offset_seconds"]),
], ids=["no-turns", "no-speaker", "negative-offset"])
def test_transcript_with_a_bad_body_is_422(client, session: Session, body: dict[str, Any],
                                           loc: list[Any]) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=1))

    response = client.put(f"/api/v1/conferences/{conference.id}/transcript",
                          headers=bearer(session, case.spokesperson), json=body)

    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [loc]


def test_officer_cannot_write_a_transcript(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=1))

    response = client.put(f"/api/v1/conferences/{conference.id}/transcript",
                          headers=bearer(session, case.officer), json=TURNS)

    assert response.status_code == 403


def test_conference_lists_take_the_same_queries_however_long(client, session: Session) -> None:
    case = factories.Case(session)
    guests = [factories.ministry(session, name=f"Bộ khách {i}") for i in range(3)]
    data = payload(case, participant_ids=[g.id for g in guests])
    headers = bearer(session, case.spokesperson)

    def schedule() -> None:
        created = client.post("/api/v1/conferences", headers=headers, json=data).json()
        client.post(f"/api/v1/conferences/{created['id']}/announce", headers=headers)

    schedule()
    with statements() as few:
        assert len(client.get("/api/v1/staff/conferences", headers=headers).json()) == 1
        assert len(client.get("/api/v1/conferences").json()) == 1
    for _i in range(4):
        schedule()

    with statements() as many:
        staff = client.get("/api/v1/staff/conferences", headers=headers).json()
        assert len(client.get("/api/v1/conferences").json()) == 5

    assert len(many) == len(few)
    assert {tuple(c["participant_names"]) for c in staff} == {tuple(g.name for g in guests)}
