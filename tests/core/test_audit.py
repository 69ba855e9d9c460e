"""The record of who did what: events written with every change, hash-chained, append-only,
shown as history to staff and exported as CSV for admins."""

from __future__ import annotations

import ast
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from pressroom.answers import service as answers
from pressroom.answers.schemas import AnswerDraft, AnswerReturn
from pressroom.core import audit
from pressroom.core.audit import Event
from pressroom.core.db import open_session
from tests import factories
from tests.conftest import post_form
from tests.factories import Case
from tests.reading import page_text, shown

ROOT = Path(__file__).resolve().parents[2]


def _events(session: Session, case: object) -> list[Event]:
    return audit.history(session, case)


def test_whole_path_records_who_did_what_in_order(session: Session) -> None:
    case = Case(session)
    question, answer = case.submitted_answer(body="Bản nháp đầu tiên.")
    answers.return_answer(session, actor=case.spokesperson, question=question, answer=answer,
                          data=AnswerReturn(comment="Bổ sung số liệu tháng 11."))
    answers.save_draft(session, actor=case.officer, question=question,
                       data=AnswerDraft(body="Bản nháp thứ hai, có số liệu."))
    answers.submit_answer(session, actor=case.officer, question=question, answer=answer)
    answers.return_answer(session, actor=case.spokesperson, question=question, answer=answer,
                          data=AnswerReturn(comment="Dẫn chiếu Nghị định 09/2017/NĐ-CP."))

    events = _events(session, question)

    assert [(e.action, e.actor_id, e.actor_role) for e in events] == [
        ("question.submitted", case.journalist.id, "journalist"),
        ("question.accepted", case.spokesperson.id, "spokesperson"),
        ("question.assigned", case.spokesperson.id, "spokesperson"),
        ("answer.drafted", case.officer.id, "unit_officer"),
        ("answer.submitted", case.officer.id, "unit_officer"),
        ("answer.returned", case.spokesperson.id, "spokesperson"),
        ("comment.added", case.spokesperson.id, "spokesperson"),  # the return comment
        ("answer.drafted", case.officer.id, "unit_officer"),
        ("answer.submitted", case.officer.id, "unit_officer"),
        ("answer.returned", case.spokesperson.id, "spokesperson"),
        ("comment.added", case.spokesperson.id, "spokesperson"),
    ]
    returns = [json.loads(e.changes) for e in events if e.action == "answer.returned"]
    assert [r["review_comment"] for r in returns] == [
        ["", "Bổ sung số liệu tháng 11."],
        ["Bổ sung số liệu tháng 11.", "Dẫn chiếu Nghị định 09/2017/NĐ-CP."],
    ]
    redraft = json.loads(events[7].changes)
    assert redraft["body"] == ["Bản nháp đầu tiên.", "Bản nháp thứ hai, có số liệu."]
    assigned = json.loads(events[2].changes)
    assert assigned["state"] == ["accepted", "assigned"]
    assert assigned["unit_id"] == [None, case.unit.id]
    assert events[0].actor_name == case.journalist.full_name
    assert all(e.case_type == "question" and e.case_id == question.id for e in events)


def test_chain_links_each_event_to_the_previous_one(session: Session) -> None:
    case = Case(session)
    case.published_answer()

    rows = list(session.exec(select(Event).order_by(col(Event.id))))

    assert rows, "the path recorded nothing"
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(audit.event_hash(e) == e.hash for e in rows)
    assert audit.verify(session) == (len(rows), None)


def test_events_join_the_chain_at_commit_and_a_rollback_drops_them(session: Session) -> None:
    case = Case(session)
    question = case.question()
    head = session.exec(select(Event).order_by(col(Event.id).desc())).first()
    assert head is not None and head.action == "question.submitted"
    session.commit()

    question.title = "Tiêu đề sửa rồi bỏ"
    audit.record(session, actor=case.journalist, action="question.edited", subject=question)
    session.rollback()
    question.title = "Tiêu đề sửa lần hai"
    audit.record(session, actor=case.journalist, action="question.edited", subject=question)
    # The transaction reads the event it has just recorded, already linked to the head.
    edited = _events(session, question)[-1]
    session.commit()

    after = list(session.exec(select(Event).where(col(Event.id) > head.id)))
    assert [(e.action, json.loads(e.changes)["title"][1]) for e in after] == [
        ("question.edited", "Tiêu đề sửa lần hai")]
    assert after[0].id == edited.id and after[0].prev_hash == head.hash
    assert audit.verify(session)[1] is None


