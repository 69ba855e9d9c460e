"""The live questions' JSON API: the public board, a journalist asking and voting, the
moderator's queue and moves (with If-Match), deferral to writing; and the transcript's
versions."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.conferences import service as conferences
from pressroom.conferences.enums import LiveQuestionStatus
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.core.i18n import gettext as _
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Question
from tests import factories
from tests.conferences.test_live import Live
from tests.factories import bearer

ASKED = "Xin cho biết tỷ lệ giải ngân vốn đầu tư công đến hết tháng 11 <năm 2026>?"


def test_a_journalist_asks_and_the_board_shows_it_once_approved(client, session: Session) -> None:
    live = Live(session)
    earlier = live.ask("Câu hỏi đã được duyệt trước đó về giá điện?")
    live.move(earlier, "approve")  # first in the queue: the moved one is answered, not it
    other = Live(session)  # another conference's question
    other.move(other.ask("Câu hỏi ở cuộc họp báo khác?"), "approve")
    session.commit()
    base = f"/api/v1/conferences/{live.conference.id}/live-questions"
    journalist = bearer(session, live.case.journalist)

    sent = client.post(base, headers=journalist, json={"body": f"  {ASKED}  "})
    board_before = client.get(base).json()
    mine = client.get(f"{base}/mine", headers=journalist).json()
    question_id = sent.json()["id"]
    version = sent.json()["row_version"]
    approved = client.post(f"/api/v1/live-questions/{question_id}/moderation",
                           headers={**bearer(session, live.case.spokesperson),
                                    "If-Match": f'"{version}"'},
                           json={"action": "approve"})
    board_after = client.get(base).json()

    assert sent.status_code == 201
    assert {k: sent.json()[k] for k in ("body", "status", "asker_name", "votes")} == {
        "body": ASKED, "status": "pending", "asker_name": live.case.journalist.full_name,
        "votes": 0}
    assert [q["id"] for q in board_before] == [earlier.id]  # the new one waits: not public
    assert [q["id"] for q in mine] == [question_id, earlier.id]  # waiting first; not the other
    assert approved.status_code == 200
    assert (approved.json()["id"], approved.json()["body"]) == (question_id, ASKED)
    assert (approved.json()["status"], approved.headers["etag"]) == ("approved",
                                                                      f'"{version + 1}"')
    assert [(q["id"], q["status"], q["body"]) for q in board_after] == [
        (earlier.id, "approved", "Câu hỏi đã được duyệt trước đó về giá điện?"),
        (question_id, "approved", ASKED)]


def test_a_stale_move_is_412_and_changes_nothing(client, session: Session) -> None:
    live = Live(session)
    asked = live.ask(ASKED)
    session.commit()
    seen = asked.row_version
    live.move(asked, "approve")  # another moderator, meanwhile
    session.commit()

    stale = client.post(f"/api/v1/live-questions/{asked.id}/moderation",
                        headers={**bearer(session, live.case.spokesperson),
                                 "If-Match": f'"{seen}"'},
                        json={"action": "decline"})

    assert stale.status_code == 412
    session.refresh(asked)
    assert asked.status == LiveQuestionStatus.APPROVED


def test_a_move_not_possible_now_is_409_and_an_unknown_one_422(client, session: Session) -> None:
    live = Live(session)
    asked = live.ask(ASKED)
    session.commit()
    headers = {**bearer(session, live.case.spokesperson), "If-Match": f'"{asked.row_version}"'}

    screen = client.post(f"/api/v1/live-questions/{asked.id}/moderation", headers=headers,
                         json={"action": "screen"})  # not approved yet
    unknown = client.post(f"/api/v1/live-questions/{asked.id}/moderation", headers=headers,
                          json={"action": "delete"})

    assert screen.status_code == 409
    assert screen.json()["detail"] == ("Câu hỏi này hiện ở trạng thái “Chờ duyệt”: hãy tải lại "
                                       "danh sách để xem có thể làm gì.")
    assert unknown.status_code == 422


def test_only_accredited_journalists_ask_and_vote(client, session: Session) -> None:
    live = Live(session)
    asked = live.ask(ASKED)
    live.move(asked, "approve")
    stranger = factories.user(session, Role.JOURNALIST)
    session.commit()
    base = f"/api/v1/conferences/{live.conference.id}/live-questions"

    refused = client.post(base, headers=bearer(session, stranger), json={"body": "Xin hỏi?"})
    vote_refused = client.post(f"/api/v1/live-questions/{asked.id}/vote",
                               headers=bearer(session, stranger))
    anonymous = client.post(base, json={"body": "Xin hỏi?"})
    officer = client.post(base, headers=bearer(session, live.case.officer),
                          json={"body": "Xin hỏi?"})

    assert (refused.status_code, vote_refused.status_code) == (403, 403)
    assert refused.json()["detail"] == _("Only journalists accredited to this press conference "
                                         "ask live questions.")
    assert (anonymous.status_code, officer.status_code) == (401, 403)


def test_one_vote_per_journalist(client, session: Session) -> None:
    live = Live(session)
    asked = live.ask(ASKED)
    live.move(asked, "approve")
    session.commit()
    headers = bearer(session, live.other)

    first = client.post(f"/api/v1/live-questions/{asked.id}/vote", headers=headers)
    again = client.post(f"/api/v1/live-questions/{asked.id}/vote", headers=headers)
    own = client.post(f"/api/v1/live-questions/{asked.id}/vote",
                      headers=bearer(session, live.case.journalist))

    assert (first.json()["votes"], first.headers["x-vote-counted"]) == (1, "true")
    assert (again.json()["votes"], again.headers["x-vote-counted"]) == (1, "false")
    assert own.status_code == 409


def test_an_empty_or_too_fast_question_is_422_with_the_reason(client, session: Session,
                                                             configure) -> None:  # type: ignore[no-untyped-def]
    configure(live_questions_per_minute=1)
    live = Live(session)
    session.commit()
    base = f"/api/v1/conferences/{live.conference.id}/live-questions"
    headers = bearer(session, live.case.journalist)

    empty = client.post(base, headers=headers, json={"body": "   "})
    first = client.post(base, headers=headers, json={"body": ASKED})
    second = client.post(base, headers=headers, json={"body": "Câu hỏi thứ hai?"})

    assert empty.status_code == 422
    assert empty.json()["errors"] == {"body": "Câu hỏi: hãy viết câu hỏi của bạn."}
    assert first.status_code == 201
    assert second.status_code == 422
    assert second.json()["errors"]["body"].startswith(
        "Câu hỏi: bạn đã gửi 1 câu hỏi trong một phút qua; hãy gửi câu tiếp theo sau ")


def test_the_queue_and_moves_are_for_the_hosts_press_office_only(client, session: Session) -> None:
    live = Live(session)
    asked = live.ask(ASKED)
    session.commit()
    finance = factories.ministry(session, name="Bộ Tài chính")
    foreign_spokesperson = factories.user(session, Role.SPOKESPERSON, org_id=finance.id)
    session.commit()
    queue_url = f"/api/v1/staff/conferences/{live.conference.id}/live-questions"

    own = client.get(queue_url, headers=bearer(session, live.case.spokesperson))
    foreign = client.get(queue_url, headers=bearer(session, foreign_spokesperson))
    foreign_move = client.post(f"/api/v1/live-questions/{asked.id}/moderation",
                               headers={**bearer(session, foreign_spokesperson),
                                        "If-Match": '"1"'},
                               json={"action": "approve"})
    journalist = client.get(queue_url, headers=bearer(session, live.case.journalist))

    assert [(q["id"], q["status"]) for q in own.json()] == [(asked.id, "pending")]
    assert (foreign.status_code, foreign_move.status_code, journalist.status_code) == (
        404, 404, 403)
    assert foreign_move.json()["detail"] == "Không tìm thấy câu hỏi trực tiếp."


def test_deferral_makes_an_assigned_written_question(client, session: Session) -> None:
    live = Live(session)
    asked = live.ask(ASKED)
    live.move(asked, "approve")
    session.commit()

    response = client.post(f"/api/v1/live-questions/{asked.id}/defer",
                           headers={**bearer(session, live.case.spokesperson),
                                    "If-Match": f'"{asked.row_version}"'},
                           json={"unit_id": live.case.unit.id})

    assert response.status_code == 201
    written = session.get(Question, response.json()["id"])
    assert written is not None
    assert (written.state, written.body, written.asker_id) == (
        QuestionState.ASSIGNED, ASKED, live.case.journalist.id)
    session.refresh(asked)
    assert (asked.status, asked.question_id) == (LiveQuestionStatus.DEFERRED, written.id)


def test_transcript_versions_list_each_save(client, session: Session) -> None:
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    first = [TurnIn(speaker_name="Nguyễn Thanh Lâm", text="Xin chào.", offset_seconds=0)]
    second = [*first, TurnIn(speaker_name="Đặng Thu Hà", text="Xin hỏi?", offset_seconds=95)]
    for turns, recording in ((first, ""), (second, "https://youtu.be/abc")):
        conferences.replace_transcript(session, actor=case.spokesperson, conference=conference,
                                       data=TranscriptIn(turns=turns, recording_url=recording))
    session.commit()
    url = f"/api/v1/staff/conferences/{conference.id}/transcript/versions"

    versions = client.get(url, headers=bearer(session, case.spokesperson))
    journalist = client.get(url, headers=bearer(session, case.journalist))

    assert [(v["number"], v["saved_by"], v["recording_url"], [t["text"] for t in v["turns"]])
            for v in versions.json()] == [
        (1, case.spokesperson.full_name, "", ["Xin chào."]),
        (2, case.spokesperson.full_name, "https://youtu.be/abc", ["Xin chào.", "Xin hỏi?"])]
    assert versions.json()[1]["turns"][1] == {
        "position": 2, "speaker_name": "Đặng Thu Hà", "speaker_role": "", "text": "Xin hỏi?",
        "offset_seconds": 95, "question_id": None}
    assert journalist.status_code == 403


def test_a_question_not_on_the_board_takes_no_vote(client, session: Session) -> None:
    live = Live(session)
    waiting = live.ask(ASKED)  # not approved: only its asker and the moderators see it
    session.commit()

    vote = client.post(f"/api/v1/live-questions/{waiting.id}/vote",
                       headers=bearer(session, live.other))

    assert (vote.status_code, vote.json()["detail"]) == (404, "Không tìm thấy câu hỏi trực tiếp.")
    session.refresh(waiting)
    assert waiting.votes == 0


def test_a_journalists_own_questions_are_those_of_this_conference(client,
                                                                 session: Session) -> None:
    live = Live(session)
    here = live.ask(ASKED)
    other = factories.conference(session, live.case.spokesperson, live.case.ministry,
                                 title="Họp báo về chuyển đổi số",
                                 starts_at=now() - timedelta(minutes=5))
    registration = conferences.request_accreditation(session, journalist=live.case.journalist,
                                                     conference=other)
    conferences.decide_accreditation(session, actor=live.case.spokesperson,
                                     accreditation=registration, approve=True)
    conferences.go_live(session, actor=live.case.spokesperson, conference=other)
    elsewhere = conferences.ask_live(session, journalist=live.case.journalist, conference=other,
                                     body="Câu hỏi ở họp báo khác?")
    live.ask("Câu hỏi của phóng viên khác?", journalist=live.other)
    session.commit()
    headers = bearer(session, live.case.journalist)

    mine = client.get(f"/api/v1/conferences/{live.conference.id}/live-questions/mine",
                      headers=headers).json()
    mine_there = client.get(f"/api/v1/conferences/{other.id}/live-questions/mine",
                            headers=headers).json()

    assert [q["id"] for q in mine] == [here.id]
    assert [q["id"] for q in mine_there] == [elsewhere.id]
