"""The public directory API: ministries and agencies, one with its spokespersons and units,
and every spokesperson (Decree 09/2017/NĐ-CP, Art. 3: name, title, phone and e-mail public)."""

from __future__ import annotations

from pressroom.core.i18n import gettext as _
from pressroom.organizations import service as organizations
from pressroom.organizations.queries import spokesperson_for_user
from tests import factories


def test_api_lists_the_ministries_and_agencies(client, session):
    office, health, inspectorate, police = factories.government(session)
    factories.unit(session, health)
    session.commit()

    response = client.get("/api/v1/organizations")

    assert response.status_code == 200
    assert response.json() == [
        {"id": org.id, "name": org.name, "short_name": org.short_name, "kind": org.kind.value,
         "page_url": f"/organizations/{org.id}",
         "calendar_url": f"/organizations/{org.id}/calendar.ics"}
        for org in (office, police, health, inspectorate)]


def test_api_gives_a_ministry_with_its_spokespersons_and_units(client, session):
    case = factories.Case(session)
    deputy = organizations.add_spokesperson(
        session, organization_id=case.ministry.id or 0, full_name="Trần Văn Bình",
        title="Phó Chánh Văn phòng Bộ", is_deputy=True)
    principal = spokesperson_for_user(session, case.spokesperson.id or 0)
    assert principal is not None
    session.commit()

    body = client.get(f"/api/v1/organizations/{case.ministry.id}").json()
    unit_entry = client.get(f"/api/v1/organizations/{case.unit.id}")

    assert body == {
        "id": case.ministry.id, "name": case.ministry.name, "short_name": "Bộ TTTT",
        "kind": "ministry", "page_url": f"/organizations/{case.ministry.id}",
        "calendar_url": f"/organizations/{case.ministry.id}/calendar.ics",
        "spokespersons": [
            {"id": principal.id, "organization_id": case.ministry.id,
             "full_name": "Nguyễn Hồng Sâm", "title": "Người phát ngôn, Chánh Văn phòng Bộ",
             "phone": "024 3943 7120", "email": case.spokesperson.email, "is_deputy": False},
            {"id": deputy.id, "organization_id": case.ministry.id, "full_name": "Trần Văn Bình",
             "title": "Phó Chánh Văn phòng Bộ", "phone": "", "email": "", "is_deputy": True}],
        "units": [{"id": case.unit.id, "name": case.unit.name}],
    }
    assert unit_entry.status_code == 404
    assert unit_entry.json() == {"detail": _("Organisation not found.")}


def test_api_lists_every_spokesperson_by_ministry(client, session):
    office, health, _inspectorate, police = factories.government(session)
    people = [organizations.add_spokesperson(session, organization_id=org.id or 0,
                                             full_name=name, title="Người phát ngôn",
                                             is_deputy=deputy)
              for org, name, deputy in ((health, "Đặng Văn An", True),
                                        (health, "Nguyễn Thị Liên Hương", False),
                                        (office, "Trần Văn Sơn", False),
                                        (police, "Lê Văn Tuyến", False))]
    session.commit()

    body = client.get("/api/v1/spokespersons").json()

    assert [(p["full_name"], p["organization_id"], p["is_deputy"]) for p in body] == [
        ("Trần Văn Sơn", office.id, False), ("Lê Văn Tuyến", police.id, False),
        ("Nguyễn Thị Liên Hương", health.id, False), ("Đặng Văn An", health.id, True)]
    assert {p["id"] for p in body} == {p.id for p in people}
