"""The shared web dependencies (pressroom.core.deps) as a visitor or an API client meets them:
the access rule's 401/403 answers, the one-shot flash message cookie, where a login goes
back to, pagination, the bearer token of the API and the CSRF check of forms."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from fastapi.testclient import TestClient

from pressroom.accounts.enums import Role
from pressroom.accounts.service import start_login_session
from pressroom.core.deps import Pagination, require
from pressroom.core.i18n import gettext as _
from pressroom.core.security import CSRF_COOKIE, FLASH_COOKIE, SESSION_COOKIE
from tests import factories
from tests.conftest import csrf_token, post_form

LOG_IN_FIRST = "Please log in to continue."
NOT_YOUR_ROLE = "Your role does not allow this."
FORM_EXPIRED = "The form had expired or was sent from elsewhere. Please try again."


def _message_on_page(response: httpx.Response, message: str) -> bool:
    return f'<p class="govuk-body">{html.escape(_(message), quote=False)}</p>' in response.text


# --- The access rule ----------------------------------------------------------------------------


@pytest.fixture
def guarded(app) -> Callable[[str], None]:  # type: ignore[no-untyped-def]
    """``guarded("users.manage")`` adds a page (/guarded) and an API route (/api/v1/guarded)
    whose rule is made by require() now: the app's own routes made theirs when imported."""

    def _add(permission: str) -> None:
        async def who(user: Any = require(permission)) -> dict[str, Any]:
            return {"id": user.id, "name": user.full_name}

        app.add_api_route("/guarded", who, methods=["GET"])
        app.add_api_route("/api/v1/guarded", who, methods=["GET"])

    return _add


def _bearer(session, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = start_login_session(session, user=user)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_require_names_its_permission_as_the_routes_access_rule():
    assert require("users.manage").dependency.access_rule == "users.manage"
    assert require("questions.screen").dependency.access_rule == "questions.screen"


def test_require_lets_a_role_holding_the_permission_through(guarded, login_as, client, session):
    guarded("users.manage")
    browser, admin = login_as("admin")

    page = browser.get("/guarded")
    api = client.get("/api/v1/guarded", headers=_bearer(session, admin))

    assert (page.status_code, page.json()) == (200, {"id": admin.id, "name": admin.full_name})
    assert (api.status_code, api.json()) == (200, {"id": admin.id, "name": admin.full_name})


def test_require_without_login_is_401_on_the_api_and_a_login_redirect_on_pages(guarded, client):
    guarded("users.manage")

    api = client.get("/api/v1/guarded")
    page = client.get("/guarded?tab=2&q=Bộ TTTT", follow_redirects=False)

    assert api.status_code == 401
    assert api.json() == {"detail": _(LOG_IN_FIRST)}
    assert api.headers["www-authenticate"] == "Bearer"
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fguarded%3Ftab%3D2%26q%3DB%25E1%25BB%2599%2520TTTT"


@pytest.mark.parametrize("role", ["journalist", "unit_officer", "spokesperson"])
def test_require_refuses_a_role_without_the_permission_with_403(guarded, login_as, client,
                                                                session, role):
    guarded("users.manage")
    browser, user = login_as(role)

    page = browser.get("/guarded")
    api = client.get("/api/v1/guarded", headers=_bearer(session, user))

    assert page.status_code == 403
    assert _message_on_page(page, NOT_YOUR_ROLE)
    assert api.status_code == 403
    assert api.json() == {"detail": _(NOT_YOUR_ROLE)}


def test_require_refuses_a_disabled_account_on_the_api(guarded, client, session):
    guarded("account")
    user = factories.user(session, Role.JOURNALIST)
    headers = _bearer(session, user)
    user.is_active = False
    session.add(user)
    session.commit()

    response = client.get("/api/v1/guarded", headers=headers)

    assert response.status_code == 401
    assert response.json() == {"detail": _(LOG_IN_FIRST)}


# --- The bearer token of the API ----------------------------------------------------------------


@pytest.mark.parametrize("header", ["Bearer {token}", "bearer {token}", "BEARER {token}",
                                    "Bearer   {token}"],
                         ids=["canonical", "lower-case", "upper-case", "extra-spaces"])
def test_api_takes_the_bearer_token_in_any_case_and_spacing(client, session, header):
    user = factories.user(session, Role.JOURNALIST, full_name="Đặng Thu Hà")
    token = start_login_session(session, user=user)
    session.commit()

    response = client.get("/api/v1/me", headers={"Authorization": header.format(token=token)})

    assert response.status_code == 200
    assert response.json()["full_name"] == "Đặng Thu Hà"


@pytest.mark.parametrize("header", ["Token {token}", "Bearer", "Bearer ", "{token}",
                                    "Basic {token}"])
def test_api_refuses_anything_but_a_bearer_token(client, session, header):
    user = factories.user(session, Role.JOURNALIST)
    token = start_login_session(session, user=user)
    session.commit()

    response = client.get("/api/v1/me", headers={"Authorization": header.format(token=token)})

    assert response.status_code == 401
    assert response.json() == {"detail": _(LOG_IN_FIRST)}


def test_api_ignores_the_session_cookie(client, session):
    user = factories.user(session, Role.JOURNALIST)
    client.cookies.set(SESSION_COOKIE, start_login_session(session, user=user))
    session.commit()

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json() == {"detail": _(LOG_IN_FIRST)}


# --- The flash message cookie -------------------------------------------------------------------


def _log_in(client: TestClient, email: str) -> httpx.Response:
    return client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "next": "",
                                       "email": email, "password": factories.PASSWORD},
                       follow_redirects=False)


