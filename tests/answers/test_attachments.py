"""Files in a question's internal thread: PDF, DOCX, XLSX, PNG and JPEG up to 20 MB, their
type read from their content, kept outside the web root under their SHA-256, always served
as a download and only to the staff of the case, unless the spokesperson shows one with the
published answer."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from sqlmodel import Session, select

from pressroom.answers import files, service
from pressroom.answers.models import Attachment
from pressroom.answers.queries import answer_for_question
from pressroom.answers.schemas import AnswerDraft, AnswerPublish
from pressroom.core import storage
from tests.conftest import csrf_token
from tests.factories import Case, bearer
from tests.reading import page_text

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _package(*parts: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for part in ("[Content_Types].xml", *parts):
            package.writestr(part, "<x/>")
    return out.getvalue()


DOCX, XLSX = _package("word/document.xml"), _package("xl/workbook.xml")


@pytest.mark.parametrize(("data", "kind"), [
    (PDF, files.PDF), (DOCX, files.DOCX), (XLSX, files.XLSX), (PNG, files.PNG),
    (JPEG, files.JPEG),
    (b"<html><script>alert(1)</script></html>", None),  # a web page named .pdf
    (_package("ppt/presentation.xml"), None),  # a zip that is neither Word nor Excel
    (b"PK\x03\x04 not really a zip", None),
    (b"MZ\x90\x00 an executable", None),
    (b"", None),
])
def test_the_kind_is_read_from_the_content(data: bytes, kind: files.Kind | None) -> None:
    assert files.sniff(data) == kind


def test_names_keep_no_folders_or_control_characters_and_take_the_kinds_suffix() -> None:
    assert files.safe_name("../../etc/Báo cáo quý III.exe", files.PDF) == "Báo cáo quý III.pdf"
    assert files.safe_name('C:\\tmp\\a"b\r\n<c>.docx', files.DOCX) == "abc.docx"
    assert files.safe_name("...", files.PNG) == "tep-dinh-kem.png"
    assert files.safe_name("Xuất khẩu gạo v1.2.final.XLSX", files.XLSX) == (
        "Xuất khẩu gạo v1.2.final.xlsx")  # only the last suffix goes, and no letter
    assert files.safe_name("a" * 200 + ".pdf", files.PDF) == "a" * 120 + ".pdf"


def _post(client, path: str, page: str, text: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, page), "text": text},
                       files={"file": (name, data, "application/octet-stream")},
                       follow_redirects=False)


def test_a_file_is_kept_by_its_hash_and_downloaded_by_the_cases_staff_only(
        login_as, client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    other = Case(session)
    question = case.assigned()
    session.commit()
    officer, _o = login_as(user=case.officer)
    staff, _s = login_as(user=case.spokesperson)
    journalist, _j = login_as(user=case.journalist)
    stranger, _x = login_as(user=other.spokesperson)
    page = f"/unit/questions/{question.id}"

    sent = _post(officer, f"/unit/questions/{question.id}/comment", page,
                 "Số liệu giải ngân kèm theo.", "Số liệu giải ngân.xlsx", XLSX)

    assert sent.headers["location"] == page
    row = session.exec(select(Attachment).where(Attachment.question_id == question.id)).one()
    assert (row.filename, row.media_type, row.size, row.sha256) == (
        "Số liệu giải ngân.xlsx", files.XLSX.media_type, len(XLSX),
        hashlib.sha256(XLSX).hexdigest())
    assert storage.path_of(row.path).read_bytes() == XLSX
    assert "static" not in str(storage.path_of(row.path))
    assert "Số liệu giải ngân.xlsx" in page_text(staff.get(f"/staff/questions/{question.id}").text)
    download = staff.get(f"/attachments/{row.id}")
    assert download.content == XLSX
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "filename*=utf-8''S%E1%BB%91%20li%E1%BB%87u" in download.headers["content-disposition"]
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-type"] == files.XLSX.media_type
    assert [c.get(f"/attachments/{row.id}").status_code
            for c in (journalist, stranger, client)] == [404, 404, 404]


def test_a_file_that_is_not_an_accepted_kind_is_refused_naming_it(login_as,
                                                                   session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    page = f"/staff/questions/{question.id}"

    refused = _post(staff, f"/staff/questions/{question.id}/comment", page, "Xem tệp.",
                    "bao-cao.pdf", b"<html><script>alert(1)</script></html>")

    assert refused.status_code == 400
    assert ("«bao-cao.pdf» không phải tệp PDF, DOCX, XLSX, PNG hoặc JPEG (đã đọc nội dung "
            "tệp, không dựa vào tên tệp).") in page_text(refused.text)
    assert "Xem tệp." in page_text(refused.text)  # the typed comment is kept in the form
    assert session.exec(select(Attachment)).all() == []


def test_a_file_over_20_mb_is_refused(login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    page = f"/staff/questions/{question.id}"

    over = _post(staff, f"/staff/questions/{question.id}/comment", page, "Tệp lớn.",
                 "lon.pdf", PDF + b"0" * files.MAX_BYTES)
    far_over = _post(staff, f"/staff/questions/{question.id}/comment", page, "Tệp rất lớn.",
                     "rat-lon.pdf", PDF + b"0" * (files.MAX_BYTES + 512 * 1024))

    assert over.status_code == 400
    assert "Tệp lớn hơn 20 MB." in page_text(over.text)
    assert far_over.status_code == 413
    assert session.exec(select(Attachment)).all() == []


def test_a_file_shown_with_the_answer_is_public_once_the_answer_is(
        login_as, client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, answer = case.submitted_answer()
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    page = f"/staff/questions/{question.id}"
    _post(staff, f"/staff/questions/{question.id}/comment", page, "Văn bản trả lời.",
          "Công văn 123.pdf", PDF)
    row = session.exec(select(Attachment).where(Attachment.question_id == question.id)).one()

    shown = staff.post(f"/staff/questions/{question.id}/attachments/{row.id}",
                       data={"csrf_token": csrf_token(staff, page), "published": "1"},
                       follow_redirects=False)
    before = client.get(f"/attachments/{row.id}").status_code
    service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    service.publish_answer(session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerPublish())
    session.commit()

    public = client.get(f"/attachments/{row.id}")
    answer_page = page_text(client.get(f"/answers/{answer.id}").text)

    assert shown.headers["location"] == f"{page}#comments"
    assert before == 404  # shown with the answer, but the answer is not public yet
    assert (public.status_code, public.content) == (200, PDF)
    assert public.headers["content-disposition"].startswith("attachment;")
    assert "Tài liệu công bố kèm câu trả lời Công văn 123.pdf" in answer_page


def test_each_page_lists_only_its_questions_files_and_the_public_only_shown_ones(
        login_as, client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, answer = case.submitted_answer()
    other, _other_answer = case.submitted_answer()
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    for item, name in ((question, "Công văn trả lời.pdf"), (question, "Bản nháp nội bộ.pdf"),
                       (other, "Tệp câu hỏi khác.pdf")):
        page = f"/staff/questions/{item.id}"
        _post(staff, f"{page}/comment", page, "Kèm tệp.", name, PDF)
    rows = {r.filename: r for r in session.exec(select(Attachment)).all()}
    for shown in ("Công văn trả lời.pdf", "Tệp câu hỏi khác.pdf"):
        row = rows[shown]
        page = f"/staff/questions/{row.question_id}"
        staff.post(f"{page}/attachments/{row.id}",
                   data={"csrf_token": csrf_token(staff, page), "published": "1"})
    service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    service.publish_answer(session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerPublish())
    session.commit()

    staff_page = page_text(staff.get(f"/staff/questions/{question.id}").text)
    public_page = page_text(client.get(f"/answers/{answer.id}").text)

    assert "Công văn trả lời.pdf" in staff_page and "Bản nháp nội bộ.pdf" in staff_page
    assert "Tệp câu hỏi khác.pdf" not in staff_page
    assert "Công văn trả lời.pdf" in public_page
    assert "Bản nháp nội bộ.pdf" not in public_page and "Tệp câu hỏi khác.pdf" not in public_page


def _save_draft(client, question_id: int, body: str, name: str, data: bytes,  # type: ignore[no-untyped-def]
                action: str = "save"):
    page = f"/unit/questions/{question_id}"
    return client.post(f"{page}/answer",
                       data={"csrf_token": csrf_token(client, page), "body": body,
                             "action": action},
                       files={"answer_file": (name, data, "application/octet-stream")},
                       follow_redirects=False)


def test_the_officer_attaches_a_file_to_the_draft_and_the_spokesperson_shows_it(
        login_as, client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    session.commit()
    officer, _o = login_as(user=case.officer)
    staff, _s = login_as(user=case.spokesperson)

    saved = _save_draft(officer, question.id, "Bộ gửi kèm bảng số liệu cấp đổi thẻ.",
                        "Bảng số liệu.xlsx", XLSX, action="submit")

    assert saved.headers["location"] == f"/unit/questions/{question.id}"
    row = session.exec(select(Attachment).where(Attachment.question_id == question.id)).one()
    assert (row.comment_id, row.filename, row.media_type, row.published) == (
        None, "Bảng số liệu.xlsx", files.XLSX.media_type, False)
    assert storage.path_of(row.path).read_bytes() == XLSX
    staff_html = staff.get(f"/staff/questions/{question.id}").text
    assert f'action="/staff/questions/{question.id}/attachments/{row.id}"' in staff_html
    assert "Bảng số liệu.xlsx" in page_text(officer.get(f"/unit/questions/{question.id}").text)

    page = f"/staff/questions/{question.id}"
    staff.post(f"{page}/attachments/{row.id}",
               data={"csrf_token": csrf_token(staff, page), "published": "1"})

    answer = answer_for_question(session, question.id or 0)
    assert answer is not None
    service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    service.publish_answer(session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerPublish())
    session.commit()
    assert "Bảng số liệu.xlsx" in page_text(client.get(f"/answers/{answer.id}").text)
    assert client.get(f"/attachments/{row.id}").content == XLSX


def test_a_draft_with_a_refused_file_keeps_the_typed_answer_and_saves_nothing(
        login_as, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    session.commit()
    officer, _o = login_as(user=case.officer)
    typed = "Câu trả lời đang soạn, không được mất."

    refused = _save_draft(officer, question.id, typed, "trang.pdf", b"<html>not a pdf</html>")
    too_large = _save_draft(officer, question.id, typed, "lon.pdf", PDF + b"0" * files.MAX_BYTES)

    assert refused.status_code == 400 and too_large.status_code == 400
    assert typed in refused.text
    assert "trang.pdf" in page_text(refused.text)
    assert "Tệp lớn hơn 20 MB." in page_text(too_large.text)
    assert 'id="answer_file-error"' in refused.text
    assert session.exec(select(Attachment)).all() == []

    assert answer_for_question(session, question.id or 0) is None


def test_the_api_attaches_lists_shows_and_serves_files(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    other = Case(session)
    question = case.assigned()
    service.save_draft(session, actor=case.officer, question=question,
                       data=AnswerDraft(body="Bản nháp trả lời."))
    officer = bearer(session, case.officer)
    spokesperson = bearer(session, case.spokesperson)
    stranger = bearer(session, other.spokesperson)
    base = f"/api/v1/questions/{question.id}/attachments"

    with_comment = client.post(base, headers=officer, data={"text": "Gửi kèm công văn."},
                               files={"file": ("Công văn.pdf", PDF, "application/pdf")})
    with_answer = client.post(base, headers=officer, data={"to": "answer"},
                              files={"file": ("Bảng.xlsx", XLSX, "application/octet-stream")})
    no_text = client.post(base, headers=officer, files={"file": ("a.pdf", PDF, "x/y")})
    not_a_file = client.post(base, headers=officer, data={"text": "Sai loại."},
                             files={"file": ("a.pdf", b"<html></html>", "application/pdf")})
    listed = client.get(base, headers=spokesperson).json()
    hidden = client.get(base, headers=stranger)
    first = with_comment.json()
    shown = client.post(f"{base}/{first['id']}/published", headers=spokesperson,
                        json={"published": True})
    by_officer = client.get(first["download_url"], headers=officer)
    anonymous = client.get(first["download_url"])

    assert with_comment.status_code == 201
    assert (first["filename"], first["media_type"], first["published"]) == (
        "Công văn.pdf", "application/pdf", False)
    assert first["comment_id"] is not None
    assert with_answer.status_code == 201 and with_answer.json()["comment_id"] is None
    assert no_text.status_code == 422 and not_a_file.status_code == 422
    assert [f["filename"] for f in listed] == ["Công văn.pdf", "Bảng.xlsx"]
    assert hidden.status_code == 404
    assert shown.status_code == 200 and shown.json()["published"] is True
    assert (by_officer.status_code, by_officer.content) == (200, PDF)
    assert by_officer.headers["content-disposition"].startswith("attachment;")
    assert anonymous.status_code == 404  # shown, but the answer is not public yet


def test_the_api_refuses_a_file_for_an_answer_not_being_drafted(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, _answer = case.submitted_answer()
    refused = client.post(f"/api/v1/questions/{question.id}/attachments",
                          headers=bearer(session, case.officer), data={"to": "answer"},
                          files={"file": ("a.pdf", PDF, "application/pdf")})
    assert refused.status_code == 409
    assert session.exec(select(Attachment)).all() == []


def test_only_a_public_file_may_be_kept_by_shared_caches(login_as, client, session: Session  # type: ignore[no-untyped-def]
                                                          ) -> None:
    case = Case(session)
    question, answer = case.submitted_answer()
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    page = f"/staff/questions/{question.id}"
    _post(staff, f"{page}/comment", page, "Văn bản trả lời.", "Công văn.pdf", PDF)
    row = session.exec(select(Attachment).where(Attachment.question_id == question.id)).one()

    private = staff.get(f"/attachments/{row.id}")
    hidden = client.get(f"/attachments/{row.id}")
    hidden_api = client.get(f"/api/v1/attachments/{row.id}")
    row.published = True
    service.approve_answer(session, actor=case.spokesperson, question=question, answer=answer)
    service.publish_answer(session, actor=case.spokesperson, question=question, answer=answer,
                           data=AnswerPublish())
    session.commit()
    public = client.get(f"/api/v1/attachments/{row.id}")

    assert (private.status_code, private.headers["cache-control"]) == (200, "private, no-store")
    assert private.headers["content-type"] == "application/pdf"
    assert (public.status_code, public.headers["cache-control"]) == (200, "public, max-age=300")
    assert hidden.status_code == 404 and "Không có tệp này." in page_text(hidden.text)
    assert hidden_api.status_code == 404 and hidden_api.json()["detail"] == "Không có tệp này."
