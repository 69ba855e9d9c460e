"""A registration is decided only by the press office of the conference's host: another
ministry's spokesperson, or an unknown registration, is told it is not found."""

from __future__ import annotations

from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.conferences import service as conferences
from pressroom.conferences.enums import AccreditationStatus
from tests import factories
from tests.factories import bearer

NOT_FOUND = "Không tìm thấy đăng ký."


def _registration(session: Session):  # type: ignore[no-untyped-def]
    case = factories.Case(session)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    registration = conferences.request_accreditation(session, journalist=case.journalist,
                                                     conference=conference)
    return case, registration


def test_another_ministrys_spokesperson_cannot_decide_a_registration(client,
                                                                     session: Session) -> None:
    _case, registration = _registration(session)
    finance = factories.ministry(session, name="Bộ Tài chính")
    stranger = factories.user(session, Role.SPOKESPERSON, org_id=finance.id)
    session.commit()

    response = client.post(f"/api/v1/accreditations/{registration.id}/decision",
                           headers=bearer(session, stranger), json={"approve": True})

    assert (response.status_code, response.json()["detail"]) == (404, NOT_FOUND)
    session.refresh(registration)
    assert registration.status == AccreditationStatus.PENDING


def test_an_unknown_registration_is_not_found(client, session: Session) -> None:
    case, registration = _registration(session)
    session.commit()

    response = client.post(f"/api/v1/accreditations/{(registration.id or 0) + 1000}/decision",
                           headers=bearer(session, case.spokesperson), json={"approve": True})

    assert (response.status_code, response.json()["detail"]) == (404, NOT_FOUND)