def _flash_cookie(response: httpx.Response) -> tuple[str, set[str]]:
    """The flash cookie's raw value and its attributes (lower-cased names)."""
    headers = [v for k, v in response.headers.multi_items()
               if k == "set-cookie" and v.startswith(f"{FLASH_COOKIE}=")]
    assert len(headers) == 1, response.headers
    first, *attributes = headers[0].split("; ")
    return first.removeprefix(f"{FLASH_COOKIE}="), set(attributes)


@pytest.mark.parametrize("secure", [False, True], ids=["plain", "secure"])
def test_flash_cookie_is_a_two_minute_httponly_lax_cookie(app, session, configure, secure):
    configure(cookie_secure=secure)
    user = factories.user(session, Role.SPOKESPERSON, full_name="Phạm Thu Trang")
    session.commit()

    # A Secure cookie (the CSRF one too) comes back over https only.
    with TestClient(app, raise_server_exceptions=False, base_url="https://testserver") as client:
        response = _log_in(client, user.email)

    assert response.status_code == 303
    _value, attributes = _flash_cookie(response)
    expected = {"HttpOnly", "Max-Age=120", "Path=/", "SameSite=lax"}
    assert attributes == (expected | {"Secure"} if secure else expected)


def test_flash_cookie_carries_the_success_message_percent_encoded(client, session):
    user = factories.user(session, Role.SPOKESPERSON, full_name="Trang (Văn phòng/Bộ) 100%")
    session.commit()

    response = _log_in(client, user.email)

    raw, _attributes = _flash_cookie(response)
    welcome = _("Welcome, %(name)s.", name="Trang (Văn phòng/Bộ) 100%")
    assert unquote(raw) == f"success:{welcome}"
    assert set(raw) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~%")
    next_page = client.get(response.headers["location"])
    assert 'govuk-notification-banner--success' in next_page.text
    assert html.escape(welcome, quote=False) in next_page.text


def test_flash_after_logout_says_so(login_as):
    client, _user = login_as("journalist")

    response = post_form(client, "/logout", {})

    assert (response.status_code, response.headers["location"]) == (303, "/")
    raw, _attributes = _flash_cookie(response)
    assert unquote(raw) == f"success:{_('You have logged out.')}"


