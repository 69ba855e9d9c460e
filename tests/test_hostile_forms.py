"""Hostile values in every HTML form, and the refusals that keep bad input from reaching the
database: ids beyond the integer range, NUL characters, lone surrogates, invalid UTF-8 and
bodies over the size limit.

Every page each role (and an anonymous visitor) can open is read for its ``<form
method=post>``; each form is then posted with hostile values, one field at a time and all at
once, with every field twice, without its CSRF token, and as multipart/form-data. No answer
may be a server error, and a form shown again with an error keeps what the user typed in the
other fields. It prints ``hostile forms: N forms on M pages, P posts, K server errors``.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_plus, unquote_to_bytes

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from pressroom.accounts.models import User
from pressroom.accounts.service import start_login_session
from pressroom.core.clock import now
from pressroom.core.i18n import local_zone, translations
from pressroom.core.security import SESSION_COOKIE
from pressroom.routers import API_MODULES, API_PREFIX, PAGE_MODULES, STREAM_ROUTERS
from tests.test_access_rules import _rules
from tests.test_generated_requests import World, build_world, report

BEYOND = 10**24
"""An id no integer column holds (PostgreSQL's integer ends at 2**31 - 1)."""

BAD_TEXT = ("What you sent holds characters that cannot be stored (a NUL character, half of a "
            "surrogate pair or bytes that are not UTF-8). Remove them and send it again.")


class Raw(bytes):
    """A form value sent as these bytes, already percent-encoded (so not valid UTF-8 once
    decoded, which no ``str`` can express)."""


REFUSED_TEXT: dict[str, str | Raw] = {
    "nul": "a\x00b",
    "lone surrogate": Raw(b"%ED%A0%80"),
    "byte ff": Raw(b"%FF"),
}
"""Values the body guard refuses before any route reads them: always a 400 page."""

Pairs = list[tuple[str, str | Raw]]
"""A form as sent: (name, value) in order, names repeated as a browser repeats them."""

HOSTILE: dict[str, str | Raw] = {
    **REFUSED_TEXT,
    "100 000 characters": "x" * 100_000,
    "script": "<script>alert(1)</script>",
    "sql": "' OR 1=1 --",
    "empty": "",
    "nfd": unicodedata.normalize("NFD", "Tiếng Việt có dấu: Nguyễn Hồng Sâm"),
}
"""In every field."""

NOT_A_CHOICE: dict[str, str | Raw] = {"10**24": str(BEYOND), "-1": "-1", "abc": "abc"}
"""In the fields whose value is a number, an id, a date or one of a list (to a text field
they are just text)."""

NOT_A_TIME: dict[str, str | Raw] = {
    "year 1": "0001-01-01T00:00", "year 9999": "9999-12-31T23:59", "day 9999": "9999-12-31",
    "february 30": "2026-02-30T25:00",
}
"""In the date and time fields: a time far from any stored one overflows a conversion."""


TEXT_TYPES = {"text", "email", "url", "search", "tel", "number", "date", "datetime-local"}


@dataclass
class Field:
    kind: str  # the input's type, "textarea", "select" or "button"
    name: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)
    page: str = ""
    plain_submit: bool = False
    """Whether it has a submit button without a name (clicking it sends no button field)."""

    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.name for f in self.fields))

    def values(self) -> dict[str, str]:
        """What a re-rendered form shows: name → value (text, selected option, checked)."""
        shown: dict[str, str] = {}
        for f in self.fields:
            if f.kind in ("radio", "checkbox") and not f.checked:
                continue
            shown.setdefault(f.name, f.value)
        return shown


