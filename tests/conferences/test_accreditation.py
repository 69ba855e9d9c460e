"""Going live and ending a conference; journalists' accreditation: registration, the press
office's decisions, trusted outlets, the capacity."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from pressroom.accounts.enums import Role
from pressroom.conferences import service as conferences
from pressroom.conferences.enums import AccreditationStatus, ConferenceStatus
from pressroom.conferences.models import Accreditation, PressConference
from pressroom.conferences.queries import transcript
from pressroom.core.audit import Event
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, ValidationFailed
from pressroom.notifications.enums import NotificationKind
from pressroom.notifications.models import Notification
from tests import factories
from tests.conftest import csrf_token, post_form


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _soon(session, case: factories.Case, **kwargs: object) -> PressConference:
    """An announced conference starting in 30 minutes (it may go live)."""
    return factories.conference(session, case.spokesperson, case.ministry,
                                starts_at=now() + timedelta(minutes=30), **kwargs)  # type: ignore[arg-type]


def _notes(session, user) -> list[tuple[str, str]]:
    return [(n.kind.value, n.text) for n in session.exec(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


# Going live and ending ------------------------------------------------------------------

def test_go_live_more_than_an_hour_ahead_is_refused_naming_the_earliest_time(session):
    case = factories.Case(session)
    start = now() + timedelta(hours=3)
    conference = factories.conference(session, case.spokesperson, case.ministry, starts_at=start)

    with pytest.raises(InvalidTransition) as refused:
        conferences.go_live(session, actor=case.spokesperson, conference=conference)

    from pressroom.core.i18n import fmt_datetime
    assert fmt_datetime(start - timedelta(hours=1)) in refused.value.message
    assert conference.status == ConferenceStatus.ANNOUNCED


def test_go_live_then_end_records_both_times_and_events(session):
    case = factories.Case(session)
    conference = _soon(session, case)

    conferences.go_live(session, actor=case.spokesperson, conference=conference)
    assert conference.status == ConferenceStatus.LIVE
    assert conference.live_started_at is not None
    with pytest.raises(InvalidTransition):  # live: it is ended, not recorded as held
        conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    conferences.end_conference(session, actor=case.spokesperson, conference=conference)

    assert conference.status == ConferenceStatus.HELD
    assert conference.live_ended_at is not None
    session.commit()
    actions = list(session.exec(select(Event.action).where(
        Event.case_type == "press_conference", Event.case_id == conference.id).order_by(Event.id)))
    assert actions[-2:] == ["conference.live", "conference.ended"]


def test_end_of_a_conference_that_is_not_live_says_its_state(session):
    case = factories.Case(session)
    conference = _soon(session, case)

    with pytest.raises(InvalidTransition) as refused:
        conferences.end_conference(session, actor=case.spokesperson, conference=conference)

    assert "Họp báo đã được thông báo: có thể sửa" in refused.value.message


def test_staff_page_goes_live_and_ends_with_buttons(login_as, session):
    case = factories.Case(session)
    conference = _soon(session, case, title="Họp báo trực tiếp về giá điện")
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    detail = f"/staff/conferences/{conference.id}"
    page = client.get(detail).text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
    assert f'action="{detail}/live"' in page

    went = post_form(client, f"{detail}/live", {"version": version, "seen": seen}, page=detail)

    assert went.status_code == 303 and went.headers["location"] == detail
    page = client.get(detail).text
    assert "Đang diễn ra" in _text(page)
    assert f'action="{detail}/end"' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
    ended = post_form(client, f"{detail}/end", {"version": version, "seen": seen}, page=detail)
    assert ended.headers["location"] == detail
    session.refresh(conference)
    assert conference.status == ConferenceStatus.HELD


# Accreditation ------------------------------------------------------------------------

def test_journalist_registers_and_waits_for_the_press_office(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      title="Họp báo Chính phủ thường kỳ tháng 12")
    session.commit()
    client, journalist = login_as(user=case.journalist)
    path = f"/conferences/{conference.id}/accreditation"
    assert "Đăng ký tham dự" in _text(client.get(path).text)

    sent = post_form(client, path, {}, page=path)

    assert sent.status_code == 303 and sent.headers["location"] == path
    [row] = session.exec(select(Accreditation).where(Accreditation.conference_id == conference.id))
    assert (row.journalist_id, row.status) == (journalist.id, AccreditationStatus.PENDING)
    assert "Chờ duyệt" in _text(client.get(path).text)
    # Sending again (a second tab) keeps the one registration.
    post_form(client, path, {}, page=path)
    assert len(session.exec(select(Accreditation).where(
        Accreditation.conference_id == conference.id)).all()) == 1


def test_press_office_approves_and_the_journalist_is_told(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      title="Họp báo về chuyển đổi số")
    accreditation = conferences.request_accreditation(session, journalist=case.journalist,
                                                      conference=conference)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    listing = f"/staff/conferences/{conference.id}/accreditations"
    page = client.get(listing).text
    assert case.journalist.full_name in _text(page)
    assert "Chờ duyệt" in _text(page)

    done = post_form(client, f"/staff/accreditations/{accreditation.id}/decision",
                     {"decision": "approve", "version": accreditation.row_version}, page=listing)

    assert done.status_code == 303 and done.headers["location"] == listing
    session.refresh(accreditation)
    assert accreditation.status == AccreditationStatus.APPROVED
    assert accreditation.decided_by_id == case.spokesperson.id
    [(kind, text)] = _notes(session, case.journalist)
    assert kind == NotificationKind.ACCREDITATION_APPROVED.value
    assert "18 Nguyễn Du, Hà Nội" in text
    assert "Đã được duyệt tham dự 1 (không giới hạn)" in _text(client.get(listing).text)


def test_declining_needs_a_reason_which_the_journalist_reads(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    accreditation = conferences.request_accreditation(session, journalist=case.journalist,
                                                      conference=conference)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    listing = f"/staff/conferences/{conference.id}/accreditations"
    decision = f"/staff/accreditations/{accreditation.id}/decision"

    refused = post_form(client, decision, {"decision": "decline",
                                           "version": accreditation.row_version}, page=listing)
    assert refused.status_code == 400
    assert "Lý do: hãy nêu lý do từ chối" in _text(refused.text)
    post_form(client, decision, {"decision": "decline", "version": accreditation.row_version,
                                 f"reason-{accreditation.id}": "Thẻ nhà báo đã hết hạn <2025>"},
              page=listing)

    session.refresh(accreditation)
    assert (accreditation.status, accreditation.reason) == (
        AccreditationStatus.DECLINED, "Thẻ nhà báo đã hết hạn <2025>")
    [(kind, text)] = _notes(session, case.journalist)
    assert kind == NotificationKind.ACCREDITATION_DECLINED.value
    assert text.endswith("Thẻ nhà báo đã hết hạn <2025>")
    journalist_client, _j = login_as(user=case.journalist)
    page = journalist_client.get(f"/conferences/{conference.id}/accreditation").text
    assert "Thẻ nhà báo đã hết hạn &lt;2025&gt;" in page


def test_stale_decision_is_not_applied_and_says_so(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    accreditation = conferences.request_accreditation(session, journalist=case.journalist,
                                                      conference=conference)
    read_at = accreditation.row_version
    conferences.decide_accreditation(session, actor=case.spokesperson,
                                     accreditation=accreditation, approve=True)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    listing = f"/staff/conferences/{conference.id}/accreditations"

    late = post_form(client, f"/staff/accreditations/{accreditation.id}/decision",
                     {"decision": "decline", "version": read_at,
                      f"reason-{accreditation.id}": "Hết chỗ"}, page=listing)

    assert late.headers["location"] == listing
    session.refresh(accreditation)
    assert accreditation.status == AccreditationStatus.APPROVED


def test_trusted_outlet_is_accredited_at_once(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    listing = f"/staff/conferences/{conference.id}/accreditations"
    added = post_form(client, f"/staff/conferences/{conference.id}/trusted-outlets",
                      {"outlet_id": case.journalist.outlet_id, "trusted": "1"}, page=listing)
    assert added.headers["location"] == listing

    accreditation = conferences.request_accreditation(session, journalist=case.journalist,
                                                      conference=conference)

    assert accreditation.status == AccreditationStatus.APPROVED
    assert accreditation.decided_by_id is None
    assert "tự động" in _text(client.get(listing).text)
    assert [k for k, _t in _notes(session, case.journalist)] == ["accreditation_approved"]


def test_capacity_stops_registration_and_approval(session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    conference.capacity = 1
    first = conferences.request_accreditation(session, journalist=case.journalist,
                                              conference=conference)
    other = factories.user(session, Role.JOURNALIST)
    second = conferences.request_accreditation(session, journalist=other, conference=conference)
    conferences.decide_accreditation(session, actor=case.spokesperson, accreditation=first,
                                     approve=True)

    with pytest.raises(ValidationFailed) as full:
        conferences.decide_accreditation(session, actor=case.spokesperson, accreditation=second,
                                         approve=True)
    assert "1" in full.value.message and second.status == AccreditationStatus.PENDING
    with pytest.raises(ValidationFailed):
        conferences.request_accreditation(session, journalist=factories.user(
            session, Role.JOURNALIST), conference=conference)


def test_registration_is_closed_once_held_and_absent_for_drafts(login_as, session):
    case = factories.Case(session)
    held = factories.conference(session, case.spokesperson, case.ministry,
                                starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=held)
    draft = factories.conference(session, case.spokesperson, case.ministry, announce=False)
    session.commit()
    client, _user = login_as(user=case.journalist)

    closed = post_form(client, f"/conferences/{held.id}/accreditation", {},
                       page=f"/conferences/{held.id}/accreditation")
    hidden = client.get(f"/conferences/{draft.id}/accreditation")

    assert closed.status_code == 409
    assert "Chỉ đăng ký được khi họp báo" in _text(closed.text)
    assert hidden.status_code == 404


@pytest.mark.parametrize("role", ["unit_officer", "spokesperson", "admin"])
def test_only_journalists_register(login_as, session, role):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    client, _user = login_as(role)

    page = client.get(f"/conferences/{conference.id}/accreditation")

    assert page.status_code == 403
    assert session.exec(select(Accreditation)).all() == []


def test_another_ministry_cannot_see_or_decide_registrations(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    accreditation = conferences.request_accreditation(session, journalist=case.journalist,
                                                      conference=conference)
    session.commit()
    client, _user = login_as("spokesperson")

    listing = client.get(f"/staff/conferences/{conference.id}/accreditations")
    decided = post_form(client, f"/staff/accreditations/{accreditation.id}/decision",
                        {"decision": "approve", "version": 1}, page="/staff/conferences")

    assert (listing.status_code, decided.status_code) == (404, 404)
    session.refresh(accreditation)
    assert accreditation.status == AccreditationStatus.PENDING


def test_capacity_field_names_its_rule(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    client, _user = login_as(user=case.spokesperson)
    detail = f"/staff/conferences/{conference.id}"
    page = client.get(detail).text
    values = dict(re.findall(r'name="(title|venue|starts_at|ends_at|host_organization_id|version|seen)"'
                             r'[^>]*value="([^"]*)"', page))
    values["host_organization_id"] = str(case.ministry.id)

    refused = post_form(client, f"{detail}/edit", {**values, "capacity": "0"}, page=detail)
    saved = post_form(client, f"{detail}/edit", {**values, "capacity": "120"}, page=detail)

    assert "Số chỗ cho phóng viên: ít nhất 1." in _text(refused.text)
    assert saved.status_code == 303
    session.refresh(conference)
    assert conference.capacity == 120


# The same through the API ----------------------------------------------------------------

def test_api_registration_decision_and_live_cycle(client, session):
    case = factories.Case(session)
    conference = _soon(session, case)
    staff = factories.bearer(session, case.spokesperson)
    journalist = factories.bearer(session, case.journalist)

    sent = client.post(f"/api/v1/conferences/{conference.id}/accreditation", headers=journalist)
    assert sent.status_code == 200
    registration = sent.json()
    assert (registration["status"], registration["automatic"]) == ("pending", False)
    assert registration["journalist_name"] == case.journalist.full_name

    listed = client.get(f"/api/v1/staff/conferences/{conference.id}/accreditations", headers=staff)
    assert [r["id"] for r in listed.json()] == [registration["id"]]
    decision = f"/api/v1/accreditations/{registration['id']}/decision"
    stale = client.post(decision, json={"approve": True},
                        headers={**staff, "If-Match": f'"{registration["row_version"] + 1}"'})
    assert stale.status_code == 412
    declined = client.post(decision, json={"approve": False}, headers=staff)
    assert declined.status_code == 422
    approved = client.post(decision, json={"approve": True},
                           headers={**staff, "If-Match": f'"{registration["row_version"]}"'})
    assert approved.json()["status"] == "approved"
    mine = client.get(f"/api/v1/conferences/{conference.id}/accreditation", headers=journalist)
    assert mine.json()["status"] == "approved"

    live = client.post(f"/api/v1/conferences/{conference.id}/live", headers=staff)
    assert (live.json()["status"], live.json()["live_started_at"] is not None) == ("live", True)
    ended = client.post(f"/api/v1/conferences/{conference.id}/end", headers=staff)
    assert ended.json()["status"] == "held"
    closed = client.post(f"/api/v1/conferences/{conference.id}/accreditation",
                         headers=factories.bearer(session, factories.user(session, Role.JOURNALIST)))
    assert closed.status_code == 409
    assert closed.json()["detail"].startswith("Chỉ đăng ký được khi họp báo")


# Transcript import into the editor ------------------------------------------------------

DATA = Path(__file__).resolve().parent.parent / "data" / "transcripts"


def _held(session, case: factories.Case) -> PressConference:
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      starts_at=now() - timedelta(hours=3))
    conferences.mark_conference_held(session, actor=case.spokesperson, conference=conference)
    session.commit()
    return conference


def test_imported_subtitles_fill_the_editor_without_saving(login_as, session):
    case = factories.Case(session)
    conference = _held(session, case)
    client, _user = login_as(user=case.spokesperson)
    detail = f"/staff/conferences/{conference.id}"
    token = csrf_token(client, detail)

    with (DATA / "hop-bao-thang-11.srt").open("rb") as upload:
        preview = client.post(f"{detail}/transcript/import", data={"csrf_token": token},
                              files={"transcript_file": ("hop-bao-thang-11.srt", upload,
                                                         "application/x-subrip")})

    assert preview.status_code == 200
    text = _text(preview.text)
    assert "4 lượt phát biểu đã đọc từ hop-bao-thang-11.srt" in text
    assert 'name="turns-0-speaker_name" type="text" value="Bộ trưởng Trần Văn Sơn"' in preview.text
    assert 'name="turns-0-offset" type="text" value="0:00:15"' in preview.text
    assert 'value="Thứ trưởng Nguyễn Thanh Lâm"' in preview.text
    assert "người dân &amp; doanh nghiệp" in preview.text
    assert transcript(session, conference.id) == []


def test_import_of_a_file_that_is_not_a_transcript_says_why(login_as, session):
    case = factories.Case(session)
    conference = _held(session, case)
    client, _user = login_as(user=case.spokesperson)
    detail = f"/staff/conferences/{conference.id}"

    refused = client.post(f"{detail}/transcript/import",
                          data={"csrf_token": csrf_token(client, detail)},
                          files={"transcript_file": ("bien-ban.exe", b"MZ\x90\x00",
                                                     "application/octet-stream")})
    empty = client.post(f"{detail}/transcript/import",
                        data={"csrf_token": csrf_token(client, detail)})

    assert refused.status_code == 400
    assert "Không nhập được loại tệp này: hãy chọn tệp .txt, .srt, .vtt hoặc .docx." in _text(refused.text)
    assert empty.status_code == 400
    assert "Tệp nội dung họp báo: hãy chọn tệp .txt, .srt, .vtt hoặc .docx." in _text(empty.text)
