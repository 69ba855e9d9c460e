"""Duplicates caught: while a journalist types, the form lists similar questions already sent
to that ministry (only what this journalist may see); at screening the spokesperson sees the
candidates with a score and merges in one step. The index behind it follows every edit."""

from __future__ import annotations

from sqlmodel import Session, select
from typer.testing import CliRunner

from pressroom.accounts.enums import Role
from pressroom.cli import app as cli
from pressroom.questions import service as questions
from pressroom.questions.enums import MERGE_TARGET_STATES, QuestionState
from pressroom.questions.models import Question, QuestionTerm
from pressroom.questions.queries import similar_questions
from pressroom.questions.schemas import QuestionCreate, QuestionEdit
from tests import factories
from tests.conftest import post_form
from tests.factories import Case
from tests.reading import hidden, page_text

ORIGINAL = ("Tiến độ giải ngân vốn đầu tư công năm 2026",
            "Đề nghị Bộ Kế hoạch và Đầu tư cho biết tỷ lệ giải ngân vốn đầu tư công năm 2026 "
            "đến hết tháng 11 và giải pháp đẩy nhanh giải ngân trong tháng 12?")
# The same question typed without diacritics and with the ministry's abbreviation.
RETYPED = ("Giai ngan von dau tu cong 2026 den thang 11",
           "De nghi Bo KH&DT cho biet ty le giai ngan von dau tu cong nam 2026 den het thang 11 "
           "va giai phap day nhanh giai ngan trong thang 12?")
# Same ministry, same topic, another question.
OTHER_TOPIC = ("Nguyên nhân chậm giải ngân vốn ODA năm 2024",
               "Đề nghị Bộ cho biết nguyên nhân chậm giải ngân vốn ODA của tỉnh Cà Mau năm 2024?")


def _ask(session: Session, journalist, ministry, text: tuple[str, str]) -> Question:  # type: ignore[no-untyped-def]
    return questions.submit_question(session, actor=journalist, data=QuestionCreate(
        title=text[0], body=text[1], addressed_to_id=ministry.id))


def test_the_retyped_question_finds_its_original_and_not_another_ministrys(session: Session) -> None:
    case, elsewhere = Case(session), Case(session)
    original = _ask(session, case.journalist, case.ministry, ORIGINAL)
    other_topic = _ask(session, case.journalist, case.ministry, OTHER_TOPIC)
    abroad = _ask(session, elsewhere.journalist, elsewhere.ministry, ORIGINAL)

    found = similar_questions(session, "\n".join(RETYPED), addressed_to_id=case.ministry.id or 0,
                              states=MERGE_TARGET_STATES)

    ids = [q.id for q, _score in found]
    assert ids[0] == original.id
    assert abroad.id not in ids
    scores = dict((q.id, score) for q, score in found)
    assert scores[original.id] >= 0.6
    assert scores.get(other_topic.id, 0) < 0.6


def test_the_index_follows_an_edit_and_leaves_out_withdrawn_questions(session: Session) -> None:
    case = Case(session)
    question = _ask(session, case.journalist, case.ministry, OTHER_TOPIC)
    questions.edit_question(session, actor=case.journalist, question=question,
                            data=QuestionEdit(title=ORIGINAL[0], body=ORIGINAL[1]))
    text = "\n".join(RETYPED)
    ministry = case.ministry.id or 0

    edited = [q.id for q, _s in similar_questions(session, text, addressed_to_id=ministry,
                                                  states=MERGE_TARGET_STATES)]
    terms = set(session.exec(select(QuestionTerm.term).where(
        QuestionTerm.question_id == question.id)))
    questions.withdraw_question(session, actor=case.journalist, question=question)
    after = similar_questions(session, text, addressed_to_id=ministry, states=MERGE_TARGET_STATES)

    assert edited == [question.id]
    assert "oda" not in terms and "giai" in terms
    assert after == []


