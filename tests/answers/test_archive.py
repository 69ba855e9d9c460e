"""`pressroom import FILE`: past questions and answers from an archive (JSON Lines or CSV)
published as the product publishes them, each keeping its source id; refused lines reported
with their line number and reason; a second run imports nothing."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlmodel import Session, col

from pressroom.accounts.enums import Role
from pressroom.accounts.models import Outlet, User
from pressroom.answers import archive
from pressroom.answers.models import Answer
from pressroom.answers.service import import_archive
from pressroom.core.audit import Event
from pressroom.core.db import open_session
from pressroom.core.errors import PermissionDenied
from pressroom.core.text import fold
from pressroom.organizations.models import Organization
from pressroom.publishing.pdf import render_answer_pdf
from pressroom.publishing.queries import public_answer
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Question
from tests import factories
from tests.reading import ANSWER_LINK, page_text

SEEDS = Path("/work/shared/seeds")


def _paragraphs(name: str) -> list[str]:
    """The long paragraphs of a seed article (real Vietnamese text)."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    return [" ".join(line.split()) for line in text.splitlines() if len(line.strip()) > 120]


SEED = _paragraphs("002_e398611eaeacd2f0.txt")
QUESTION = ("Xin Bộ cho biết lộ trình để Cổng Thông tin điện tử các bộ, ngành đáp ứng "
            "Nghị định 42/2022/NĐ-CP?")


def _record(source_id: str, **values: Any) -> dict[str, Any]:
    record = {"source_id": source_id, "ministry": "Bộ TTTT", "outlet": "Báo Tuổi Trẻ",
              "asker": "Trần Minh Châu", "asked_at": "2023-03-02T09:15:00+07:00",
              "answered_at": "2023-03-09T16:30:00+07:00", "question": QUESTION,
              "answer": SEED[1]}
    record.update(values)
    return {k: v for k, v in record.items() if v is not None}


def _jsonl(path: Path, *lines: dict[str, Any] | str) -> Path:
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                              for line in lines) + "\n", encoding="utf-8")
    return path


def _ministry(session: Session) -> Organization:
    return factories.ministry(session, name="Bộ Thông tin và Truyền thông", short="Bộ TTTT")


def _run(session: Session, actor: User, path: Path, batch: int = 500
         ) -> tuple[int, list[tuple[int, str, str]], list[str]]:
    """What the command does, in the test's session: (imported, refused as (line, source id,
    reason), source ids already imported)."""
    checker = archive.Checker(session, actor)
    imported, refused, already = 0, [], []
    for chunk in archive.batches(archive.read_file(path), batch):
        records, refusals, done = checker.check(chunk)
        imported += len(import_archive(session, actor=actor, records=records))
        refused += [(r.number, r.source_id, r.reason) for r in refusals]
        already += [r.source_id for r in done]
    return imported, refused, already


def _answer_of(session: Session, source_id: str) -> tuple[Question, Answer]:
    question = session.exec(select(Question).where(  # type: ignore[call-overload]
        col(Question.source_id) == source_id)).scalar_one()
    answer = session.exec(select(Answer).where(  # type: ignore[call-overload]
        col(Answer.question_id) == question.id)).scalar_one()
    return question, answer


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(unicodedata.normalize("NFC", " ".join(
        page.extract_text() for page in reader.pages)).split())


