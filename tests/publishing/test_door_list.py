"""The door list: a PDF of a conference's accredited journalists, for its press office only."""

from __future__ import annotations

from pressroom.accounts.enums import Role
from pressroom.accounts.models import Outlet
from pressroom.conferences import service as conferences
from tests import factories
from tests.reading import pdf_text


def test_door_list_names_only_the_accredited_journalists(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry,
                                      title="Họp báo Chính phủ thường kỳ tháng 12 <2026>")
    conference.capacity = 50
    accredited = factories.user(session, Role.JOURNALIST, full_name="Nguyễn Thị Ngọc Ánh")
    waiting = factories.user(session, Role.JOURNALIST, full_name="Trần Quốc Việt")
    first = conferences.request_accreditation(session, journalist=accredited, conference=conference)
    conferences.request_accreditation(session, journalist=waiting, conference=conference)
    conferences.decide_accreditation(session, actor=case.spokesperson, accreditation=first,
                                     approve=True)
    session.commit()
    client, _user = login_as(user=case.spokesperson)

    response = client.get(f"/staff/conferences/{conference.id}/accreditations/pdf")

    assert response.headers["content-type"] == "application/pdf"
    assert "private" in response.headers["cache-control"]
    text = pdf_text(response.content)
    assert "Danh sách phóng viên tham dự" in text
    assert "Họp báo Chính phủ thường kỳ tháng 12 <2026>" in text
    outlet = session.get(Outlet, accredited.outlet_id)
    assert f"1 Nguyễn Thị Ngọc Ánh {outlet.name}" in text
    assert accredited.press_card_number in text
    assert "1 / 50 chỗ" in text
    assert "Trần Quốc Việt" not in text


def test_door_list_is_for_the_hosts_press_office_only(login_as, session):
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()
    path = f"/staff/conferences/{conference.id}/accreditations/pdf"

    other, _s = login_as("spokesperson")
    journalist, _j = login_as(user=case.journalist)

    assert other.get(path).status_code == 404
    assert journalist.get(path).status_code == 403
