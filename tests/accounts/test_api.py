"""The accounts API: bearer-token login and logout, the current user, and the rules every
API route shares (bearer only, never the cookie; documented in OpenAPI)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import LoginAttempt, LoginSession
from pressroom.core.i18n import gettext as _
from pressroom.core.security import token_digest
from tests import factories
from tests.factories import bearer

LOGIN = "/api/v1/auth/login"


def aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


def test_login_with_password_gives_a_token_that_works(client, session: Session) -> None:
    user = factories.user(session, Role.JOURNALIST, email="ha.dang@baonhandan.vn",
                          full_name="Đặng Thu Hà")
    session.commit()

    response = client.post(LOGIN, json={"email": "Ha.Dang@BaoNhanDan.vn",
                                        "password": factories.PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {"id": user.id, "email": "ha.dang@baonhandan.vn",
                            "full_name": "Đặng Thu Hà", "role": "journalist"}
    row = session.exec(
        select(LoginSession).where(LoginSession.token_hash == token_digest(body["token"]))
    ).one()
    assert row.user_id == user.id
    assert aware(body["expires_at"]) == row.expires_at
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json() == body["user"]
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    assert not any(v.startswith("pressroom_session=") for v in cookies)


def test_login_with_wrong_password_is_401_and_the_attempt_is_kept(client, session: Session
                                                                   ) -> None:
    factories.user(session, Role.SPOKESPERSON, email="sam@mic.gov.vn")
    session.commit()

    response = client.post(LOGIN, json={"email": "sam@mic.gov.vn", "password": "sai-mat-khau-1"})

    assert response.status_code == 401
    assert response.json() == {"detail": _("The e-mail address or password is not correct.")}
    assert response.headers["www-authenticate"] == "Bearer"
    attempts = session.exec(select(LoginAttempt).where(LoginAttempt.email == "sam@mic.gov.vn"))
    assert [(a.email, a.client) for a in attempts] == [("sam@mic.gov.vn", "testclient")]
    assert session.exec(select(LoginSession)).all() == []


def test_login_is_throttled_after_repeated_failures(client, session: Session) -> None:
    factories.user(session, Role.JOURNALIST, email="nhieu.lan@vnexpress.net")
    session.commit()
    for _attempt in range(5):
        client.post(LOGIN, json={"email": "nhieu.lan@vnexpress.net", "password": "doan-sai-123"})

    response = client.post(LOGIN, json={"email": "nhieu.lan@vnexpress.net",
                                        "password": factories.PASSWORD})

    assert response.status_code == 401
    assert response.json() == {
        "detail": _("Too many failed logins. Please wait 15 minutes and try again.")}


def test_login_of_a_disabled_account_is_401(client, session: Session) -> None:
    user = factories.user(session, Role.UNIT_OFFICER, email="nghi.viec@mic.gov.vn")
    user.is_active = False
    session.add(user)
    session.commit()

    response = client.post(LOGIN, json={"email": "nghi.viec@mic.gov.vn",
                                        "password": factories.PASSWORD})

    assert response.status_code == 401
    assert response.json() == {"detail": _("This account has been disabled.")}


def test_login_without_password_is_422_naming_the_field(client) -> None:
    response = client.post(LOGIN, json={"email": "ai.do@example.vn"})

    assert response.status_code == 422
    assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [
        (["body", "password"], "missing")]


def test_me_without_a_token_is_401(client) -> None:
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json() == {"detail": _("Please log in to continue.")}
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["cache-control"] == "no-store"


def test_me_with_only_a_session_cookie_is_401(login_as) -> None:
    browser, _user = login_as("journalist")
    assert browser.get("/my/questions").status_code == 200  # the cookie works for pages

    response = browser.get("/api/v1/me")

    assert response.status_code == 401


def test_me_with_an_unknown_token_or_another_scheme_is_401(client, session: Session) -> None:
    user = factories.user(session, Role.JOURNALIST)
    token = bearer(session, user)["Authorization"].removeprefix("Bearer ")

    assert client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"}
                      ).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Basic {token}"}
                      ).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"bearer {token}"}
                      ).status_code == 200


def test_me_returns_the_token_holder(client, session: Session) -> None:
    user = factories.user(session, Role.UNIT_OFFICER, full_name="Lê Hải Yến",
                          email="yen.le@mic.gov.vn")

    response = client.get("/api/v1/me", headers=bearer(session, user))

    assert response.status_code == 200
    assert response.json() == {"id": user.id, "email": "yen.le@mic.gov.vn",
                               "full_name": "Lê Hải Yến", "role": "unit_officer"}


def test_logout_revokes_the_token(client, session: Session) -> None:
    user = factories.user(session, Role.SPOKESPERSON)
    headers = bearer(session, user)
    other = bearer(session, user)  # the same person logged in elsewhere

    response = client.post("/api/v1/auth/logout", headers=headers)

    assert response.status_code == 204
    assert response.content == b""
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 200
    session.expire_all()
    assert len(session.exec(select(LoginSession).where(LoginSession.user_id == user.id)).all()) == 1


def test_logout_without_a_token_is_401(client) -> None:
    assert client.post("/api/v1/auth/logout").status_code == 401


def test_every_api_route_is_documented(client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  if path.startswith("/api/v1/") for method, op in item.items()]

    assert len(operations) >= 29
    undocumented = [f"{method} {path}" for path, method, op in operations
                    if not op.get("summary") or not op.get("description")
                    or not {"200", "201", "204"} & set(op["responses"])]
    assert undocumented == []
    assert spec["components"]["securitySchemes"] == {"HTTPBearer": {"type": "http",
                                                                    "scheme": "bearer"}}
