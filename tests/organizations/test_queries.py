"""Reads over the organisation tree as people see them: the units a spokesperson may assign a
question to (everything below the addressed ministry, units only, by name), the ministries a
journalist may address (the Government Office first, then by name), and the ministry named on
a published answer (the nearest ministry or agency above the answering unit)."""

from __future__ import annotations

from pressroom.accounts.enums import Role
from pressroom.core.i18n import gettext as _
from pressroom.organizations import service as organizations
from pressroom.organizations.enums import OrgKind
from pressroom.questions import service as questions
from tests import factories
from tests.reading import select_options


def org(session, name, kind, parent=None):  # type: ignore[no-untyped-def]
    return organizations.create_organization(session, name=name, kind=kind,
                                             parent_id=parent.id if parent else None)


def test_assign_form_offers_every_unit_below_the_ministry_by_name(login_as, session):
    case = factories.Case(session)  # its unit: "Trung tâm Thông tin …"
    # Created out of name order, so that only the query's order can put them right.
    legal = org(session, "Vụ Pháp chế", OrgKind.UNIT, case.ministry)
    press = org(session, "Phòng Báo chí", OrgKind.UNIT, legal)  # a unit inside a unit
    office = org(session, "Cục Báo chí", OrgKind.UNIT, case.ministry)
    org(session, "Tạp chí của Bộ", OrgKind.AGENCY, case.ministry)  # below it, but not a unit
    elsewhere = factories.ministry(session, name="Bộ Y tế")
    org(session, "Cục An toàn thực phẩm", OrgKind.UNIT, elsewhere)
    question = case.question()
    questions.accept_question(session, actor=case.spokesperson, question=question)
    staff, _user = login_as(user=case.spokesperson)

    page = staff.get(f"/staff/questions/{question.id}").text

    units = [(value, label) for value, label in select_options(page, "unit_id") if value]
    assert units == [(str(office.id), "Cục Báo chí"), (str(press.id), "Phòng Báo chí"),
                     (str(case.unit.id), case.unit.name), (str(legal.id), "Vụ Pháp chế")]


def test_question_form_offers_the_government_office_first_then_ministries_by_name(login_as,
                                                                                  session):
    case = factories.Case(session)  # its ministry: "Bộ Thông tin và Truyền thông …"
    health = org(session, "Bộ Y tế", OrgKind.MINISTRY)
    trade = org(session, "Bộ Công Thương", OrgKind.MINISTRY)
    television = org(session, "Đài Truyền hình Việt Nam", OrgKind.AGENCY)
    government = org(session, "Văn phòng Chính phủ", OrgKind.GOVERNMENT_OFFICE)
    news = org(session, "Thông tấn xã Việt Nam", OrgKind.AGENCY, government)
    org(session, "Vụ Thông tin Báo chí", OrgKind.UNIT, government)
    org(session, "Ban Biên tập", OrgKind.UNIT, health)
    client, _user = login_as(user=case.journalist)

    page = client.get("/my/questions/new").text

    assert select_options(page, "addressed_to_id") == [
        ("", _("The conference's host (for a conference question)")),
        (str(government.id), "Văn phòng Chính phủ"),
        (str(trade.id), "Bộ Công Thương"),
        (str(case.ministry.id), case.ministry.name),
        (str(health.id), "Bộ Y tế"),
        (str(news.id), "Thông tấn xã Việt Nam"),
        (str(television.id), "Đài Truyền hình Việt Nam"),
    ]


def test_answer_of_an_agency_below_the_government_office_names_the_agency(client, session):
    case = factories.Case(session)
    government = org(session, "Văn phòng Chính phủ", OrgKind.GOVERNMENT_OFFICE)
    agency = org(session, "Thông tấn xã Việt Nam", OrgKind.AGENCY, government)
    desk = org(session, "Ban Thư ký biên tập", OrgKind.UNIT, agency)
    # The case's roles, moved to the agency and its unit.
    case.ministry, case.unit = agency, desk
    case.spokesperson = factories.user(session, Role.SPOKESPERSON, org_id=agency.id)
    case.officer = factories.user(session, Role.UNIT_OFFICER, org_id=desk.id)
    _question, answer = case.published_answer()
    session.commit()

    document = client.get(f"/api/v1/answers/{answer.id}").json()

    assert (document["ministry_name"], document["unit_name"]) == (
        "Thông tấn xã Việt Nam", "Ban Thư ký biên tập")
