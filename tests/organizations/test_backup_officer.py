"""A unit's backup officer: named by the ministry's spokesperson; reminders of a question a
colleague holds reach them too, and they may take it over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from pressroom.accounts.enums import Role
from pressroom.answers import service as answers
from pressroom.answers.reminders import remind
from pressroom.core.audit import history
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pressroom.notifications.enums import NotificationKind
from pressroom.notifications.models import Notification
from pressroom.organizations.service import set_backup_officer
from pressroom.questions.models import Assignment
from tests import factories
from tests.conftest import csrf_token
from tests.reading import page_text


class Unit(factories.Case):
    """A Case whose unit has a second officer, to be its backup."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.backup = factories.user(session, Role.UNIT_OFFICER, org_id=self.unit.id)


def _told(session: Session, user_id: int | None) -> list[NotificationKind]:
    return [n.kind for n in session.exec(select(Notification).where(
        Notification.user_id == user_id, Notification.kind == NotificationKind.ANSWER_OVERDUE))]


def test_reminders_of_a_held_question_reach_the_holder_and_the_backup(session: Session) -> None:
    case = Unit(session)
    bystander = factories.user(session, Role.UNIT_OFFICER, org_id=case.unit.id)
    set_backup_officer(session, actor=case.spokesperson, unit=case.unit,
                       officer_id=case.backup.id)
    question = case.assigned()
    answers.claim_question(session, actor=case.officer, question=question)
    assignment = session.exec(select(Assignment).where(
        Assignment.question_id == question.id)).one()

    remind(session, now() + timedelta(days=30))  # long past the due date

    assert _told(session, case.officer.id) == [NotificationKind.ANSWER_OVERDUE]
    assert _told(session, case.backup.id) == [NotificationKind.ANSWER_OVERDUE]
    assert _told(session, bystander.id) == []
    assert assignment.claimed_by_id == case.officer.id


def test_the_backup_takes_over_a_colleagues_question_and_nobody_else_can(session: Session) -> None:
    case = Unit(session)
    other = factories.user(session, Role.UNIT_OFFICER, org_id=case.unit.id)
    question = case.assigned()
    answers.claim_question(session, actor=case.officer, question=question)
    with pytest.raises(InvalidTransition):
        answers.claim_question(session, actor=case.backup, question=question)  # not named yet
    set_backup_officer(session, actor=case.spokesperson, unit=case.unit,
                       officer_id=case.backup.id)

    held = answers.claim_question(session, actor=case.backup, question=question)

    assert held.claimed_by_id == case.backup.id
    with pytest.raises(InvalidTransition):
        answers.claim_question(session, actor=other, question=question)
    assert "unit.backup_set" in [e.action for e in history(session, case.unit)]


def test_only_an_officer_of_the_unit_and_only_its_ministrys_spokesperson(session: Session) -> None:
    case = Unit(session)
    other = factories.Case(session)
    with pytest.raises(ValidationFailed):
        set_backup_officer(session, actor=case.spokesperson, unit=case.unit,
                           officer_id=other.officer.id)
    with pytest.raises(ValidationFailed):
        set_backup_officer(session, actor=case.spokesperson, unit=case.unit,
                           officer_id=case.spokesperson.id)
    with pytest.raises(PermissionDenied):
        set_backup_officer(session, actor=other.spokesperson, unit=case.unit,
                           officer_id=case.backup.id)
    with pytest.raises(PermissionDenied):
        set_backup_officer(session, actor=case.officer, unit=case.unit, officer_id=case.backup.id)
    assert case.unit.backup_officer_id is None


def test_the_units_page_names_and_clears_the_backup(login_as, session: Session) -> None:
    case = Unit(session)
    other = factories.Case(session)
    session.commit()
    staff, _s = login_as(user=case.spokesperson)
    field = f"backup-{case.unit.id}"

    page = staff.get("/staff/units")
    saved = staff.post("/staff/units", data={"csrf_token": csrf_token(staff, "/staff/units"),
                                             field: str(case.backup.id)}, follow_redirects=False)
    session.refresh(case.unit)
    named = case.unit.backup_officer_id
    refused = staff.post("/staff/units", data={"csrf_token": csrf_token(staff, "/staff/units"),
                                               field: str(other.officer.id)})
    cleared = staff.post("/staff/units", data={"csrf_token": csrf_token(staff, "/staff/units"),
                                               field: ""}, follow_redirects=False)
    session.refresh(case.unit)

    assert case.unit.name in page_text(page.text)
    assert other.unit.name not in page_text(page.text)
    assert (saved.status_code, saved.headers["location"]) == (303, "/staff/units")
    assert named == case.backup.id
    assert refused.status_code == 400
    assert f'id="{field}-error"' in refused.text
    assert cleared.status_code == 303
    assert case.unit.backup_officer_id is None


@pytest.mark.parametrize("role", ["journalist", "unit_officer", "admin"])
def test_the_units_page_is_the_spokespersons(login_as, role: str) -> None:
    client, _u = login_as(role)
    assert client.get("/staff/units").status_code == 403


def test_the_officer_page_offers_the_backup_to_take_over(login_as, session: Session) -> None:
    case = Unit(session)
    set_backup_officer(session, actor=case.spokesperson, unit=case.unit,
                       officer_id=case.backup.id)
    question = case.assigned()
    answers.claim_question(session, actor=case.officer, question=question)
    session.commit()
    backup, _b = login_as(user=case.backup)
    path = f"/unit/questions/{question.id}"

    page = backup.get(path).text
    taken = backup.post(f"{path}/claim", data={"csrf_token": csrf_token(backup, path)},
                        follow_redirects=False)
    session.expire_all()
    assignment = session.exec(select(Assignment).where(
        Assignment.question_id == question.id)).one()

    assert f'action="{path}/claim"' in page
    assert case.backup.full_name in page_text(page)
    assert taken.status_code == 303
    assert assignment.claimed_by_id == case.backup.id


def test_the_api_lists_units_and_names_the_backup(client, session: Session) -> None:
    case = Unit(session)
    other = factories.Case(session)
    headers = factories.bearer(session, case.spokesperson)

    listed = client.get("/api/v1/staff/units", headers=headers).json()
    named = client.put(f"/api/v1/staff/units/{case.unit.id}/backup", headers=headers,
                       json={"officer_id": case.backup.id})
    wrong = client.put(f"/api/v1/staff/units/{case.unit.id}/backup", headers=headers,
                       json={"officer_id": other.officer.id})
    foreign = client.put(f"/api/v1/staff/units/{other.unit.id}/backup", headers=headers,
                         json={"officer_id": None})
    officer = client.get("/api/v1/staff/units", headers=factories.bearer(session, case.officer))

    assert [(u["id"], u["backup_officer_id"]) for u in listed] == [(case.unit.id, None)]
    assert {o["id"] for o in listed[0]["officers"]} == {case.officer.id, case.backup.id}
    assert named.status_code == 200 and named.json()["backup_officer_id"] == case.backup.id
    assert wrong.status_code == 422
    assert foreign.status_code == 404
    assert officer.status_code == 403
