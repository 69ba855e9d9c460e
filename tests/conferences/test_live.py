"""Live questions: asked by accredited journalists while a conference is live, moderated,
shown on the board and the presenter screen, voted on, deferred to writing; and the wake-ups
that make the live pages update themselves (in-process, PostgreSQL LISTEN/NOTIFY, Redis)."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from pressroom.accounts import service as accounts
from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.conferences import service as conferences
from pressroom.conferences.enums import LiveQuestionStatus
from pressroom.conferences.models import LiveQuestion, PressConference
from pressroom.core import broadcast
from pressroom.core.clock import now
from pressroom.core.db import get_engine, open_session
from pressroom.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pressroom.core.security import CSRF_COOKIE, SESSION_COOKIE, csrf_token_for
from pressroom.main import create_app
from pressroom.questions import service as questions
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Assignment
from tests import factories
from tests.conftest import IS_POSTGRES, post_form


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


class Live:
    """A live conference of a ministry with two accredited journalists."""

    def __init__(self, session: Session) -> None:
        self.case = factories.Case(session)
        self.conference = factories.conference(
            session, self.case.spokesperson, self.case.ministry,
            title="Họp báo chuyên đề về giải ngân vốn đầu tư công",
            starts_at=now() - timedelta(minutes=10))
        self.other = factories.user(session, Role.JOURNALIST, full_name="Phạm Quang Minh")
        for journalist in (self.case.journalist, self.other):
            registration = conferences.request_accreditation(
                session, journalist=journalist, conference=self.conference)
            conferences.decide_accreditation(session, actor=self.case.spokesperson,
                                             accreditation=registration, approve=True)
        conferences.go_live(session, actor=self.case.spokesperson, conference=self.conference)
        self.session = session

    def ask(self, body: str, journalist=None) -> LiveQuestion:  # type: ignore[no-untyped-def]
        return conferences.ask_live(self.session, journalist=journalist or self.case.journalist,
                                    conference=self.conference, body=body)

    def move(self, question: LiveQuestion, action: str) -> None:
        conferences.moderate_live(self.session, actor=self.case.spokesperson,
                                  question=question, action=action)


def test_only_accredited_journalists_ask_and_only_while_live(session):
    live = Live(session)
    stranger = factories.user(session, Role.JOURNALIST)

    with pytest.raises(PermissionDenied):
        live.ask("Xin hỏi về tiến độ giải ngân?", journalist=stranger)
    asked = live.ask("  Xin hỏi về tiến độ giải ngân vốn đầu tư công năm 2026?  ")
    conferences.end_conference(session, actor=live.case.spokesperson, conference=live.conference)
    with pytest.raises(InvalidTransition):
        live.ask("Câu hỏi sau khi kết thúc")

    assert (asked.status, asked.body) == (LiveQuestionStatus.PENDING,
                                          "Xin hỏi về tiến độ giải ngân vốn đầu tư công năm 2026?")


def test_rate_limit_names_the_seconds_to_wait(session, configure):
    configure(live_questions_per_minute=2)
    live = Live(session)
    live.ask("Câu hỏi thứ nhất về giải phóng mặt bằng")
    live.ask("Câu hỏi thứ hai về cao tốc Bắc – Nam")

    with pytest.raises(ValidationFailed) as refused:
        live.ask("Câu hỏi thứ ba")

    message = refused.value.fields["body"]
    assert re.fullmatch(r"Câu hỏi: bạn đã gửi 2 câu hỏi trong một phút qua; hãy gửi câu tiếp "
                        r"theo sau (\d+) giây\.", message)
    assert 1 <= int(re.search(r"(\d+) giây", message).group(1)) <= 61
    assert live.ask("Câu hỏi của người khác", journalist=live.other).status == "pending"


def test_moderation_orders_the_queue_and_keeps_one_question_on_screen(session):
    live = Live(session)
    first, second, third = (live.ask(f"Câu hỏi số {n} về đầu tư công") for n in (1, 2, 3))
    for question in (first, second, third):
        live.move(question, "approve")
    live.move(third, "up")
    live.move(first, "screen")
    live.move(second, "screen")

    assert [first.position, second.position, third.position] == [1, 3, 2]
    assert (first.status, second.status) == (LiveQuestionStatus.APPROVED,
                                             LiveQuestionStatus.ON_SCREEN)
    live.move(second, "answered")
    with pytest.raises(InvalidTransition) as refused:
        live.move(second, "screen")
    assert "“Đã trả lời trực tiếp”" in refused.value.message


def test_one_vote_per_journalist_and_none_for_ones_own(session):
    live = Live(session)
    question = live.ask("Xin hỏi về dự án sân bay Long Thành?")
    live.move(question, "approve")

    with pytest.raises(InvalidTransition):
        conferences.vote_live(session, journalist=live.case.journalist, question=question)
    first = conferences.vote_live(session, journalist=live.other, question=question)
    again = conferences.vote_live(session, journalist=live.other, question=question)

    session.refresh(question)
    assert (first, again, question.votes) == (True, False, 1)


def test_deferred_question_becomes_an_assigned_written_question(session):
    live = Live(session)
    long_body = ("Xin Bộ cho biết cụ thể số vốn đầu tư công đã giải ngân đến hết tháng 11, "
                 "những dự án chậm giải ngân nhất và nguyên nhân, cùng các giải pháp tháo gỡ "
                 "vướng mắc về giải phóng mặt bằng trong tháng cuối năm?")
    asked = live.ask(long_body)
    live.move(asked, "approve")

    written = questions.defer_live_question(session, actor=live.case.spokesperson, live=asked,
                                            unit_id=live.case.unit.id, due_date=None)

    assert (asked.status, asked.question_id) == (LiveQuestionStatus.DEFERRED, written.id)
    assert (written.asker_id, written.conference_id, written.body, written.state) == (
        live.case.journalist.id, live.conference.id, long_body, QuestionState.ASSIGNED)
    assert written.title.endswith("…") and len(written.title) <= 121
    assert long_body.startswith(written.title[:-1])
    assignment = session.exec(select(Assignment).where(Assignment.question_id == written.id)).one()
    assert assignment.unit_id == live.case.unit.id
    assert assignment.due_date > now().date()


def _version(page: str, question_id: int) -> str:
    form = re.search(rf'action="/staff/live-questions/{question_id}/approve".*?name="version" '
                     r'value="(\d+)"', page, re.S)
    assert form, "no approve form for the question"
    return form.group(1)


def test_pages_ask_moderate_and_show_on_board_and_screen(login_as, client, session):
    live = Live(session)
    session.commit()
    cid = live.conference.id
    journalist, _j = login_as(user=live.case.journalist)
    moderator, _m = login_as(user=live.case.spokesperson)

    page = journalist.get(f"/conferences/{cid}/live").text
    assert f'action="/conferences/{cid}/live/questions"' in page
    sent = post_form(journalist, f"/conferences/{cid}/live/questions",
                     {"body": "Xin hỏi về <cao tốc> Bắc – Nam & vốn ODA?"},
                     page=f"/conferences/{cid}/live")
    assert sent.headers["location"] == f"/conferences/{cid}/live"
    asked = session.exec(select(LiveQuestion).where(LiveQuestion.conference_id == cid)).one()
    assert "Chờ duyệt" in _text(journalist.get(f"/conferences/{cid}/live").text)
    assert "cao tốc" not in _text(client.get(f"/conferences/{cid}/live").text)

    queue = moderator.get(f"/staff/conferences/{cid}/live").text
    assert "Xin hỏi về &lt;cao tốc&gt; Bắc – Nam &amp; vốn ODA?" in queue
    for action in ("approve", "screen"):
        version = re.search(rf'action="/staff/live-questions/{asked.id}/{action}".*?'
                            r'name="version" value="(\d+)"', queue, re.S).group(1)
        done = post_form(moderator, f"/staff/live-questions/{asked.id}/{action}",
                         {"version": version}, page=f"/staff/conferences/{cid}/live")
        assert done.headers["location"] == f"/staff/conferences/{cid}/live"
        queue = moderator.get(f"/staff/conferences/{cid}/live").text

    board = client.get(f"/conferences/{cid}/live").text
    screen = client.get(f"/conferences/{cid}/live/screen").text
    assert "Đang trình chiếu Đặng Thu Hà" in _text(board)
    assert "Xin hỏi về <cao tốc> Bắc – Nam & vốn ODA?" in _text(screen)
    assert "pr-screen__question" in screen


def test_stale_moderation_is_not_applied(login_as, session):
    live = Live(session)
    asked = live.ask("Câu hỏi chờ duyệt")
    read_at = asked.row_version
    live.move(asked, "decline")
    session.commit()
    moderator, _m = login_as(user=live.case.spokesperson)
    queue = f"/staff/conferences/{live.conference.id}/live"

    late = post_form(moderator, f"/staff/live-questions/{asked.id}/approve",
                     {"version": read_at}, page=queue)

    assert late.headers["location"] == queue
    session.refresh(asked)
    assert asked.status == LiveQuestionStatus.DECLINED


@pytest.mark.parametrize("role", ["journalist", "unit_officer", "admin"])
def test_only_the_hosts_press_office_moderates(login_as, session, role):
    live = Live(session)
    asked = live.ask("Câu hỏi chờ duyệt")
    session.commit()
    client, _u = login_as(role)

    queue = client.get(f"/staff/conferences/{live.conference.id}/live")
    moved = post_form(client, f"/staff/live-questions/{asked.id}/approve", {"version": 1})

    assert (queue.status_code, moved.status_code) == (403, 403)
    session.refresh(asked)
    assert asked.status == LiveQuestionStatus.PENDING


def test_another_ministrys_spokesperson_cannot_moderate(login_as, session):
    live = Live(session)
    asked = live.ask("Câu hỏi chờ duyệt")
    session.commit()
    client, _u = login_as("spokesperson")

    moved = post_form(client, f"/staff/live-questions/{asked.id}/approve", {"version": 1})
    deferred = post_form(client, f"/staff/live-questions/{asked.id}/defer",
                         {"version": 1, f"unit_id-{asked.id}": live.case.unit.id})

    assert (moved.status_code, deferred.status_code) == (404, 404)


# Wake-ups ------------------------------------------------------------------------------

async def _woken_after(commit, topic: str) -> bool:  # type: ignore[no-untyped-def]
    await broadcast.hub.start()
    try:
        queue = broadcast.hub.subscribe(topic)
        await asyncio.sleep(0.3)  # the listener is connected
        await asyncio.to_thread(commit)
        await asyncio.wait_for(queue.get(), 5)
        return True
    finally:
        await broadcast.hub.stop()


def _committed_change(topic: str, *, rollback: bool = False) -> None:
    with open_session() as session:
        session.connection()
        broadcast.changed(session, topic)
        if rollback:
            session.rollback()
        else:
            session.commit()


def test_a_committed_change_wakes_the_subscribers_of_its_topic(committed_database):
    woken = asyncio.run(_woken_after(lambda: _committed_change("conference:7"), "conference:7"))

    assert woken


def test_a_rolled_back_change_wakes_nobody(committed_database):
    with pytest.raises(TimeoutError):
        asyncio.run(_woken_after(lambda: _committed_change("conference:8", rollback=True),
                                 "conference:8"))


def test_redis_carries_the_wake_up_between_processes(committed_database, configure):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    configure(redis_url="redis://127.0.0.1:6379/15")

    woken = asyncio.run(_woken_after(lambda: _committed_change("conference:9"), "conference:9"))

    assert woken


def test_postgres_notify_reaches_the_listener(committed_database):
    if not IS_POSTGRES:
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's: the suite runs on SQLite")

    woken = asyncio.run(_woken_after(lambda: _committed_change("conference:10"), "conference:10"))

    assert woken


def test_the_stream_sends_the_board_and_the_journalists_own_questions(login_as, session):
    live = Live(session)
    asked = live.ask("Xin hỏi về <dự án> đường sắt tốc độ cao?")
    other = live.ask("Câu hỏi đã được duyệt", journalist=live.other)
    live.move(other, "approve")
    session.commit()
    journalist, _j = login_as(user=live.case.journalist)

    stream = journalist.get(f"/conferences/{live.conference.id}/live/stream")

    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.headers["cache-control"] == "no-store"
    events = dict(re.findall(r"event: (\w+)\n((?:data: .*\n)+)", stream.text))
    board = "\n".join(line[6:] for line in events["board"].splitlines())
    mine = "\n".join(line[6:] for line in events["mine"].splitlines())
    assert "Câu hỏi đã được duyệt" in board and "đường sắt" not in board
    assert "Xin hỏi về &lt;dự án&gt; đường sắt tốc độ cao?" in mine
    assert asked.status == LiveQuestionStatus.PENDING


def test_a_deferred_questions_written_answer_shows_at_its_point_in_the_transcript(client,
                                                                                  session):
    from pressroom.answers import service as answers
    from pressroom.answers.schemas import AnswerDraft, AnswerPublish
    from pressroom.conferences.schemas import TranscriptIn, TurnIn
    from pressroom.core.i18n import fmt_date
    from pressroom.publishing.service import render_pending
    from tests.reading import pdf_text

    live = Live(session)
    asked = live.ask("Xin cho biết số vốn đầu tư công đã giải ngân đến hết tháng 11?")
    live.move(asked, "approve")
    written = questions.defer_live_question(session, actor=live.case.spokesperson, live=asked,
                                            unit_id=live.case.unit.id, due_date=None)
    conferences.end_conference(session, actor=live.case.spokesperson, conference=live.conference)
    conferences.replace_transcript(session, actor=live.case.spokesperson,
                                   conference=live.conference, data=TranscriptIn(turns=[
        TurnIn(speaker_name="Trần Văn Sơn", text="Xin mời các phóng viên đặt câu hỏi."),
        TurnIn(speaker_name="Đặng Thu Hà", text=asked.body, question_id=written.id,
               offset_seconds=754),
        TurnIn(speaker_name="Trần Văn Sơn", text="Câu hỏi này sẽ được trả lời bằng văn bản.")]))
    conferences.publish_transcript(session, actor=live.case.spokesperson,
                                   conference=live.conference)
    assert render_pending(session) == 1  # the transcript, no written answer yet
    answer = answers.save_draft(session, actor=live.case.officer, question=written,
                                data=AnswerDraft(body="Đến hết tháng 11, đã giải ngân 62,4%."))
    answers.submit_answer(session, actor=live.case.officer, question=written, answer=answer)
    answers.approve_answer(session, actor=live.case.spokesperson, question=written, answer=answer)
    answers.publish_answer(session, actor=live.case.spokesperson, question=written, answer=answer,
                           data=AnswerPublish(publish_at=None))
    session.commit()
    cid = live.conference.id

    rendered = render_pending(session)  # the answer's PDF, and the transcript's new edition
    page = client.get(f"/conferences/{cid}").text
    answer_page = client.get(f"/answers/{answer.id}").text
    transcript_pdf = pdf_text(client.get(f"/conferences/{cid}/transcript/pdf").content)

    assert rendered == 2
    turn = re.search(r'<div class="pr-turn" id="turn-2">(.*?)</div>\s*</div>', page, re.S).group(1)
    assert f"Đã trả lời bằng văn bản ngày {fmt_date(written.published_at)}:" in _text(turn)
    assert f'href="/answers/{answer.id}"' in turn
    assert f'href="/conferences/{cid}#turn-2"' in answer_page
    assert (f"Đã trả lời bằng văn bản ngày {fmt_date(written.published_at)}: câu trả lời chính "
            f"thức số {answer.id}") in transcript_pdf


def _dependencies(dependant):  # type: ignore[no-untyped-def]
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _dependencies(dependency)


def test_event_streams_take_no_database_slot():
    """A stream lasts minutes: with a slot (the page router's unread badge holds one per
    request) 200 watchers would hold them all, and all but the first 20 would wait."""
    from fastapi.routing import APIRoute

    from pressroom.core.deps import get_db
    from pressroom.routers import PAGE_MODULES, STREAM_ROUTERS, stream_router

    streams = [route for router in STREAM_ROUTERS for route in router.routes
               if isinstance(route, APIRoute)]
    pages = [route.path for module in PAGE_MODULES for route in module.router.routes
             if isinstance(route, APIRoute)]

    assert sorted(route.path for route in streams) == [
        "/conferences/{conference_id}/live/screen/stream",
        "/conferences/{conference_id}/live/stream",
        "/staff/conferences/{conference_id}/live/stream"]
    assert [r.path for r in streams if get_db in list(_dependencies(r.dependant))] == []
    assert stream_router.dependencies == []
    assert [path for path in pages if path.endswith("/stream")] == []


# Who a change wakes -------------------------------------------------------------------------

@pytest.mark.parametrize("carrier", ["database", "redis"])
def test_one_change_to_several_topics_wakes_the_subscribers_of_each(committed_database,
                                                                    configure, carrier):
    if carrier == "redis":
        redis = pytest.importorskip("redis")
        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
        except redis.RedisError:
            pytest.skip("no Redis server on 127.0.0.1:6379")
        configure(redis_url="redis://127.0.0.1:6379/15")

    def change() -> None:
        with open_session() as session:
            session.connection()
            broadcast.changed(session, "conference:11:queue", "conference:11:journalist:3")
            session.commit()

    woken = asyncio.run(_woken_by(change, {
        "queue": "conference:11:queue", "asker": "conference:11:journalist:3",
        "public": "conference:11", "other": "conference:11:journalist:4"}))

    assert woken == {"queue", "asker"}


def _committed_live() -> dict[str, int]:
    """A committed live conference (Live); its id and the ids of its people."""
    with Session(get_engine(), expire_on_commit=False) as session:
        live = Live(session)
        session.commit()
        return {"conference": live.conference.id or 0, "journalist": live.case.journalist.id or 0,
                "other": live.other.id or 0, "moderator": live.case.spokesperson.id or 0}


async def _woken_by(change, topics: dict[str, str]) -> set[str]:  # type: ignore[no-untyped-def]
    """The names of ``topics`` (name: topic) whose subscribers ``change()``, committed in a
    worker thread, wakes within a second."""
    await broadcast.hub.start()
    try:
        queues = {name: broadcast.hub.subscribe(topic) for name, topic in topics.items()}
        await asyncio.sleep(0.3)  # the listener is connected
        await asyncio.to_thread(change)
        await asyncio.sleep(1)
        return {name for name, queue in queues.items() if not queue.empty()}
    finally:
        await broadcast.hub.stop()


def test_a_new_question_wakes_its_asker_and_the_moderators_not_everyone(committed_database):
    ids = _committed_live()
    cid = ids["conference"]
    topics = {"public": conferences.live_topic(cid), "queue": conferences.live_queue_topic(cid),
              "asker": conferences.own_live_topic(cid, ids["journalist"]),
              "other": conferences.own_live_topic(cid, ids["other"])}
    asked: list[int] = []

    def ask() -> None:
        with Session(get_engine(), expire_on_commit=False) as session:
            question = conferences.ask_live(
                session, journalist=session.get(User, ids["journalist"]),
                conference=session.get(PressConference, cid), body="Câu hỏi chờ duyệt?")
            session.commit()
            asked.append(question.id or 0)

    def moderate(action: str) -> Callable[[], None]:
        def move() -> None:
            with Session(get_engine(), expire_on_commit=False) as session:
                conferences.moderate_live(session, actor=session.get(User, ids["moderator"]),
                                          question=session.get(LiveQuestion, asked[0]),
                                          action=action)
                session.commit()
        return move

    on_ask = asyncio.run(_woken_by(ask, topics))
    on_approve = asyncio.run(_woken_by(moderate("approve"), topics))
    on_decline = asyncio.run(_woken_by(moderate("decline"), topics))
    on_approve_again = asyncio.run(_woken_by(moderate("approve"), topics))

    assert on_ask == {"queue", "asker"}
    assert on_approve == {"public", "queue", "asker"}
    assert on_decline == {"public", "queue", "asker"}  # it leaves the board
    assert on_approve_again == {"public", "queue", "asker"}


def test_declining_a_waiting_question_leaves_the_public_undisturbed(committed_database):
    ids = _committed_live()
    cid = ids["conference"]
    with Session(get_engine(), expire_on_commit=False) as session:
        question = conferences.ask_live(session, journalist=session.get(User, ids["journalist"]),
                                        conference=session.get(PressConference, cid),
                                        body="Câu hỏi sẽ bị từ chối?")
        session.commit()
        question_id = question.id or 0

    def decline() -> None:
        with Session(get_engine(), expire_on_commit=False) as session:
            conferences.moderate_live(session, actor=session.get(User, ids["moderator"]),
                                      question=session.get(LiveQuestion, question_id),
                                      action="decline")
            session.commit()

    woken = asyncio.run(_woken_by(decline, {
        "public": conferences.live_topic(cid), "queue": conferences.live_queue_topic(cid),
        "asker": conferences.own_live_topic(cid, ids["journalist"])}))

    assert woken == {"queue", "asker"}


def _events(stream: str, name: str) -> list[str]:
    """The HTML of each ``name`` event of an event stream, in order."""
    return ["\n".join(line[6:] for line in data.splitlines())
            for event, data in re.findall(r"event: (\w+)\n((?:data: .*\n)+)", stream)
            if event == name]


def test_the_live_streams_show_each_change_to_whom_it_concerns(committed_database, configure):
    """A new question appears at once on its asker's page and in the moderators' queue, not
    on the public board; once approved, it appears on the board of everyone watching. The
    board is read once per change, however many watch."""
    configure(live_stream_seconds=4)  # ample for a loaded machine
    ids = _committed_live()
    cid = ids["conference"]
    with Session(get_engine(), expire_on_commit=False) as session:
        tokens = {who: accounts.start_login_session(session, user=session.get(User, ids[who]))
                  for who in ("journalist", "other", "moderator")}
        session.commit()
    secret = "live-stream-test-browser-secret"
    board_reads: list[str] = []

    def count_board_reads(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "FROM live_question JOIN" in statement and "IN (" in statement:
            board_reads.append(statement)

    async def run() -> list[str]:
        app = create_app(pdf_worker=False)
        await broadcast.hub.start()
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver",
                                         timeout=30) as client:
                def cookie(who: str) -> dict[str, str]:
                    return {"Cookie": f"{SESSION_COOKIE}={tokens[who]}; {CSRF_COOKIE}={secret}"}

                async def watch(path: str, who: str | None = None) -> str:
                    response = await client.get(path, headers=cookie(who) if who else {})
                    assert response.status_code == 200
                    return response.text

                async def post(path: str, who: str, **fields: str) -> None:
                    response = await client.post(path, headers=cookie(who), data={
                        "csrf_token": csrf_token_for(secret), **fields})
                    assert response.status_code == 303, response.text

                watching = [
                    asyncio.create_task(watch(f"/conferences/{cid}/live/stream", "journalist")),
                    asyncio.create_task(watch(f"/staff/conferences/{cid}/live/stream",
                                              "moderator")),
                    asyncio.create_task(watch(f"/conferences/{cid}/live/stream", "other")),
                    *(asyncio.create_task(watch(f"/conferences/{cid}/live/stream"))
                      for _n in range(20))]
                await asyncio.sleep(0.5)
                await post(f"/conferences/{cid}/live/questions", "journalist",
                           body="Xin hỏi về <tiến độ> giải ngân?")
                await asyncio.sleep(1)
                with Session(get_engine()) as session:
                    question = session.exec(select(LiveQuestion)).one()
                await post(f"/staff/live-questions/{question.id}/approve", "moderator",
                           version=str(question.row_version))
                return list(await asyncio.gather(*watching))
        finally:
            await broadcast.hub.stop()

    event.listen(get_engine(), "before_cursor_execute", count_board_reads)
    try:
        asker, moderator, other, *public = asyncio.run(run())
    finally:
        event.remove(get_engine(), "before_cursor_execute", count_board_reads)

    asked = "Xin hỏi về &lt;tiến độ&gt; giải ngân?"
    # The asker's and the moderators' pages change again when it is approved (its state).
    assert [asked in html for html in _events(asker, "mine")] == [False, True, True]
    assert [asked in html for html in _events(moderator, "queue")] == [False, True, True]
    assert [asked in html for html in _events(other, "mine")] == [False]
    for stream in (asker, other, *public):
        assert [asked in html for html in _events(stream, "board")] == [False, True]
    assert len(board_reads) == 2  # the first board and the one after the approval
