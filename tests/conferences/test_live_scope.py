"""Each live conference keeps to itself: its board, a journalist's registration, its
questions; an unknown question is not found; the moderator's stream sends a visitor to log
in."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.conferences import service as conferences
from pressroom.core.clock import now
from tests import factories
from tests.conferences.test_live import Live
from tests.factories import bearer


def _second_live(session: Session, live: Live):  # type: ignore[no-untyped-def]
    other = factories.conference(session, live.case.spokesperson, live.case.ministry,
                                 title="Họp báo về chuyển đổi số",
                                 starts_at=now() - timedelta(minutes=5))
    conferences.go_live(session, actor=live.case.spokesperson, conference=other)
    return other


def test_a_board_shows_only_its_own_conferences_questions(client, session: Session) -> None:
    live = Live(session)
    here = live.ask("Câu hỏi tại họp báo này?")
    live.move(here, "approve")
    other = _second_live(session, live)
    journalist = factories.user(session, Role.JOURNALIST)
    registration = conferences.request_accreditation(session, journalist=journalist,
                                                     conference=other)
    conferences.decide_accreditation(session, actor=live.case.spokesperson,
                                     accreditation=registration, approve=True)
    there = conferences.ask_live(session, journalist=journalist, conference=other,
                                 body="Câu hỏi tại họp báo khác?")
    conferences.moderate_live(session, actor=live.case.spokesperson, question=there,
                              action="approve")
    session.commit()

    board = client.get(f"/api/v1/conferences/{live.conference.id}/live-questions").json()
    other_board = client.get(f"/api/v1/conferences/{other.id}/live-questions").json()

    assert [q["id"] for q in board] == [here.id]
    assert [q["id"] for q in other_board] == [there.id]


def test_a_registration_is_found_only_for_its_conference(client, session: Session) -> None:
    live = Live(session)  # the journalist is accredited to this one only
    other = _second_live(session, live)
    session.commit()
    headers = bearer(session, live.case.journalist)

    mine = client.get(f"/api/v1/conferences/{live.conference.id}/accreditation", headers=headers)
    elsewhere = client.get(f"/api/v1/conferences/{other.id}/accreditation", headers=headers)

    assert (mine.status_code, mine.json()["status"]) == (200, "approved")
    assert (elsewhere.status_code, elsewhere.json()["detail"]) == (404, "Không tìm thấy đăng ký.")


def test_an_unknown_live_question_is_not_found(client, session: Session) -> None:
    live = Live(session)
    asked = live.ask("Câu hỏi chờ duyệt?")
    session.commit()

    response = client.post(f"/api/v1/live-questions/{(asked.id or 0) + 1000}/moderation",
                           headers=bearer(session, live.case.spokesperson),
                           json={"action": "approve"})

    assert (response.status_code, response.json()["detail"]) == (
        404, "Không tìm thấy câu hỏi trực tiếp.")


def test_the_moderators_stream_asks_a_visitor_to_log_in(client, session: Session) -> None:
    live = Live(session)
    session.commit()

    response = client.get(f"/staff/conferences/{live.conference.id}/live/stream",
                          follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (
        303, f"/login?next=%2Fstaff%2Fconferences%2F{live.conference.id}%2Flive%2Fstream")
