"""Stale writes never win: a form carries the version it was read at, an API write the ETag it
read (If-Match). A stale page save shows what changed since, keeps what the user typed and
applies in one more step; a stale API write gets 412 with the current version."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, col, select

from pressroom.answers.enums import AnswerState
from pressroom.answers.models import Answer
from pressroom.answers.schemas import AnswerDraft
from pressroom.answers.service import save_draft
from pressroom.conferences.models import PressConference
from pressroom.conferences.service import mark_conference_held
from pressroom.core import audit
from pressroom.core.clock import now
from pressroom.core.i18n import local_zone
from tests import factories
from tests.factories import Case, bearer
from tests.reading import field_value, hidden, page_text

STALE = "Chưa lưu: nội dung đã thay đổi trong lúc bạn làm việc"


def _conference_form(page: str, **changes: str) -> dict[str, str]:
    names = ("title", "host_organization_id", "starts_at", "ends_at", "venue", "livestream_url",
             "description")
    values = {name: field_value(page, name) for name in names if name != "host_organization_id"}
    values["host_organization_id"] = _selected(page)
    values.update(csrf_token=hidden(page, "csrf_token"), version=hidden(page, "version"),
                  seen=hidden(page, "seen"), **changes)
    return values


def _selected(page: str) -> str:
    match = re.search(r'<select[^>]*name="host_organization_id".*?<option value="(\d+)" selected',
                      page, re.S)
    assert match, "no host chosen on the page"
    return match.group(1)


def test_second_tab_editing_a_conference_sees_the_change_and_keeps_its_text(
        session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    tab_a, _user = login_as(user=case.spokesperson)
    tab_b, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}"
    page_a = tab_a.get(url).text
    page_b = tab_b.get(url).text

    saved_b = tab_b.post(url + "/edit", data=_conference_form(
        page_b, venue="Trụ sở Chính phủ, 1 Hoàng Hoa Thám"), follow_redirects=False)
    refused_a = tab_a.post(url + "/edit", data=_conference_form(
        page_a, title="Họp báo Chính phủ thường kỳ tháng 11/2026"), follow_redirects=False)

    assert saved_b.status_code == 303
    assert refused_a.status_code == 409
    text = page_text(refused_a.text)
    assert STALE in text
    assert "18 Nguyễn Du, Hà Nội → Trụ sở Chính phủ, 1 Hoàng Hoa Thám" in text
    assert field_value(refused_a.text, "title") == "Họp báo Chính phủ thường kỳ tháng 11/2026"
    session.expire_all()
    stored = session.get(PressConference, conference.id)
    assert stored is not None
    assert (stored.title, stored.venue) == ("Họp báo thường kỳ quý IV năm 2026",
                                            "Trụ sở Chính phủ, 1 Hoàng Hoa Thám")

    # One step: the refused page carries the current version, so sending it again applies it.
    again = tab_a.post(url + "/edit", data=_conference_form(refused_a.text),
                       follow_redirects=False)

    assert again.status_code == 303
    session.expire_all()
    stored = session.get(PressConference, conference.id)
    assert stored is not None
    assert stored.title == "Họp báo Chính phủ thường kỳ tháng 11/2026"
    # The page kept the venue the other tab saved (it was read into the refused form).
    assert stored.venue == "Trụ sở Chính phủ, 1 Hoàng Hoa Thám"


def test_announce_from_an_old_page_is_refused_with_what_changed(
        session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}"
    old = client.get(url).text
    client.post(url + "/edit", data=_conference_form(old, venue="Hội trường tầng 2"))

    refused = client.post(url + "/announce", data={
        "csrf_token": hidden(old, "csrf_token"), "version": hidden(old, "version"),
        "seen": hidden(old, "seen")}, follow_redirects=False)

    assert refused.status_code == 409
    assert "18 Nguyễn Du, Hà Nội → Hội trường tầng 2" in page_text(refused.text)
    session.expire_all()
    assert session.get(PressConference, conference.id).status == "draft"  # type: ignore[union-attr]


def _staff_case(session: Session) -> tuple[Case, int]:
    case = Case(session)
    question, _answer = case.submitted_answer(body="Dự thảo trả lời về thẻ nhà báo.")
    session.commit()
    return case, question.id or 0


def test_approve_in_one_tab_then_return_in_another_keeps_the_comment(
        session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case, question_id = _staff_case(session)
    tab_a, _user = login_as(user=case.spokesperson)
    tab_b, _user = login_as(user=case.spokesperson)
    url = f"/staff/questions/{question_id}"
    page_a = tab_a.get(url).text
    page_b = tab_b.get(url).text
    form = {name: hidden(page_a, name) for name in ("csrf_token", "version", "seen")}

    approved = tab_a.post(url + "/approve", data=form, follow_redirects=False)
    returned = tab_b.post(url + "/return", data={
        "csrf_token": hidden(page_b, "csrf_token"), "version": hidden(page_b, "version"),
        "seen": hidden(page_b, "seen"),
        "comment": "Đề nghị bổ sung số liệu cấp thẻ năm 2026."}, follow_redirects=False)

    assert approved.status_code == 303
    assert returned.status_code == 409
    assert STALE in page_text(returned.text)
    assert "Đã duyệt" in page_text(returned.text)  # what changed: the approval
    assert ("Nội dung bạn đã nhập (chưa lưu): Ý kiến gửi đơn vị Đề nghị bổ sung số liệu cấp thẻ "
            "năm 2026.") in page_text(returned.text)
    session.expire_all()
    answer = session.exec(select(Answer).where(Answer.question_id == question_id)).one()
    assert answer.state == AnswerState.APPROVED
    actions = [e.action for e in session.exec(
        select(audit.Event).where(audit.Event.case_id == question_id,
                                  audit.Event.case_type == "question")
        .order_by(col(audit.Event.id)))]
    assert "answer.returned" not in actions
    assert actions[-2:] == ["answer.approved", "question.answered"]


def test_officer_saving_over_a_newer_draft_is_refused_and_keeps_the_text(
        session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    session.commit()
    client, _user = login_as(user=case.officer)
    url = f"/unit/questions/{question.id}"
    old = client.get(url).text
    save_draft(session, actor=case.officer, question=question,
               data=AnswerDraft(body="Bản nháp của đồng nghiệp."))
    session.commit()

    refused = client.post(url + "/answer", data={
        "csrf_token": hidden(old, "csrf_token"), "version": hidden(old, "version"),
        "seen": hidden(old, "seen"), "body": "Bản nháp của tôi, soạn cùng lúc.",
        "action": "save"}, follow_redirects=False)

    assert refused.status_code == 409
    text = page_text(refused.text)
    assert STALE in text and "Bản nháp của đồng nghiệp." in text
    assert field_value(refused.text, "body") == "Bản nháp của tôi, soạn cùng lúc."
    session.expire_all()
    answer = session.exec(select(Answer).where(Answer.question_id == question.id)).one()
    assert answer.body == "Bản nháp của đồng nghiệp."


def test_reassigning_from_an_old_page_is_refused(session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    other = factories.unit(session, case.ministry, name="Vụ Pháp chế")
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    url = f"/staff/questions/{question.id}"
    old = client.get(url).text
    due = (now().astimezone(local_zone()).date() + timedelta(days=10)).isoformat()
    form = {name: hidden(old, name) for name in ("csrf_token", "version", "seen")}
    first = client.post(url + "/assign", data={**form, "unit_id": str(other.id), "due_date": due},
                        follow_redirects=False)

    second = client.post(url + "/assign", data={**form, "unit_id": str(case.unit.id),
                                                "due_date": due, "note": "Trả lời gấp."},
                         follow_redirects=False)

    assert first.status_code == 303
    assert second.status_code == 409
    assert "Vụ Pháp chế" in page_text(second.text)
    assert field_value(second.text, "note") == "Trả lời gấp."


def test_transcript_saved_from_an_old_page_is_refused_and_kept(
        session: Session, login_as) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=3))
    mark_conference_held(session, actor=case.spokesperson, conference=conference)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    url = f"/staff/conferences/{conference.id}"
    old = client.get(url).text
    form = {name: hidden(old, name) for name in ("csrf_token", "version", "seen")}
    client.post(url + "/transcript", data={**form, "turns-0-speaker_name": "Nguyễn Thanh Lâm",
                                           "turns-0-text": "Xin chào các nhà báo."})

    refused = client.post(url + "/transcript", data={
        **form, "turns-0-speaker_name": "Phạm Minh Chính", "turns-0-text": "Lượt tôi gõ."},
        follow_redirects=False)

    assert refused.status_code == 409
    assert STALE in page_text(refused.text)
    assert field_value(refused.text, "turns-0-text") == "Lượt tôi gõ."


# --- API: ETag and If-Match ------------------------------------------------------------------

def test_api_conference_change_with_an_old_etag_gets_412(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    headers = bearer(session, case.spokesperson)
    url = f"/api/v1/conferences/{conference.id}"
    read = client.get(f"/api/v1/staff/conferences/{conference.id}", headers=headers)
    body = {key: read.json()[key] for key in ("title", "host_organization_id", "starts_at",
                                              "ends_at", "venue", "livestream_url", "description")}
    first = client.put(url, headers={**headers, "If-Match": read.headers["etag"]},
                       json={**body, "venue": "Hội trường A"})

    second = client.put(url, headers={**headers, "If-Match": read.headers["etag"]},
                        json={**body, "venue": "Hội trường B"})

    assert read.headers["etag"] == f'"{read.json()["row_version"]}"'
    assert first.status_code == 200
    assert first.headers["etag"] == f'"{first.json()["row_version"]}"'
    assert first.json()["row_version"] == read.json()["row_version"] + 1
    assert second.status_code == 412
    assert second.json()["current_version"] == first.json()["row_version"]
    assert second.headers["etag"] == first.headers["etag"]
    assert second.json()["detail"].startswith("Nội dung này đã được người khác thay đổi")
    session.expire_all()
    assert session.get(PressConference, conference.id).venue == "Hội trường A"  # type: ignore[union-attr]

    third = client.put(url, headers={**headers, "If-Match": first.headers["etag"]},
                       json={**body, "venue": "Hội trường B"})
    assert third.status_code == 200


def test_api_approve_and_return_race_one_loses_with_412(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question, answer = case.submitted_answer()
    headers = bearer(session, case.spokesperson)
    tag = f'"{answer.row_version}"'
    base = f"/api/v1/questions/{question.id}/answer"

    approved = client.post(base + "/approve", headers={**headers, "If-Match": tag})
    returned = client.post(base + "/return", headers={**headers, "If-Match": tag,
                                                       "Accept-Language": "en"},
                           json={"comment": "Bổ sung số liệu."})

    assert approved.status_code == 200
    assert returned.status_code == 412
    assert returned.json() == {
        "detail": "This was changed by someone else after you opened it. Read it again (its "
                  "ETag) and send your change with If-Match.",
        "current_version": approved.json()["row_version"]}


def test_api_draft_if_match_zero_means_only_when_none_exists(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.assigned()
    headers = {**bearer(session, case.officer), "If-Match": '"0"'}
    url = f"/api/v1/questions/{question.id}/answer"

    created = client.put(url, headers=headers, json={"body": "Bản nháp thứ nhất."})
    again = client.put(url, headers=headers, json={"body": "Bản nháp ghi đè."})

    assert created.status_code == 201
    assert created.headers["etag"] == '"1"'
    assert again.status_code == 412
    assert again.json()["current_version"] == 1


def test_api_screening_with_an_unknown_etag_gets_412(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    case = Case(session)
    question = case.question()
    headers = bearer(session, case.spokesperson)

    read = client.get(f"/api/v1/staff/questions/{question.id}", headers=headers)
    refused = client.post(f"/api/v1/questions/{question.id}/accept",
                          headers={**headers, "If-Match": '"nonsense"'})
    accepted = client.post(f"/api/v1/questions/{question.id}/accept",
                           headers={**headers, "If-Match": read.headers["etag"]})

    assert read.json()["row_version"] == 1
    assert refused.status_code == 412
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"


def test_api_if_match_reads_only_the_tags_we_issue(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """``*`` and a weak or listed copy of the current ETag go through; any other spelling of a
    version (padded, unquoted, too long) is a tag we never issued and gets 412."""
    case = Case(session)
    headers = bearer(session, case.spokesperson)
    outcomes = {}
    for tag in ('*', 'W/"1"', ' "1" ', '"1", "7"', '"7", "1"', '"01"', '1', '"1',
                '"0000000001"', '"99999999999999999999"', 'W/""'):
        question = case.question()
        response = client.post(f"/api/v1/questions/{question.id}/accept",
                               headers={**headers, "If-Match": tag})
        outcomes[tag] = response.status_code
    assert outcomes == {'*': 200, 'W/"1"': 200, ' "1" ': 200, '"1", "7"': 200, '"7", "1"': 412,
                        '"01"': 412, '1': 412, '"1': 412, '"0000000001"': 412,
                        '"99999999999999999999"': 412, 'W/""': 412}