def test_jsonl_records_are_published_like_the_products_answers(
        session: Session, client: TestClient, tmp_path: Path) -> None:
    ministry = _ministry(session)
    admin = factories.user(session, Role.ADMIN)
    users_before = session.exec(select(func.count()).select_from(User)).one()  # type: ignore[call-overload]
    path = _jsonl(tmp_path / "archive.jsonl", _record("VPCP-2023-0001"),
                  _record("VPCP-2023-0002", asker="Nguyễn Thị Hạnh", outlet="Báo Lao Động",
                          title="Trao đổi kinh nghiệm Cổng TTĐT", answer=SEED[2],
                          asked_at="2023-04-03", answered_at="2023-04-10"))

    assert _run(session, admin, path) == (2, [], [])
    session.commit()

    question, answer = _answer_of(session, "VPCP-2023-0001")
    assert (question.state, question.asker_id, question.asker_name, question.addressed_to_id,
            question.published_at, answer.published_at, answer.approved_by_id) == (
        QuestionState.PUBLISHED, None, "Trần Minh Châu", ministry.id,
        datetime(2023, 3, 9, 9, 30, tzinfo=UTC), datetime(2023, 3, 9, 9, 30, tzinfo=UTC),
        admin.id)
    assert question.created_at == datetime(2023, 3, 2, 2, 15, tzinfo=UTC)
    # No account for the journalists; the outlets are added once.
    assert session.exec(select(func.count()).select_from(User)).one() == users_before  # type: ignore[call-overload]
    assert session.exec(select(Outlet.name).where(  # type: ignore[call-overload]
        col(Outlet.name).in_(["Báo Tuổi Trẻ", "Báo Lao Động"]))).scalars().all() == [
        "Báo Lao Động", "Báo Tuổi Trẻ"]  # added in name order
    events = session.exec(select(Event.action).where(  # type: ignore[call-overload]
        col(Event.case_id) == question.id, col(Event.case_type) == "question")).scalars().all()
    assert events == ["question.imported", "answer.imported"]

    page = page_text(client.get(f"/answers/{answer.id}").text)
    assert (f"Người hỏi: Trần Minh Châu, Báo Tuổi Trẻ , ngày 02/03/2023 Câu hỏi bằng văn bản "
            f"{QUESTION}") in page
    assert SEED[1] in page
    assert "Ngày công bố 16:30 09/03/2023" in page
    # Who approved it then is not known: the importing account is not named as approver.
    assert "Nguồn Nhập từ dữ liệu lưu trữ (bản ghi VPCP-2023-0001)" in page
    assert admin.full_name not in page and "Người duyệt" not in page
    pdf = _pdf_text(render_answer_pdf(public_answer(session, answer.id or 0), locale="vi"))
    assert "Nguồn Nhập từ dữ liệu lưu trữ (bản ghi VPCP-2023-0001)" in pdf
    assert admin.full_name not in pdf
    api = client.get(f"/api/v1/answers/{answer.id}").json()
    assert (api["source_id"], api["approver_name"]) == ("VPCP-2023-0001", "")
    second = _answer_of(session, "VPCP-2023-0002")[1]
    ministry_page = client.get(f"/organizations/{ministry.id}").text
    assert {str(answer.id), str(second.id)} <= set(ANSWER_LINK.findall(ministry_page))
    outlet_page = client.get(f"/outlets/{question.outlet_id}").text
    assert str(answer.id) in ANSWER_LINK.findall(outlet_page)
    assert f"/answers/{second.id}" in client.get("/feed.atom").text
    assert f"/answers/{answer.id}</loc>" in client.get("/sitemap.xml").text


def test_search_without_diacritics_finds_an_imported_answer_with_its_source_id(
        session: Session, client: TestClient, tmp_path: Path) -> None:
    _ministry(session)
    admin = factories.user(session, Role.ADMIN)
    _run(session, admin, _jsonl(tmp_path / "a.jsonl", _record(
        "VPCP-2023-0042", question="Khi nào Bộ hoàn thiện Thông tư về chức năng Cổng TTĐT?")))
    session.commit()

    found = client.get("/api/v1/search", params={"q": "hoan thien thong tu chuc nang"}).json()

    assert [(hit["title"], hit["source_id"], hit["context"]) for hit in found["results"]] == [
        ("Khi nào Bộ hoàn thiện Thông tư về chức năng Cổng TTĐT?", "VPCP-2023-0042",
         "Trần Minh Châu, Báo Tuổi Trẻ")]


def test_csv_from_excel_with_paragraphs_in_a_cell(session: Session, tmp_path: Path) -> None:
    ministry = _ministry(session)
    unit = factories.unit(session, ministry, name="Cục Báo chí")
    admin = factories.user(session, Role.ADMIN)
    path = tmp_path / "archive.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:  # Excel writes a BOM
        writer = csv.writer(out)
        writer.writerow(["source_id", "ministry", "unit", "outlet", "asker", "asked_at",
                         "answered_at", "question", "answer", "conference"])
        writer.writerow(["CSV-1", ministry.name, unit.name, "VTV", "Lê Hồng Nhung",
                         "2022-09-27", "2022-09-30", QUESTION, f"{SEED[0]}\n\n{SEED[1]}", ""])
        writer.writerow(["CSV-2", "BO TTTT", "", "VTV", "Lê Hồng Nhung", "2022-09-27",
                         "2022-09-30 10:00", "", "Trả lời.", ""])

    imported, refused, already = _run(session, admin, path)

    assert (imported, refused, already) == (1, [(5, "CSV-2", "empty text: question")], [])
    question, answer = _answer_of(session, "CSV-1")
    assert (answer.unit_id, answer.body, question.title) == (
        unit.id, f"{SEED[0]}\n\n{SEED[1]}", QUESTION)