def test_journalist_sees_published_and_own_questions_and_only_a_count_of_others(
        login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    published, answer = case.published_answer()
    published.title, published.body = ORIGINAL
    questions.index_terms(session, published)
    colleague = factories.user(session, Role.JOURNALIST, full_name="Trần Minh Khoa")
    private = _ask(session, colleague, case.ministry,
                   ("Giải ngân đầu tư công tháng 11/2026", ORIGINAL[1]))
    own = _ask(session, case.journalist, case.ministry,
               ("Câu hỏi của tôi về giải ngân đầu tư công 2026", ORIGINAL[1]))
    session.commit()
    journalist, _user = login_as(user=case.journalist)

    fragment = journalist.get("/my/questions/similar", params={
        "title": RETYPED[0], "body": RETYPED[1], "addressed_to_id": str(case.ministry.id)}).text
    none = journalist.get("/my/questions/similar", params={
        "title": "Hạn ngạch xuất khẩu gạo sang Philippines",
        "body": "Đề nghị Bộ cho biết hạn ngạch xuất khẩu gạo năm tới?",
        "addressed_to_id": str(case.ministry.id)}).text
    no_ministry = journalist.get("/my/questions/similar", params={
        "title": RETYPED[0], "body": RETYPED[1]}).text

    text = page_text(fragment)
    assert f'href="/answers/{answer.id}"' in fragment
    assert f'href="/my/questions/{own.id}"' in fragment
    assert private.title not in fragment
    assert "1 câu hỏi tương tự của phóng viên khác đã gửi tới Bộ" in text
    assert "có thể là cùng một câu hỏi" in text
    assert page_text(none) == "Chưa có câu hỏi tương tự nào gửi tới Bộ."
    assert page_text(no_ministry) == ""


def test_suggestions_are_for_askers_only(client, login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    session.commit()
    officer, _user = login_as(user=case.officer)

    anonymous = client.get("/my/questions/similar", params={"title": "Giải ngân"},
                           follow_redirects=False)
    staff = officer.get("/my/questions/similar", params={"title": "Giải ngân"})

    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=")
    assert staff.status_code == 403


def test_spokesperson_sees_candidates_with_a_score_and_merges_in_one_step(
        login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    colleague = factories.user(session, Role.JOURNALIST)
    original = _ask(session, colleague, case.ministry, ORIGINAL)
    retyped = _ask(session, case.journalist, case.ministry, RETYPED)
    session.commit()
    staff, _user = login_as(user=case.spokesperson)

    page = staff.get(f"/staff/questions/{retyped.id}").text
    merged = post_form(staff, f"/staff/questions/{retyped.id}/merge", {
        "into_id": str(original.id), "version": hidden(page, "version")},
        page=f"/staff/questions/{retyped.id}")

    text = page_text(page)
    assert "Câu hỏi có thể trùng" in text
    assert f"#{original.id} {ORIGINAL[0]}" in text
    assert f"Gộp vào câu hỏi số {original.id}" in text
    assert merged.headers["location"] == f"/staff/questions/{retyped.id}"  # type: ignore[attr-defined]
    session.expire_all()
    stored = session.get(Question, retyped.id)
    assert (stored.state, stored.merged_into_id) == (QuestionState.MERGED, original.id)  # type: ignore[union-attr]


def test_reindex_command_reads_every_question_again(committed_database: str) -> None:  # type: ignore[no-untyped-def]
    from pressroom.core.db import make_engine

    engine = make_engine(committed_database)
    with Session(engine) as session:
        case = Case(session)
        question = _ask(session, case.journalist, case.ministry, ORIGINAL)
        for row in session.exec(select(QuestionTerm).where(
                QuestionTerm.question_id == question.id)):
            session.delete(row)
        session.commit()
        question_id = question.id
    result = CliRunner().invoke(cli, ["duplicates", "reindex"],
                                env={"PRESSROOM_DATABASE_URL": committed_database})
    with Session(engine) as session:
        terms = set(session.exec(select(QuestionTerm.term).where(
            QuestionTerm.question_id == question_id)))
    engine.dispose()

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Indexed ")
    assert {"giai", "ngan", "#year:2026"} <= terms