class FormParser(HTMLParser):
    """The ``<form method=post>`` of a page, with their fields as a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._text: Field | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = Form(a.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or tag not in ("input", "textarea", "select", "option", "button"):
            return
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
            return
        submit = (tag == "button" and a.get("type", "submit") == "submit") or (
            tag == "input" and a.get("type") == "submit")
        if submit and not a.get("name"):
            self._form.plain_submit = True
        if not a.get("name") or (tag == "button" and not submit):
            return
        kind = {"input": a.get("type", "text").lower()}.get(tag, tag)
        item = Field(kind, a["name"], a.get("value", ""), checked="checked" in a)
        self._form.fields.append(item)
        if tag == "textarea":
            self._text = item
        elif tag == "select":
            self._select = item

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._text = None
        elif tag == "select":
            if self._select is not None and not self._select.value and self._select.options:
                self._select.value = self._select.options[0]
            self._select = None


def forms_of(page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def _typed(item: Field) -> str:
    """What a user would type or choose in an empty field: text a test can find again."""
    if item.value or item.kind in ("hidden", "password", "button", "radio", "checkbox"):
        return item.value or ("mật-khẩu-thử-nghiệm-dài" if item.kind == "password" else "")
    if re.match(r"turns-\d+-", item.name):
        return ""  # an empty transcript row stays empty (it is dropped)
    start = (now() + timedelta(days=9)).astimezone(local_zone()).replace(second=0)
    if item.kind == "select":
        return next((o for o in item.options if o), "")
    typed = {"press_card_number": "TNB-20261", "outlet_name": "Báo Tuổi Trẻ",
             "full_name": "Nguyễn Thị Thu Hà", "livestream_url": "https://example.vn/truc-tiep"}
    return {
        "email": f"nguoi-dung-{item.name[:20]}@example.vn",
        "date": (start + timedelta(days=3)).date().isoformat(),
        "datetime-local": (start + timedelta(hours=2 if "end" in item.name else 0))
        .strftime("%Y-%m-%dT%H:%M"),
    }.get(item.kind, typed.get(item.name, f"Gõ vào {item.name[:20]}"))


def baseline(form: Form) -> Pairs:
    """The form as a browser submits it after the user filled it in: text fields typed,
    checked boxes and radios (or the first radio), and the plain submit button clicked (or,
    without one, the first named one: "save", not "publish")."""
    pairs: Pairs = []
    radios_done: set[str] = set()
    button_done = False
    for item in form.fields:
        if item.kind == "button":
            if not button_done and not form.plain_submit:
                pairs.append((item.name, item.value))
                button_done = True
        elif item.kind == "checkbox":
            if item.checked:
                pairs.append((item.name, item.value))
        elif item.kind == "radio":
            if item.name not in radios_done and (item.checked or not any(
                    f.checked for f in form.fields if f.name == item.name)):
                pairs.append((item.name, item.value))
                radios_done.add(item.name)
        else:
            pairs.append((item.name, _typed(item)))
    return pairs


def encode(pairs: Pairs) -> bytes:
    return b"&".join(
        quote_plus(name).encode() + b"=" + (bytes(value) if isinstance(value, Raw)
                                            else quote_plus(value).encode())
        for name, value in pairs)


def post(client: TestClient, action: str, pairs: Pairs) -> Any:
    return client.post(action, content=encode(pairs), follow_redirects=False,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})


BOUNDARY = "pressroom-test-boundary"


def post_multipart(client: TestClient, action: str, pairs: Pairs,
                   files: tuple[str, ...] = ()) -> Any:
    """The form sent as multipart/form-data (a Raw value as its percent-decoded bytes; the
    fields named in ``files`` as file parts)."""
    parts = []
    for name, value in pairs:
        data = unquote_to_bytes(bytes(value)) if isinstance(value, Raw) else value.encode(
            "utf-8", "surrogatepass")
        file = b'; filename="a.txt"\r\nContent-Type: text/plain' if name in files else b""
        parts.append(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"".encode()
                     + file + b"\r\n\r\n" + data + b"\r\n")
    return client.post(action, content=b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(),
                       follow_redirects=False,
                       headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})


def _page_routes() -> list[tuple[str, APIRoute]]:
    routers = [module.router for module in PAGE_MODULES] + list(STREAM_ROUTERS)
    return [(method, route) for router in routers for route in router.routes
            if isinstance(route, APIRoute) for method in sorted(route.methods)]


def _api_routes() -> list[tuple[str, APIRoute]]:
    return [(method, route) for module in API_MODULES for route in module.router.routes
            if isinstance(route, APIRoute) for method in sorted(route.methods)]


def _id_names(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def _fill(path: str, ids: dict[str, Any]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    return path


class Browsers:
    """A logged-in browser per role (and an anonymous one) on the world's users; logs in again
    after a form logged it out."""

    def __init__(self, app: Any, session: Session, world: World) -> None:
        self.app = app
        self.session = session
        self.world = world
        self.clients: dict[str | None, TestClient] = {}

    def __getitem__(self, principal: str | None) -> TestClient:
        if principal not in self.clients:
            self.clients[principal] = TestClient(self.app, raise_server_exceptions=False)
            self.login(principal)
        return self.clients[principal]

    def login(self, principal: str | None) -> None:
        user = self.world.users[principal]
        if user is not None:
            token = start_login_session(self.session, user=user)
            self.session.commit()
            self.clients[principal].cookies.set(SESSION_COOKIE, token)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


@pytest.fixture
def browsers(app: Any, session: Session, world: World) -> Iterator[Browsers]:
    opened = Browsers(app, session, world)
    yield opened
    opened.close()


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert match
    return match.group(1)


def _who_may(rule: str, world: World) -> list[str | None]:
    if rule == "public":
        return [None]
    return [p for p, user in world.users.items() if user is not None and user.allows(rule)]


# --- forms ----------------------------------------------------------------------------------

@dataclass
class Findings:
    pages: int = 0
    forms: int = 0
    posts: int = 0
    server_errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


FormKey = tuple[str, tuple[str, ...]]


def _discover(browsers: Browsers, world: World, principal: str | None, findings: Findings,
              seen: set[FormKey]) -> dict[FormKey, Form]:
    """Every form with method=post on the pages this principal can open, one per action
    (ids replaced) and set of field names, but for those another principal was shown."""
    client = browsers[principal]
    found: dict[FormKey, Form] = {}
    for method, route in _page_routes():
        if method != "GET" or principal not in _who_may(_rules(route)[0], world):
            continue  # a refusal holds no form (the public pages only for a visitor)
        if route.path.endswith("/pdf"):
            continue  # a file, or 503 while it is rendered off the request path (by design)
        names = _id_names(route.path)
        id_sets = [{}] if not names else [{names[0]: i} for i in world.ids_for(names[0])]
        for ids in id_sets:
            response = client.get(_fill(route.path, ids), follow_redirects=False)
            findings.pages += 1
            if response.status_code >= 500:
                findings.server_errors.append(f"GET {_fill(route.path, ids)} as {principal} "
                                              f"-> {response.status_code}")
            if response.status_code != 200:
                continue
            for form in forms_of(response.text):
                form.page = _fill(route.path, ids)
                key = (re.sub(r"\d+", "{id}", form.action), form.names())
                if key not in seen:
                    found.setdefault(key, form)
    seen.update(found)
    return found


def _variants(form: Form) -> Iterator[tuple[str, str | None, Callable[[Pairs], Pairs]]]:
    """(label, hostile field or None, change of the filled-in form): each hostile value in
    each field, then in all fields at once, every field twice, and the form without its CSRF
    token."""
    filled = baseline(form)
    names = [n for n in dict.fromkeys(n for n, _v in filled) if n != "csrf_token"]
    # Of the transcript's rows, the first one and the first empty one get each value alone.
    rows = sorted({int(m.group(1)) for n in names if (m := re.match(r"turns-(\d+)-", n))})
    empty = [r for r in rows if not any(v for n, v in filled if n.startswith(f"turns-{r}-"))]
    alone = set(rows[:1] + empty[:1])
    single = [n for n in names
              if not (m := re.match(r"turns-(\d+)-", n)) or int(m.group(1)) in alone]

    def one(name: str, value: str | Raw) -> Callable[[Pairs], Pairs]:
        return lambda pairs: [(n, value if n == name else v) for n, v in pairs]

    def every(value: str | Raw) -> Callable[[Pairs], Pairs]:
        return lambda pairs: [(n, v if n == "csrf_token" else value) for n, v in pairs]

    def twice(first: bool) -> Callable[[Pairs], Pairs]:
        """Each field (but the token) twice: "abc" before or after the typed value."""
        def change(pairs: Pairs) -> Pairs:
            doubled: Pairs = []
            for n, v in pairs:
                extra: Pairs = [] if n == "csrf_token" else [(n, "abc")]
                doubled += extra + [(n, v)] if first else [(n, v)] + extra
            return doubled
        return change

    kinds = {f.name: f.kind for f in form.fields}
    for name in single:
        values = dict(HOSTILE)
        if kinds[name] == "hidden":  # a token, a version: none of it is text a user typed
            values = {k: HOSTILE[k] for k in ("nul", "100 000 characters", "empty")}
        if kinds[name] not in ("text", "email", "url", "password", "textarea", "search", "tel"):
            values.update(NOT_A_CHOICE)
        if kinds[name] in ("date", "datetime-local"):
            values.update(NOT_A_TIME)
        for label, value in values.items():
            yield label, name, one(name, value)
    for label, value in {**HOSTILE, **NOT_A_CHOICE}.items():
        yield f"all {label}", None, every(value)
    yield "duplicates first", None, twice(True)
    yield "duplicates last", None, twice(False)
    yield "no csrf", None, lambda pairs: [(n, v) for n, v in pairs if n != "csrf_token"]


def _kept(form: Form, pairs: Pairs, hostile: str,
          page: str) -> list[str]:
    """Fields other than the hostile one whose typed text the re-rendered form lost."""
    again = [f for f in forms_of(page) if f.action == form.action]
    if not again:
        return []  # an error page, or another form shown: nothing to keep
    shown = again[0].values()
    typed = {f.name for f in form.fields if f.kind in TEXT_TYPES | {"textarea", "select"}}
    return [f"{name}: typed {value!r}, shown {shown.get(name)!r}"
            for name, value in pairs
            if name in typed and name != hostile and isinstance(value, str) and value
            and not name.startswith("turns-") and shown.get(name) != value]


def _reread(client: TestClient, form: Form) -> Form:
    """The form as its page shows it now (its hidden version moves on with each change)."""
    again = [f for f in forms_of(client.get(form.page).text) if f.action == form.action
             and f.names() == form.names()]
    if not again:
        return form  # no longer offered (the object moved on): keep posting the old one
    again[0].page = form.page
    return again[0]


def test_hostile_values_in_every_form_get_no_server_error(
    browsers: Browsers, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    findings = Findings()
    seen: set[FormKey] = set()
    for principal in world.users:
        forms = _discover(browsers, world, principal, findings, seen)
        findings.forms += len(forms)
        client = browsers[principal]
        for found in forms.values():
            form = _reread(client, found)
            for label, hostile, change in _variants(found):
                pairs = change(baseline(form))
                response = post(client, form.action, pairs)
                findings.posts += 1
                where = f"POST {form.action} as {principal or 'anonymous'} ({label} in {hostile})"
                status = response.status_code
                if status >= 500:
                    findings.server_errors.append(f"{where} -> {status} {response.text[:200]!r}")
                elif label in REFUSED_TEXT and status != 400:
                    findings.wrong.append(f"{where} -> {status}, not 400")
                elif label == "no csrf" and status != 403:
                    findings.wrong.append(f"{where} -> {status}, not 403")
                elif status in (400, 422) and hostile and label not in REFUSED_TEXT:
                    lost = _kept(form, pairs, hostile, response.text)
                    if lost:
                        findings.wrong.append(f"{where} -> {status} lost {lost}")
                if form.action == "/logout":
                    browsers.login(principal)
                if status == 303:  # a change: the page's form has a new version
                    form = _reread(client, found)
            # The same form as multipart/form-data: as typed, and with NUL in every field.
            for label, value in (("multipart", None), ("multipart nul", "a\x00b")):
                pairs = [(n, v if value is None or n == "csrf_token" else value)
                         for n, v in baseline(form)]
                response = post_multipart(client, form.action, pairs)
                findings.posts += 1
                where = f"POST {form.action} as {principal or 'anonymous'} ({label})"
                if response.status_code >= 500:
                    findings.server_errors.append(f"{where} -> {response.status_code}")
                elif value is not None and len(pairs) > 1 and response.status_code != 400:
                    findings.wrong.append(f"{where} -> {response.status_code}, not 400")
                if form.action == "/logout":
                    browsers.login(principal)
                if response.status_code == 303:
                    form = _reread(client, found)

    line = (f"hostile forms: {findings.forms} forms on {findings.pages} pages, "
            f"{findings.posts} posts, {len(findings.server_errors)} server errors "
            f"in {time.monotonic() - started:.1f} s")
    report(capsys, line)
    assert findings.server_errors == [], line + "\n" + "\n".join(findings.server_errors[:30])
    assert findings.wrong == [], line + "\n" + "\n".join(findings.wrong[:30])


# --- the typed title survives a refusal -------------------------------------------------------

TITLE = "Về tiến độ cấp đổi thẻ nhà báo nhiệm kỳ 2026–2030"


def _form_on(client: TestClient, page: str, action: str) -> Form:
    return next(f for f in forms_of(client.get(page).text) if f.action == action)


@pytest.mark.parametrize("field_name, value", [
    ("addressed_to_id", "abc"), ("addressed_to_id", str(BEYOND)), ("conference_id", "-1"),
    ("body", ""), ("body", "x" * 100_000),
])
def test_question_form_refused_keeps_the_typed_title(
    browsers: Browsers, field_name: str, value: str
) -> None:
    client = browsers["journalist"]
    form = _form_on(client, "/my/questions/new", "/my/questions/new")
    pairs = [(n, TITLE if n == "title" else value if n == field_name else v)
             for n, v in baseline(form)]

    response = post(client, "/my/questions/new", pairs)

    assert response.status_code == 400
    shown = [f for f in forms_of(response.text) if f.action == "/my/questions/new"][0].values()
    assert shown["title"] == TITLE


@pytest.mark.parametrize("field_name, value", [
    ("host_organization_id", "abc"), ("host_organization_id", str(BEYOND)),
    ("starts_at", "abc"), ("ends_at", "2026-02-30T25:00"), ("venue", ""),
    ("livestream_url", "javascript:alert(1)"), ("description", "x" * 100_000),
])
def test_conference_form_refused_keeps_the_typed_title(
    browsers: Browsers, field_name: str, value: str
) -> None:
    client = browsers["spokesperson"]
    form = _form_on(client, "/staff/conferences/new", "/staff/conferences/new")
    pairs = [(n, TITLE if n == "title" else value if n == field_name else v)
             for n, v in baseline(form)]

    response = post(client, "/staff/conferences/new", pairs)

    assert response.status_code == 400
    shown = [f for f in forms_of(response.text)
             if f.action == "/staff/conferences/new"][0].values()
    assert shown["title"] == TITLE


# --- ids beyond the integer range -------------------------------------------------------------

def test_every_page_with_an_id_beyond_the_integer_range_is_not_found(
    browsers: Browsers, world: World
) -> None:
    answers: dict[str, int] = {}
    for method, route in _page_routes():
        names = _id_names(route.path)
        if not names:
            continue
        path = _fill(route.path, dict.fromkeys(names, BEYOND))
        for principal in _who_may(_rules(route)[0], world):
            client = browsers[principal]
            if method == "GET":
                response = client.get(path, follow_redirects=False)
            else:
                response = post(client, path, [("csrf_token", _csrf(client))])
            answers[f"{method} {path} as {principal}"] = response.status_code
            assert response.headers["content-type"].startswith("text/html"), path

    issue_example = browsers[None].get("/conferences/100000000000000000000000")

    assert f"GET /conferences/{BEYOND} as None" in answers
    assert set(answers.values()) == {404}, answers
    assert issue_example.status_code == 404


def test_every_api_route_with_an_id_beyond_the_integer_range_is_refused_422(
    browsers: Browsers, world: World, session: Session
) -> None:
    answers: dict[str, Any] = {}
    expected: dict[str, Any] = {}
    for method, route in _api_routes():
        names = _id_names(route.path)
        if not names:
            continue
        path = API_PREFIX + _fill(route.path, dict.fromkeys(names, BEYOND))
        for principal in _who_may(_rules(route)[0], world):
            user = world.users[principal]
            headers = {"Accept-Language": "en"}
            if user is not None:
                headers["Authorization"] = f"Bearer {start_login_session(session, user=user)}"
                session.commit()
            response = browsers[None].request(method, path, headers=headers, json={})
            answers[f"{method} {path} as {principal}"] = (
                response.status_code,
                [e for e in response.json()["detail"] if e["loc"][0] == "path"])

            expected[f"{method} {path} as {principal}"] = (422, [{
                "loc": ["path", name], "msg": "This value is out of range.",
                "type": "less_than_equal"} for name in names])  # each id is named

    assert f"GET /api/v1/conferences/{BEYOND} as None" in answers
    assert answers == expected


# --- text no column can store, bodies too large -----------------------------------------------

def _json_body(text: str) -> bytes:
    return ('{"title": "Về thẻ nhà báo", "body": "' + text + '", "addressed_to_id": 1}').encode()


@pytest.mark.parametrize("escaped", ["\\ud800", "\\udfff", "\\u0000", "a\\u0000b"])
@pytest.mark.parametrize("language, locale", [(None, "vi"), ("vi", "vi"), ("en", "en"),
                                              ("fr, en;q=0.5", "en")])
def test_json_with_a_lone_surrogate_or_nul_is_refused_in_the_clients_language(
    login_as: Callable[..., tuple[TestClient, User]], session: Session, escaped: str,
    language: str | None, locale: str,
) -> None:
    client, journalist = login_as("journalist")
    headers = {"Authorization": f"Bearer {start_login_session(session, user=journalist)}",
               "Content-Type": "application/json"}
    session.commit()
    if language:
        headers["Accept-Language"] = language

    response = client.post("/api/v1/questions", content=_json_body(escaped), headers=headers)

    expected = translations(locale).ugettext(BAD_TEXT)
    assert (response.status_code, response.json()) == (422, {"detail": expected})
    assert (expected != BAD_TEXT) == (locale == "vi")


@pytest.mark.parametrize("raw", [b"%FF", b"%ED%A0%80", b"%C3", b"a%00b", b"%F4%90%80%80"])
def test_form_post_with_invalid_utf8_gets_a_400_page_saying_so(
    browsers: Browsers, raw: bytes
) -> None:
    client = browsers["journalist"]
    form = _form_on(client, "/my/questions/new", "/my/questions/new")
    pairs = [(n, Raw(raw) if n == "title" else v) for n, v in baseline(form)]

    response = post(client, "/my/questions/new", pairs)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert translations("vi").ugettext(BAD_TEXT) in response.text


@pytest.mark.parametrize("raw", [b"%FF", b"%ED%A0%80", b"a%00b"])
def test_multipart_form_post_with_invalid_text_gets_a_400_page(
    browsers: Browsers, raw: bytes
) -> None:
    client = browsers["journalist"]
    form = _form_on(client, "/my/questions/new", "/my/questions/new")
    pairs = [(n, Raw(raw) if n == "title" else v) for n, v in baseline(form)]

    response = post_multipart(client, "/my/questions/new", pairs)

    assert response.status_code == 400
    assert translations("vi").ugettext(BAD_TEXT) in response.text


def test_multipart_form_post_in_utf8_is_read_like_the_plain_form(browsers: Browsers) -> None:
    client = browsers["journalist"]
    form = _form_on(client, "/my/questions/new", "/my/questions/new")
    pairs = [(n, TITLE if n == "title" else v) for n, v in baseline(form)]

    response = post_multipart(client, "/my/questions/new", pairs)

    assert response.status_code == 303
    assert TITLE in client.get(response.headers["location"]).text


def test_multipart_file_part_is_not_checked_as_text(browsers: Browsers) -> None:
    client = browsers["journalist"]
    form = _form_on(client, "/my/questions/new", "/my/questions/new")
    pairs = [(n, Raw(b"%FF%00") if n == "body" else v) for n, v in baseline(form)]

    response = post_multipart(client, "/my/questions/new", pairs, files=("body",))

    # A file's bytes are not text: the guard lets them through to the form (which has no
    # file field, and must not fail on one).
    assert response.status_code < 500
    assert translations("vi").ugettext(BAD_TEXT) not in response.text


def test_body_over_the_limit_is_refused_413(
    browsers: Browsers, session: Session, world: World, configure: Callable[..., None]
) -> None:
    configure(max_body_bytes=2048)
    client = browsers["journalist"]
    form = _form_on(client, "/my/questions/new", "/my/questions/new")
    big = [(n, "ệ" * 2000 if n == "body" else v) for n, v in baseline(form)]
    small = [(n, "ệ" * 20 if n == "body" else v) for n, v in baseline(form)]
    token = start_login_session(session, user=world.case.journalist)
    session.commit()
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    page = post(client, "/my/questions/new", big)
    within = post(client, "/my/questions/new", small)
    streamed = client.post("/my/questions/new", content=iter([encode(big)]),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    json_api = client.post("/api/v1/questions", content=_json_body("x" * 3000), headers=api)
    json_en = client.post("/api/v1/questions", content=_json_body("x" * 3000),
                          headers={**api, "Accept-Language": "en"})

    assert (page.status_code, within.status_code, streamed.status_code) == (413, 303, 413)
    assert page.headers["content-type"].startswith("text/html")
    assert (json_api.status_code, json_en.status_code) == (413, 413)
    assert json_en.json() == {"detail": "What you sent is too large: at most 2 KB is accepted."}
    assert json_api.json()["detail"] == translations("vi").ugettext(
        "What you sent is too large: at most %(size)s KB is accepted.") % {"size": 2}


# --- text longer than its column is refused, not a 500 on PostgreSQL ---------------------------

@pytest.mark.parametrize("field_name, value, limit", [
    ("press_card_number", "TNB-" + "9" * 37, 40), ("outlet_name", "Báo Nhân Dân " * 20, 200),
])
def test_admin_user_form_refuses_text_longer_than_its_column(
    browsers: Browsers, field_name: str, value: str, limit: int
) -> None:
    client = browsers["admin"]
    form = _form_on(client, "/admin/users", "/admin/users")
    pairs = [(n, value if n == field_name else "journalist" if n == "role" else v)
             for n, v in baseline(form)]

    response = post(client, "/admin/users", pairs)

    assert response.status_code == 400
    assert f"tối đa {limit} ký tự." in response.text


def test_a_file_sent_in_place_of_the_title_is_not_stored_as_text(browsers: Browsers) -> None:
    client = browsers["journalist"]
    form = _form_on(client, "/my/questions/new", "/my/questions/new")
    pairs = [(n, "Nội dung tệp" if n == "title" else v) for n, v in baseline(form)]

    response = post_multipart(client, "/my/questions/new", pairs, files=("title",))

    assert response.status_code == 400
    assert "Tiêu đề: bắt buộc nhập." in response.text
    assert "UploadFile" not in response.text