def test_a_mixed_file_imports_the_good_lines_and_says_why_each_other_was_refused(
        session: Session, tmp_path: Path) -> None:
    ministry = _ministry(session)
    factories.ministry(session, name="Bộ Y tế", short="BYT")
    factories.ministry(session, name="Bộ Y tế dự phòng", short="BYT")  # two share "BYT"
    admin = factories.user(session, Role.ADMIN)
    path = _jsonl(
        tmp_path / "mixed.jsonl",
        _record("M-1"),
        _record("M-2", asker=None),
        _record("M-3", asked_at="03/02/2023"),
        '{"source_id": "M-4", "ministry": ',
        "",
        _record("M-5", ministry="Bộ Không Tồn Tại"),
        _record("M-6", ministry="BYT"),
        _record("M-7", answer="   "),
        _record("M-8", title="T" * 301),
        _record("M-1", asker="Người khác"),
        _record("M-10", asked_at="2023-03-10", answered_at="2023-03-09"),
        _record("M-11", answered_at="2999-01-01"),
        _record("M-12", conference=987654),
        _record("M-13", unit="Cục Không Có"),
        _record("M-14", ministry=fold(ministry.name).upper(), asker="Phạm Thu Trang"),
        '["not", "an", "object"]',
        _record("M-17", extra="x"),
        _record("M-18", asked_at="0001-01-01"),
    )

    imported, refused, already = _run(session, admin, path)

    assert imported == 2
    assert refused == [
        (2, "M-2", "missing field: asker"),
        (3, "M-3", "bad date in asked_at: '03/02/2023' (ISO 8601, e.g. 2024-03-05 or "
                   "2024-03-05T14:30:00+07:00)"),
        (4, "", "not valid JSON (Expecting value, column 34)"),
        (6, "M-5", "unknown ministry 'Bộ Không Tồn Tại'"),
        (7, "M-6", "ambiguous ministry 'BYT': it matches "
         + ", ".join(sorted(o.name for o in session.exec(select(Organization).where(  # type: ignore[call-overload]
             col(Organization.short_name) == "BYT")).scalars()))),
        (8, "M-7", "empty text: answer"),
        (9, "M-8", "text too long: title (over 300 characters)"),
        (10, "M-1", "duplicate source id within the file (first on line 1)"),
        (11, "M-10", "answered before asked"),
        (12, "M-11", "date in the future: answered_at"),
        (13, "M-12", "unknown conference 987654"),
        (14, "M-13", f"unknown unit 'Cục Không Có' of {ministry.name}"),
        (16, "", "not a JSON object ({...})"),
        (17, "M-17", "unknown field: extra"),
        (18, "M-18", "bad date in asked_at: '0001-01-01' (ISO 8601, e.g. 2024-03-05 or "
                     "2024-03-05T14:30:00+07:00)"),
    ]
    assert already == []
    assert _answer_of(session, "M-14")[0].asker_name == "Phạm Thu Trang"
    assert _answer_of(session, "M-1")[0].asker_name == "Trần Minh Châu"


def test_a_second_run_imports_nothing_and_a_changed_record_is_refused(
        session: Session, tmp_path: Path) -> None:
    _ministry(session)
    admin = factories.user(session, Role.ADMIN)
    path = _jsonl(tmp_path / "a.jsonl", _record("R-1"), _record("R-2"), _record("R-3"))
    assert _run(session, admin, path, batch=2) == (3, [], [])
    questions = session.exec(select(func.count()).select_from(Question)).one()  # type: ignore[call-overload]

    again = _run(session, admin, path, batch=2)
    changed = _run(session, admin, _jsonl(tmp_path / "b.jsonl", _record("R-1"),
                                          _record("R-2", answer="Một câu trả lời khác.")))

    assert again == (0, [], ["R-1", "R-2", "R-3"])
    assert changed == (0, [(2, "R-2", "already imported, differs (the stored record is kept; "
                                      "correct it in Pressroom)")], ["R-1"])
    assert session.exec(select(func.count()).select_from(Question)).one() == questions  # type: ignore[call-overload]
    assert _answer_of(session, "R-2")[1].body == SEED[1]


def test_a_spokesperson_imports_only_their_own_ministrys_records(
        session: Session, tmp_path: Path) -> None:
    own = _ministry(session)
    other = factories.ministry(session, name="Bộ Y tế", short="BYT")
    spokesperson = factories.user(session, Role.SPOKESPERSON, org_id=own.id)
    journalist = factories.user(session, Role.JOURNALIST)
    path = _jsonl(tmp_path / "a.jsonl", _record("S-1"), _record("S-2", ministry="BYT"))

    result = _run(session, spokesperson, path)

    assert result == (1, [(2, "S-2", f"{other.name} is not your organisation")], [])
    with pytest.raises(PermissionDenied):
        _run(session, journalist, path)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pressroom.cli", "import", *args],
                          capture_output=True, text=True, check=False)