def _forge(session: Session, **overrides: object) -> Event:
    last = session.exec(select(Event).order_by(col(Event.id).desc())).first()
    assert last is not None
    values = {**last.model_dump(exclude={"id"}), **overrides}
    forged = Event(**values)
    session.add(forged)
    session.flush()
    return forged


def test_verify_names_an_event_whose_content_was_changed(session: Session) -> None:
    Case(session).question()
    last = session.exec(select(Event).order_by(col(Event.id).desc())).first()
    assert last is not None
    # A copy with other content but the original's own hash and link, as if edited in place
    # (the table cannot be updated, so the copy is appended with a fresh link).
    forged = _forge(session, changes='{"title": [null, "Sửa lén"]}', prev_hash=last.hash,
                    hash="f" * 64)

    count, broken = audit.verify(session)

    assert broken == audit.Break(forged.id or 0, "content does not match its hash")
    assert count == len(list(session.exec(select(Event))))


def test_verify_names_an_event_that_does_not_follow_its_predecessor(session: Session) -> None:
    Case(session).question()
    forged = _forge(session, prev_hash="a" * 64, hash="b" * 64)

    _count, broken = audit.verify(session)

    assert broken == audit.Break(forged.id or 0, "prev_hash does not match the previous event")


@pytest.mark.parametrize("statement", [
    "UPDATE event SET action = 'answer.approved'",
    "DELETE FROM event",
])
def test_database_refuses_to_change_or_delete_events(session: Session, statement: str) -> None:
    Case(session).question()
    session.commit()
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(statement))
    assert session.exec(select(Event.action)).all()[-1] == "question.submitted"


def _writes_event(node: ast.AST) -> bool:
    """``update(Event)``, ``delete(Event)``, ``session.delete(<event>)`` or SQL text naming
    UPDATE/DELETE on the event table."""
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in ("update", "delete") and any(
            isinstance(a, ast.Name) and a.id == "Event" for a in node.args
        ):
            return True
        if name == "delete" and any(isinstance(a, ast.Name) and "event" in a.id.lower()
                                    for a in node.args):
            return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        sql = " ".join(node.value.lower().split())
        return any(verb in sql for verb in ("update event ", "delete from event", "truncate event"))
    return False


def test_no_code_path_updates_or_deletes_an_event() -> None:
    offenders = []
    for path in sorted((ROOT / "pressroom").rglob("*.py")):
        if "migrations" in path.parts:
            continue  # the migration defines the triggers that refuse it
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree)
                      if _writes_event(n)]
    assert offenders == []
    # The checker itself sees the patterns it looks for.
    for sample in ("session.execute(update(Event).values(action='x'))",
                   "session.execute(text('DELETE FROM event WHERE id = 1'))",
                   "session.delete(event)"):
        assert any(_writes_event(n) for n in ast.walk(ast.parse(sample))), sample


