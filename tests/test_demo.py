"""The demo data set: built through the services, every state present, nothing public early."""

from __future__ import annotations

import unicodedata

import pytest
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.answers.enums import AnswerState
from pressroom.answers.models import Answer, AnswerVersion
from pressroom.conferences.enums import ConferenceStatus
from pressroom.conferences.models import PressConference, TranscriptTurn
from pressroom.core.clock import now
from pressroom.core.security import verify_password
from pressroom.demo import DEMO_PASSWORD, load_demo
from pressroom.organizations.models import Membership, Spokesperson
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Question


def test_load_demo_returns_first_login_of_each_role_in_order(session: Session) -> None:
    logins = load_demo(session)

    assert [login.role for login in logins[:4]] == [
        Role.JOURNALIST, Role.UNIT_OFFICER, Role.SPOKESPERSON, Role.ADMIN
    ]
    assert logins[0].full_name == "Đặng Thu Hà"
    assert logins[2].full_name == "Nguyễn Thanh Lâm"


def test_load_demo_logins_exist_and_passwords_verify(session: Session) -> None:
    logins = load_demo(session)

    for login in logins:
        user = session.exec(select(User).where(User.email == login.email)).one()
        assert user.role == login.role
        assert user.full_name == login.full_name
        assert login.password == DEMO_PASSWORD
        assert verify_password(user.password_hash, login.password)


def test_load_demo_staff_belong_to_organisations(session: Session) -> None:
    load_demo(session)

    staff = session.exec(
        select(User).where(col(User.role).in_([Role.UNIT_OFFICER, Role.SPOKESPERSON]))
    ).all()
    assert staff
    for user in staff:
        assert session.get(Membership, user.id) is not None
    linked = session.exec(select(Spokesperson).where(col(Spokesperson.user_id).is_not(None)))
    assert len(linked.all()) == 2


def test_load_demo_has_questions_in_every_state(session: Session) -> None:
    load_demo(session)

    states = set(session.exec(select(Question.state)).all())

    assert states == set(QuestionState)
    rejected = session.exec(select(Question).where(Question.state == QuestionState.REJECTED))
    assert all(question.rejection_reason for question in rejected)


def test_load_demo_has_answers_in_every_state(session: Session) -> None:
    load_demo(session)

    states = set(session.exec(select(Answer.state)).all())

    assert states == set(AnswerState)
    returned = session.exec(select(Answer).where(Answer.state == AnswerState.RETURNED)).one()
    assert returned.review_comment


def test_load_demo_publishes_three_answers_now_and_schedules_one(session: Session) -> None:
    load_demo(session)
    moment = now()

    published = session.exec(
        select(Question).where(col(Question.published_at).is_not(None))
    ).all()
    public = [q for q in published if q.published_at is not None and q.published_at <= moment]
    scheduled = [q for q in published if q.published_at is not None and q.published_at > moment]

    assert len(public) == 3
    assert len(scheduled) == 1
    assert sum(q.conference_id is not None for q in public) == 1
    assert not scheduled[0].is_public(moment)


def test_load_demo_has_a_corrected_answer_with_its_original_kept(session: Session) -> None:
    load_demo(session)

    corrected = session.exec(select(Answer).where(col(Answer.version) > 1)).all()
    assert len(corrected) == 1
    kept = session.exec(select(AnswerVersion).where(
        AnswerVersion.answer_id == corrected[0].id)).one()
    assert "03 chuyên đề" in kept.body and "04 chuyên đề" in corrected[0].body
    assert corrected[0].correction_reason.startswith("Bổ sung chuyên đề")


def test_load_demo_has_conferences_in_every_status(session: Session) -> None:
    load_demo(session)

    conferences = session.exec(select(PressConference)).all()

    assert {c.status for c in conferences} == set(ConferenceStatus)
    moment = now()
    for conference in conferences:
        if conference.status in (ConferenceStatus.HELD, ConferenceStatus.TRANSCRIPT_PUBLISHED):
            assert conference.ends_at < moment
    upcoming = [c for c in conferences if c.status == ConferenceStatus.ANNOUNCED]
    assert len(upcoming) == 1
    assert upcoming[0].starts_at > moment


def test_load_demo_transcript_has_turns_with_seed_names_in_nfc(session: Session) -> None:
    load_demo(session)

    conference = session.exec(
        select(PressConference).where(
            PressConference.status == ConferenceStatus.TRANSCRIPT_PUBLISHED
        )
    ).one()
    turns = session.exec(
        select(TranscriptTurn)
        .where(TranscriptTurn.conference_id == conference.id)
        .order_by(col(TranscriptTurn.position))
    ).all()

    assert len(turns) >= 6
    speakers = {turn.speaker_name for turn in turns}
    assert unicodedata.normalize("NFC", "Nguyễn Hồng Sâm") in speakers
    assert "Nguyễn Thanh Lâm" in speakers
    linked = {turn.question_id for turn in turns if turn.question_id is not None}
    asked_here = set(
        session.exec(select(Question.id).where(Question.conference_id == conference.id)).all()
    )
    assert linked and linked <= asked_here
    for turn in turns:
        assert unicodedata.is_normalized("NFC", turn.text)


def test_load_demo_into_a_database_with_users_raises(session: Session) -> None:
    load_demo(session)

    with pytest.raises(RuntimeError, match="already holds data"):
        load_demo(session)