def test_the_command_reports_refusals_writes_the_report_and_imports_once(
        committed_database: str, tmp_path: Path) -> None:
    with open_session(writing=True) as session:
        _ministry(session)
        admin = factories.user(session, Role.ADMIN, email="quantri@example.vn")
        session.commit()
    path = _jsonl(tmp_path / "archive.jsonl", _record("C-1"), _record("C-2", ministry="Bộ Lạ"),
                  _record("C-3", asker="Đỗ Văn Thành"))
    report = tmp_path / "refused.csv"

    first = _cli(str(path), "--by", "quantri@example.vn", "--report", str(report))
    second = _cli(str(path), "--by", admin.email)

    assert (first.returncode, first.stdout.splitlines()) == (1, [
        "Imported 2 records; 1 refused:",
        "  line 2 (C-2): unknown ministry 'Bộ Lạ'",
        f"Refused lines written to {report}."])
    assert "Traceback" not in first.stderr
    assert report.read_text(encoding="utf-8-sig").splitlines() == [
        "line,source_id,reason", "2,C-2,unknown ministry 'Bộ Lạ'"]
    assert (second.returncode, second.stdout.splitlines()) == (1, [
        "Imported 0 records; 2 records imported before, left as they are; 1 refused:",
        "  line 2 (C-2): unknown ministry 'Bộ Lạ'"])
    good = _jsonl(tmp_path / "good.jsonl", _record("C-1"), _record("C-3", asker="Đỗ Văn Thành"))
    third = _cli(str(good), "--by", admin.email)
    assert (third.returncode, third.stdout.strip()) == (
        0, "Nothing new: all 2 records were imported before.")
    with open_session() as session:
        assert session.exec(select(Question.asker_name).where(  # type: ignore[call-overload]
            col(Question.source_id).in_(["C-1", "C-3"])).order_by(Question.source_id)
        ).scalars().all() == ["Trần Minh Châu", "Đỗ Văn Thành"]


def test_the_command_explains_a_file_it_cannot_read(committed_database: str,
                                                     tmp_path: Path) -> None:
    with open_session(writing=True) as session:
        factories.user(session, Role.ADMIN, email="quantri@example.vn")
        session.commit()
    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes('{"source_id": "1"}\n{"asker": "Đỗ"}\n'.encode("utf-16"))
    header = tmp_path / "wrong.csv"
    header.write_text("id,bo,cau_hoi\n1,Bộ TTTT,Câu hỏi\n", encoding="utf-8")
    other = tmp_path / "archive.xlsx"
    other.write_bytes(b"PK")

    results = [_cli(str(p), "--by", "quantri@example.vn") for p in (latin, header, other)]
    nobody = _cli(str(_jsonl(tmp_path / "a.jsonl", _record("X"))), "--by", "ai@example.vn")

    assert [(r.returncode, r.stdout, r.stderr.strip()) for r in results] == [
        (2, "", "Error: latin1.jsonl is not UTF-8 text (line 1, byte 1); save it as UTF-8 and "
                "try again."),
        (2, "", "Error: wrong.csv: the first line must name the columns: source_id, ministry, "
                "outlet, asker, asked_at, answered_at, question, answer (and optionally title, "
                "conference, unit); missing: source_id, ministry, outlet, asker, asked_at, "
                "answered_at, question, answer; unknown: id, bo, cau_hoi."),
        (2, "", "Error: archive.xlsx: the file name must end in .jsonl (JSON Lines) or .csv."),
    ]
    assert (nobody.returncode, nobody.stderr.strip()) == (
        2, "Error: no active account with the e-mail 'ai@example.vn' (--by).")


def test_the_spokesperson_sees_an_imported_question_with_its_asker_and_source(
        session: Session, login_as: Any, tmp_path: Path) -> None:
    ministry = _ministry(session)
    admin = factories.user(session, Role.ADMIN)
    _run(session, admin, _jsonl(tmp_path / "a.jsonl", _record("VPCP-2023-0777")))
    question = _answer_of(session, "VPCP-2023-0777")[0]
    client, _user = login_as("spokesperson", org_id=ministry.id)

    page = page_text(client.get(f"/staff/questions/{question.id}").text)

    assert ("Người hỏi Trần Minh Châu, Báo Tuổi Trẻ Nhập từ dữ liệu lưu trữ (bản ghi "
            "VPCP-2023-0777)") in page
