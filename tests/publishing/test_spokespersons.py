"""The public conference page names the host's spokespersons (Decree 09/2017/NĐ-CP, Art. 3)."""

from __future__ import annotations

from pressroom.core.i18n import gettext as _
from pressroom.organizations import service as organizations
from pressroom.organizations.queries import spokesperson_for_user
from tests import factories
from tests.reading import listed_people


def _contact(phone: str, email: str) -> str:
    return f"{_('Phone')}: {phone} {_('E-mail')}: {email}"


def test_conference_page_lists_the_principal_spokesperson_then_deputies_by_name(client, session):
    case = factories.Case(session)  # its spokesperson, Nguyễn Hồng Sâm, is the principal one
    # Deputies recorded out of name order, and both named before the principal alphabetically.
    organizations.add_spokesperson(
        session, organization_id=case.ministry.id, full_name="Trần Văn Bình",
        title="Phó Chánh Văn phòng Bộ", phone="024 3943 7121", email="Binh.Tran@Example.vn",
        is_deputy=True)
    organizations.add_spokesperson(
        session, organization_id=case.ministry.id, full_name="Bùi Thị Mai",
        title="Vụ trưởng Vụ Pháp chế", phone="0912.345.678", email="mai.bui@example.vn",
        is_deputy=True)
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    response = client.get(f"/conferences/{conference.id}")

    assert response.status_code == 200
    deputy = _("Person authorised to speak")
    assert listed_people(response.text) == [
        {"name": "Nguyễn Hồng Sâm", "title": "Người phát ngôn, Chánh Văn phòng Bộ",
         "contact": _contact("024 3943 7120", case.spokesperson.email)},
        {"name": "Bùi Thị Mai", "title": f"Vụ trưởng Vụ Pháp chế {deputy}",
         "contact": _contact("0912.345.678", "mai.bui@example.vn")},
        {"name": "Trần Văn Bình", "title": f"Phó Chánh Văn phòng Bộ {deputy}",
         "contact": _contact("024 3943 7121", "binh.tran@example.vn")},
    ]
    assert 'href="tel:0912345678"' in response.text
    assert 'href="mailto:binh.tran@example.vn"' in response.text


def test_conference_page_lists_principals_by_name_when_there_are_two(client, session):
    case = factories.Case(session)
    organizations.add_spokesperson(
        session, organization_id=case.ministry.id, full_name="Đỗ Quang Minh",
        title="Phó Chánh Văn phòng Bộ", is_deputy=True)
    organizations.add_spokesperson(
        session, organization_id=case.ministry.id, full_name="Lê Thị Thu",
        title="Thứ trưởng", phone="", email="")
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    people = listed_people(client.get(f"/conferences/{conference.id}").text)

    assert [p["name"] for p in people] == ["Lê Thị Thu", "Nguyễn Hồng Sâm", "Đỗ Quang Minh"]
    assert people[0] == {"name": "Lê Thị Thu", "title": "Thứ trưởng", "contact": ""}


def test_conference_page_leaves_out_another_ministrys_spokesperson(client, session):
    case = factories.Case(session)
    other = factories.ministry(session, name="Bộ Ngoại giao", short="BNG")
    organizations.add_spokesperson(
        session, organization_id=other.id, full_name="Phạm Thu Hằng",
        title="Người phát ngôn Bộ Ngoại giao", phone="024 3799 3000", email="hang@mofa.example.vn")
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    page = client.get(f"/conferences/{conference.id}").text

    assert [p["name"] for p in listed_people(page)] == ["Nguyễn Hồng Sâm"]
    assert "Phạm Thu Hằng" not in page
    assert "hang@mofa.example.vn" not in page


def test_conference_page_of_a_host_without_spokesperson_says_none_is_listed(client, session):
    case = factories.Case(session)
    other = factories.ministry(session, name="Bộ Ngoại giao", short="BNG")
    organizations.add_spokesperson(
        session, organization_id=other.id, full_name="Phạm Thu Hằng",
        title="Người phát ngôn Bộ Ngoại giao")
    # The host's own record is removed: the host now has no spokesperson on file.
    session.delete(spokesperson_for_user(session, case.spokesperson.id or 0))
    conference = factories.conference(session, case.spokesperson, case.ministry)
    session.commit()

    page = client.get(f"/conferences/{conference.id}").text

    assert listed_people(page) == []
    assert f'<p class="govuk-body-s">{_("No spokesperson is listed.")}</p>' in page