# --- Where a login goes back to -----------------------------------------------------------------


def test_login_url_keeps_the_path_and_query_of_the_page(client):
    response = client.get("/admin/users?page=2", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fadmin%2Fusers%3Fpage%3D2"


@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example", "https://evil.example",
                                    "evil.example", ""])
def test_language_switch_follows_no_target_but_a_local_path(client, target):
    response = post_form(client, "/lang", {"lang": "en", "next": target})

    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_language_switch_goes_back_to_a_local_path(client):
    response = post_form(client, "/lang", {"lang": "en", "next": "/answers?page=2"})

    assert response.headers["location"] == "/answers?page=2"


# --- Pagination -------------------------------------------------------------------------------


def test_pagination_shows_twenty_rows_a_page_from_the_first_page():
    first, third = Pagination(), Pagination(page=3)

    assert (first.page, first.size, first.offset) == (1, 20, 0)
    assert (third.page, third.size, third.offset) == (3, 20, 40)


@pytest.mark.parametrize("page", ["0", "100001", "two"])
def test_pagination_out_of_range_page_is_a_422_on_the_api(client, page):
    response = client.get(f"/api/v1/answers?page={page}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


# --- The CSRF check of forms ------------------------------------------------------------------


def test_form_with_another_browsers_token_is_refused(app, login_as):
    client, _user = login_as("journalist")
    with TestClient(app, raise_server_exceptions=False) as other_browser:
        foreign_token = csrf_token(other_browser, "/login")
        assert other_browser.cookies.get(CSRF_COOKIE) != client.get("/").cookies.get(CSRF_COOKIE)

    response = client.post("/logout", data={"csrf_token": foreign_token}, follow_redirects=False)

    assert response.status_code == 403
    assert _message_on_page(response, FORM_EXPIRED)
    assert client.get("/my/questions", follow_redirects=False).status_code == 200


@pytest.mark.parametrize("data", [{}, {"csrf_token": ""}, {"csrf_token": "0" * 64}],
                         ids=["no-token", "empty-token", "made-up-token"])
def test_form_without_the_pages_token_is_refused(client, data):
    csrf_token(client, "/login")

    response = client.post("/lang", data={"lang": "en", "next": "/", **data},
                           follow_redirects=False)

    assert response.status_code == 403
    assert _message_on_page(response, FORM_EXPIRED)
    assert "pressroom_lang=" not in response.headers.get("set-cookie", "")


def test_form_from_a_browser_without_csrf_cookie_is_refused(app, client):
    token = csrf_token(client, "/login")

    with TestClient(app, raise_server_exceptions=False) as cookieless:
        response = cookieless.post("/lang", data={"lang": "en", "next": "/", "csrf_token": token},
                                   follow_redirects=False)

    assert response.status_code == 403
    assert _message_on_page(response, FORM_EXPIRED)


def test_a_streams_own_piece_is_rendered_again_only_after_a_change_to_its_topics() -> None:
    import asyncio

    from pressroom.core.broadcast import hub
    from pressroom.core.deps import per_change

    renders: list[int] = []

    def render() -> str:
        renders.append(len(renders) + 1)
        return f"<p>lần {len(renders)}</p>"

    piece = per_change(["test-own-piece", "test-own-other"], render)

    async def watch() -> list[str]:
        seen = [await piece(), await piece()]
        hub.deliver(["test-unrelated"])  # another topic: served again as it was
        seen.append(await piece())
        hub.deliver(["test-own-other"])  # one of its topics: rendered afresh
        seen += [await piece(), await piece()]
        return seen

    assert asyncio.run(watch()) == ["<p>lần 1</p>", "<p>lần 1</p>", "<p>lần 1</p>",
                                    "<p>lần 2</p>", "<p>lần 2</p>"]
    assert renders == [1, 2]