def test_staff_page_shows_every_return_comment_in_order(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, answer = case.submitted_answer()
    for comment in ("Thiếu số liệu <b>quý III</b>.", "Cần trích dẫn Luật Báo chí 2016."):
        answers.return_answer(session, actor=case.spokesperson, question=question,
                              answer=answer, data=AnswerReturn(comment=comment))
        answers.submit_answer(session, actor=case.officer, question=question, answer=answer)
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    page = client.get(f"/staff/questions/{question.id}").text

    history = page[page.index("Lịch sử"):]
    first = history.index(shown("Thiếu số liệu <b>quý III</b>."))
    second = history.index("Cần trích dẫn Luật Báo chí 2016.")
    assert first < second
    assert history.count("Trả lại đơn vị") == 2
    assert f"{case.spokesperson.full_name} (Người phát ngôn)" in history
    assert history.index("Đã gửi câu hỏi") < history.index("Đã tiếp nhận") < first


def test_officer_page_shows_the_history_too(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, _answer = case.submitted_answer(body="Bản trả lời của đơn vị.")
    session.commit()
    client, _user = login_as(user=case.officer)

    page = client.get(f"/unit/questions/{question.id}").text

    history = page[page.index("Lịch sử"):]
    assert history.index("Giao đơn vị trả lời") < history.index("Lưu bản nháp") < history.index(
        "Gửi phê duyệt")
    assert "Bản trả lời của đơn vị." in history
    assert case.unit.name in history


def test_conference_page_shows_its_history(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    page = page_text(client.get(f"/staff/conferences/{conference.id}").text)

    history = page[page.index("Lịch sử"):]
    assert history.index("Lên lịch họp báo") < history.index("Đã thông báo")
    assert "Bản nháp → Đã thông báo" in history


def test_journalist_sees_no_history(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, _answer = case.submitted_answer()
    session.commit()
    client, _user = login_as(user=case.journalist)

    page = client.get(f"/my/questions/{question.id}").text

    assert "Lịch sử" not in page
    assert case.officer.full_name not in page


def test_admin_exports_the_record_as_csv(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question(title="=HYPERLINK(\"http://x\") Về giá điện")
    session.commit()
    client, admin = login_as("admin")

    response = client.get("/admin/events.csv")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="pressroom-events-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    submitted = [r for r in rows if r["action"] == "question.submitted"
                 and r["subject_id"] == str(question.id)]
    assert len(submitted) == 1
    assert submitted[0]["actor_name"] == case.journalist.full_name
    assert submitted[0]["actor_role"] == "journalist"
    assert json.loads(submitted[0]["changes"])["title"][1].startswith("=HYPERLINK")
    assert [r["hash"] for r in rows] == [e.hash for e in session.exec(select(Event).order_by(col(Event.id)))]
    cells = response.content.decode("utf-8-sig").splitlines()
    assert not any(cell.startswith("=") for line in cells for cell in line.split(","))


@pytest.mark.parametrize("role", ["journalist", "unit_officer", "spokesperson"])
def test_only_admins_export_the_record(session: Session, login_as, role: str) -> None:  # type: ignore[no-untyped-def]
    client, _user = login_as(role)

    response = client.get("/admin/events.csv")

    assert response.status_code == 403
    assert "Vai trò của bạn không cho phép" in response.text


def test_admin_creating_an_account_is_recorded(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    client, admin = login_as("admin")

    response = post_form(client, "/admin/users", {
        "email": "mai.lt@baochinhphu.example", "full_name": "Lê Thị Mai",
        "password": "mat-khau-dai-du", "role": "journalist", "outlet_name": "Báo Điện tử Chính phủ",
    }, page="/admin/users")

    assert response.status_code == 303  # type: ignore[attr-defined]
    event = session.exec(select(Event).where(Event.action == "user.created")
                         .order_by(col(Event.id).desc())).first()
    assert event is not None
    assert (event.actor_id, event.actor_role) == (admin.id, "admin")
    changes = json.loads(event.changes)
    assert changes["email"] == [None, "mai.lt@baochinhphu.example"]
    assert "password_hash" not in changes


def test_audit_verify_command_reports_an_intact_chain(committed_database: str) -> None:
    with open_session(writing=True) as session:
        Case(session).published_answer()
        session.commit()
        count = len(session.exec(select(Event)).all())

    result = subprocess.run([sys.executable, "-m", "pressroom.cli", "audit", "verify"],
                            capture_output=True, text=True, check=False)

    assert (result.returncode, result.stdout.strip()) == (
        0, f"OK: {count} events, the hash chain is intact.")


def test_audit_verify_command_names_the_first_broken_link(committed_database: str) -> None:
    with open_session(writing=True) as session:
        Case(session).question()
        forged = _forge(session, prev_hash="c" * 64, hash="d" * 64)
        session.commit()

    result = subprocess.run([sys.executable, "-m", "pressroom.cli", "audit", "verify"],
                            capture_output=True, text=True, check=False)

    assert result.returncode == 1
    assert f"BROKEN at event {forged.id}" in result.stderr
    assert "prev_hash does not match the previous event" in result.stderr
