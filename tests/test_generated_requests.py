"""Requests generated from the API's OpenAPI schema (schemathesis, on Hypothesis) for every
operation, anonymously and with the bearer token of each role, on rows that exist: valid and
invalid bodies, ids in and far beyond the integer range, hostile text (NUL, lone surrogates,
100 000 characters, markup), wrong types and odd headers. None may answer a server error.

After each operation's generated requests, a sweep puts each of EDGE_VALUES in turn into
each place of a valid body (the values that pass the schema and break something deeper: a
time that overflows in UTC, a number where a name goes).

The run is derandomized (the same requests on every run, so CI is reproducible) and sends a
fixed number of examples per operation and principal; it prints
``generated requests: N operations, M requests, K server errors``.
"""

from __future__ import annotations

import copy
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
import time_machine
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core import NOT_SET
from schemathesis.generation import GenerationMode
from sqlmodel import Session

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.accounts.service import start_login_session
from pressroom.answers import service as answers
from pressroom.answers.schemas import AnswerDraft, AnswerReturn
from pressroom.conferences import service as conferences
from pressroom.conferences.schemas import TranscriptIn, TurnIn
from pressroom.core.clock import now
from pressroom.core.schemas import MAX_ID
from pressroom.questions import service as questions
from pressroom.questions.enums import DeclineGround
from pressroom.questions.schemas import QuestionReject
from pressroom.routers import API_MODULES, API_PREFIX
from tests import factories
from tests.test_access_rules import _rules

ALLOWED_EXAMPLES = 12
"""Generated requests per operation for each principal its access rule lets in (a public
operation: each principal gets PUBLIC_EXAMPLES)..."""
PUBLIC_EXAMPLES = 6
REFUSED_EXAMPLES = 2
"""... and for each principal it refuses (401/403 before anything else is read)."""

PRINCIPALS: tuple[str | None, ...] = (None, "journalist", "unit_officer", "spokesperson", "admin")
HOSTILE_IDS: tuple[Any, ...] = (0, -1, MAX_ID, MAX_ID + 1, 2**63, 10**24, "abc", "1.5", "1e3",
                                " 1", "%00", "١")
HOSTILE_TEXT: tuple[Any, ...] = (
    "\ud800", "\udfff", "a\x00b", "x" * 100_000, "<script>alert(1)</script>", "' OR 1=1 --",
    "Tie\u0302\u0301ng Vie\u0323t co\u0301 da\u0302\u0301u", "", "   ", "\u202e\u200b",
    None, True, 1.5, -1, 10**24, [], {}, ["x"], {"a": "b"},
    "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-02-30T25:00:00+07:00",
    "9999-12-31", "0001-01-01", "2026-13-45", "NaN", "Infinity",
)
ACCEPT_LANGUAGE: tuple[str | None, ...] = (
    None, "vi", "en", "en-US,en;q=0.9", "fr-CA;q=0.8, en;q=0.1", "*", "en;q=abc",
    "vi;q=1e309", ";;;,,,", "en;q=-1", "x" * 5000, "en," * 500,
)
IF_MATCH = ('"1"', '"2"', "*", 'W/"abc"', '"' + "9" * 40 + '"', '"-1"', "\x7f", '"1", "2"')
CONTENT_TYPES = ("", "text/plain", "application/x-www-form-urlencoded",
                 "application/json; charset=latin-1", "multipart/form-data; boundary=x",
                 "application/x+json")
PAGE = ("0", "-1", "abc", "2", "100000", "100001", str(10**24))


@dataclass
class World:
    """Rows in every state an API operation or page acts on, and who may act on them."""

    case: factories.Case
    admin: User
    users: dict[str | None, User | None]
    question_ids: list[int] = field(default_factory=list)
    answer_ids: list[int] = field(default_factory=list)
    conference_ids: list[int] = field(default_factory=list)
    organization_ids: list[int] = field(default_factory=list)
    accreditation_ids: list[int] = field(default_factory=list)

    def ids_for(self, name: str) -> list[int]:
        """Existing ids for a path parameter or body field named ``name``."""
        if name.endswith(("organization_id", "organization_ids", "addressed_to_id", "unit_id",
                          "participant_ids")):
            return self.organization_ids
        return {"question_id": self.question_ids, "answer_id": self.answer_ids,
                "conference_id": self.conference_ids,
                "accreditation_id": self.accreditation_ids}.get(name, [])


def build_world(session: Session) -> World:
    """A ministry with its people, questions from submitted to published (and declined), answers
    drafted, returned, submitted, approved and published, conferences from draft to a
    published transcript (the requests cancel some). Committed, so that the app's requests
    see it."""
    case = factories.Case(session)
    admin = factories.user(session, Role.ADMIN)
    sp = case.spokesperson
    guest = factories.ministry(session, name="Bộ Tài chính")
    started = now() - timedelta(minutes=30)
    # Conferences are scheduled in the future: those under way now were scheduled two days ago.
    with time_machine.travel(started - timedelta(days=2), tick=False):
        open_conf = factories.conference(session, sp, case.ministry, starts_at=started,
                                         participants=(guest,))
        held_conf = factories.conference(session, sp, case.ministry, starts_at=started)
        out_conf = factories.conference(session, sp, case.ministry, starts_at=started)
        asked_held = case.question(conference_id=held_conf.id)
        asked_out = case.question(conference_id=out_conf.id)
    draft_conf = factories.conference(session, sp, case.ministry, announce=False)
    future_conf = factories.conference(session, sp, case.ministry)
    asked_open = case.question(conference_id=open_conf.id)
    for conf, asked in ((held_conf, asked_held), (out_conf, asked_out)):
        conferences.mark_conference_held(session, actor=sp, conference=conf)
        conferences.replace_transcript(session, actor=sp, conference=conf, data=TranscriptIn(
            turns=[TurnIn(speaker_name="Đặng Thu Hà", text="Xin hỏi về thẻ nhà báo.",
                          question_id=asked.id, offset_seconds=61),
                   TurnIn(speaker_name="Nguyễn Hồng Sâm", speaker_role="Người phát ngôn",
                          text="Bộ sẽ trả lời bằng văn bản.")]))
    conferences.publish_transcript(session, actor=sp, conference=out_conf)

    submitted = case.question()
    declined = case.question()
    questions.reject_question(session, actor=sp, question=declined,
                              data=QuestionReject(ground=DeclineGround.OTHER,
                                                  message="Ngoài phạm vi của Bộ."))
    accepted = case.question()
    questions.accept_question(session, actor=sp, question=accepted)
    assigned = case.assigned()
    drafted = case.assigned()
    draft = answers.save_draft(session, actor=case.officer, question=drafted,
                               data=AnswerDraft(body="Bản nháp trả lời."))
    returned, returned_answer = case.submitted_answer()
    answers.return_answer(session, actor=sp, question=returned, answer=returned_answer,
                          data=AnswerReturn(comment="Bổ sung số liệu."))
    waiting, waiting_answer = case.submitted_answer()
    approved, approved_answer = case.submitted_answer()
    answers.approve_answer(session, actor=sp, question=approved, answer=approved_answer)
    published, published_answer = case.published_answer()
    later, later_answer = case.published_answer(publish_at=now() + timedelta(days=2))
    # Registrations: one waiting, one approved (the requests decide on them again).
    waiting_registration = conferences.request_accreditation(
        session, journalist=case.journalist, conference=future_conf)
    approved_registration = conferences.request_accreditation(
        session, journalist=factories.user(session, Role.JOURNALIST), conference=open_conf)
    conferences.decide_accreditation(session, actor=sp, accreditation=approved_registration,
                                     approve=True)
    session.commit()
    return World(
        case=case, admin=admin,
        users={None: None, "journalist": case.journalist, "unit_officer": case.officer,
               "spokesperson": sp, "admin": admin},
        question_ids=[q.id or 0 for q in (
            submitted, declined, accepted, assigned, drafted, returned, waiting, approved,
            published, later, asked_open, asked_held, asked_out)],
        answer_ids=[a.id or 0 for a in (draft, returned_answer, waiting_answer, approved_answer,
                                        published_answer, later_answer)],
        conference_ids=[c.id or 0 for c in (open_conf, draft_conf, future_conf, held_conf,
                                            out_conf)],
        organization_ids=[o.id or 0 for o in (case.ministry, case.unit, guest)],
        accreditation_ids=[a.id or 0 for a in (waiting_registration, approved_registration)],
    )


@dataclass
class Tally:
    operations: int = 0
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def line(self, label: str) -> str:
        return (f"{label}: {self.operations} operations, {self.requests} requests, "
                f"{len(self.failures)} server errors")

    def count(self, status: int) -> None:
        self.requests += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1


def report(capsys: pytest.CaptureFixture[str], text: str) -> None:
    """Printed past pytest's capture, so that ``pytest -q -s`` (and CI's log) shows it."""
    with capsys.disabled():
        print(f"\n{text}")


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


class Tokens:
    """A bearer token per role, renewed after an operation (logout) revoked it."""

    def __init__(self, session: Session, world: World) -> None:
        self.session = session
        self.world = world
        self.tokens: dict[str, str] = {}

    def header(self, principal: str | None) -> dict[str, str]:
        if principal is None:
            return {}
        if principal not in self.tokens:
            user = self.world.users[principal]
            assert user is not None
            self.tokens[principal] = start_login_session(self.session, user=user)
            self.session.commit()
        return {"Authorization": f"Bearer {self.tokens[principal]}"}

    def forget(self, principal: str | None) -> None:
        if principal is not None:
            self.tokens.pop(principal, None)


def _slots(value: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) of a JSON value, depth first."""
    if isinstance(value, dict):
        for key in list(value):
            found.append((value, key))
            _slots(value[key], found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((value, index))
            _slots(item, found)
    return found


def _header_value(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


@dataclass
class Change:
    """What is changed in a generated request: a path id, references in the body, one body
    value, headers and the page number."""

    path_id: Any
    plausible: bool
    pick: int
    body_value: Any
    body_slot: int
    accept_language: str | None
    if_match: str | None
    content_type: str | None
    page: str | None


def _often(usual: Any, odd: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """``usual`` about half of the time, else one of ``odd``."""
    return st.one_of(st.just(usual), st.sampled_from(odd))


def changes(id_choices: list[Any]) -> st.SearchStrategy[Change]:
    return st.builds(
        Change,
        path_id=st.one_of(st.just(NOT_SET), st.sampled_from(id_choices or [1]),
                          st.sampled_from(HOSTILE_IDS)),
        plausible=st.booleans(),
        pick=st.integers(0, 1000),
        body_value=_often(NOT_SET, HOSTILE_TEXT),
        body_slot=st.integers(0, 1000),
        accept_language=st.sampled_from(ACCEPT_LANGUAGE),
        if_match=_often(None, IF_MATCH),
        content_type=_often(None, CONTENT_TYPES),
        page=_often(None, PAGE),
    )


def _plausible(key: str, world: World, pick: int) -> Any:
    """A value the service may accept for a body field, or NOT_SET for a field it has no rule
    for. Drawn from ``pick`` and the field's name, so that fields vary independently."""
    ids = world.ids_for(key)
    if ids:
        chosen = random.Random(f"{key}:{pick}").choice([*ids, None])
        if key.endswith("_ids"):
            return [chosen] if chosen else []
        return chosen
    start = now() + timedelta(days=1, minutes=pick)
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "due_date": (start + timedelta(days=7)).date().isoformat(),
        "publish_at": None if pick % 2 else start.isoformat(),
        "livestream_url": "https://example.vn/truc-tiep",
        "offset_seconds": pick % 86400,
    }.get(key, NOT_SET)


def _make_plausible(body: Any, properties: list[str], world: World, pick: int) -> None:
    """Fields of the body (and the optional references it left out) get values the service
    accepts, so that the generated request gets past "unknown organisation" or "ends before
    it starts" into the service; the other generated values stay as they are."""
    if isinstance(body, dict):
        for key in properties:
            if key not in body and _plausible(key, world, pick) is not NOT_SET:
                body[key] = None
    for container, key in _slots(body, []):
        if isinstance(key, str):
            value = _plausible(key, world, pick)
            if value is not NOT_SET:
                container[key] = value


def _body_properties(spec: dict[str, Any], path: str, method: str) -> list[str]:
    content = spec["paths"][path][method].get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    schema = spec["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    return list(schema.get("properties", {}))


def request_of(case: Any, change: Change, auth: dict[str, str], world: World,
               properties: list[str]) -> dict[str, Any]:
    """The generated case with its changes, as arguments of ``TestClient.request``. The body
    is serialised here as ASCII JSON, so a lone surrogate travels as ``\\ud800``."""
    params = dict(case.path_parameters or {})
    if change.path_id is not NOT_SET:
        params = dict.fromkeys(params, change.path_id)
    path = case.path
    for name, value in params.items():
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    body = case.body if case.body is NOT_SET else copy.deepcopy(case.body)
    if body is not NOT_SET and change.plausible:
        _make_plausible(body, properties, world, change.pick)
    if change.body_value is not NOT_SET and body is not NOT_SET:
        slots = _slots(body, [])
        if slots:
            container, key = slots[change.body_slot % len(slots)]
            container[key] = change.body_value
        else:
            body = change.body_value
    headers = {name: _header_value(str(value)) for name, value in (case.headers or {}).items()
               if not (auth and name.lower() == "authorization")}
    headers.update(auth)
    if change.accept_language is not None:
        headers["Accept-Language"] = _header_value(change.accept_language)
    if change.if_match is not None:
        headers["If-Match"] = _header_value(change.if_match)
    content = None
    if body is not NOT_SET:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        if change.content_type != "":  # "": sent without a Content-Type
            headers["Content-Type"] = change.content_type or case.media_type or "application/json"
    query = dict(case.query or {})
    if change.page is not None:
        query["page"] = change.page
    return {"method": case.method.upper(), "url": path, "params": query, "headers": headers,
            "content": content}


def describe(principal: str | None, request: dict[str, Any], status: int, text: str) -> str:
    """The failing request, enough to replay it by hand."""
    headers = {k: v for k, v in request["headers"].items() if k != "Authorization"}
    content = request["content"] or b""
    return (f"{request['method']} {request['url']} params={request['params']} as "
            f"{principal or 'anonymous'} headers={headers} body={content[:300]!r} "
            f"-> {status} {text[:300]!r}")


def _rule_of() -> dict[tuple[str, str], str]:
    """(METHOD, path) → the access rule the API route declares."""
    return {(method, API_PREFIX + route.path): _rules(route)[0]
            for module in API_MODULES for route in module.router.routes
            if isinstance(route, APIRoute) for method in route.methods}


def _examples(rule: str, user: User | None) -> int:
    if rule == "public":
        return PUBLIC_EXAMPLES
    return ALLOWED_EXAMPLES if user is not None and user.allows(rule) else REFUSED_EXAMPLES


def _sender(client: TestClient, world: World, tokens: Tokens, tally: Tally,
            principal: str | None, examples: int, cases: st.SearchStrategy[Any],
            changed: st.SearchStrategy[Change], properties: list[str]) -> Callable[[], None]:
    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases, change=changed)
    def send(case: Any, change: Change) -> None:
        request = request_of(case, change, tokens.header(principal), world, properties)
        response = client.request(**request)
        tally.count(response.status_code)
        if response.status_code >= 500:
            tally.failures.append(describe(principal, request, response.status_code,
                                           response.text))
        if request["url"].endswith("/auth/logout"):
            tokens.forget(principal)
        tokens.session.expire_all()

    return send


EDGE_VALUES: tuple[Any, ...] = (
    None, "", "x" * 100_000, "\ud800", 10**24, -1, "<script>alert(1)</script>",
    "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
    "9999-12-31T20:00:00+00:00", "9999-12-31", "0001-01-01",
)
"""Put one at a time into each field of a valid body (the sweep after the generated requests):
the values that pass the schema, or nearly, and then break something deeper."""


def _resolve(node: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else node


def example_of(node: dict[str, Any], spec: dict[str, Any], world: World, key: str = "",
               pick: int = 0) -> Any:
    """A value of the schema ``node`` that the service accepts (as far as the schema tells)."""
    node = _resolve(node, spec)
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        return example_of(options[0], spec, world, key, pick) if options else None
    plausible = _plausible(key, world, pick)
    if plausible is not NOT_SET:
        return plausible
    kind = node.get("type")
    if "enum" in node:
        return node["enum"][0]
    if kind == "object":
        return {name: example_of(sub, spec, world, name, pick)
                for name, sub in node.get("properties", {}).items()}
    if kind == "array":
        return [example_of(node.get("items", {}), spec, world, key, pick)]
    if kind == "integer":
        return 61
    if key == "email":
        return world.case.journalist.email
    if key == "password":
        return factories.PASSWORD
    return {"date-time": now().isoformat(), "date": now().date().isoformat()}.get(
        node.get("format", ""), f"Nội dung {key} thử nghiệm")


def _sweep(client: TestClient, spec: dict[str, Any], operation: Any, principal: str | None,
           world: World, tokens: Tokens, tally: Tally) -> None:
    """Each EDGE_VALUES in each place of a valid body, as a principal the operation lets in;
    path ids cycle through the rows that exist (in their various states)."""
    content = spec["paths"][operation.path][operation.method.lower()].get(
        "requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return
    names = [p.name for p in operation.path_parameters]
    ids = world.ids_for(names[0]) if names else [0]
    count = 0
    base = example_of(content["schema"], spec, world, pick=1)
    for place in range(len(_slots(base, []))):
        for value in EDGE_VALUES:
            body = copy.deepcopy(base)
            container, key = _slots(body, [])[place]
            container[key] = value
            path = operation.path
            if names:
                path = path.replace("{" + names[0] + "}", str(ids[count % len(ids)]))
            count += 1
            request = {"method": operation.method.upper(), "url": path, "params": {},
                       "headers": {**tokens.header(principal),
                                   "Content-Type": "application/json"},
                       "content": json.dumps(body).encode()}
            response = client.request(**request)
            tally.count(response.status_code)
            if response.status_code >= 500:
                tally.failures.append(describe(principal, request, response.status_code,
                                               response.text))
            tokens.session.expire_all()


def test_generated_requests_get_no_server_error(
    client: TestClient, session: Session, world: World,
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.monotonic()
    spec = client.get("/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(spec)
    operations = [result.ok() for result in schema.get_all_operations()]
    rules = _rule_of()
    tokens = Tokens(session, world)
    tally = Tally(operations=len(operations))

    for operation in operations:
        rule = rules[(operation.method.upper(), operation.path)]
        ids = [i for p in operation.path_parameters for i in world.ids_for(p.name)]
        properties = _body_properties(spec, operation.path, operation.method.lower())
        valid = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
        cases = st.one_of(valid, valid, operation.as_strategy(
            generation_mode=GenerationMode.NEGATIVE))
        for principal in PRINCIPALS:
            examples = _examples(rule, world.users[principal])
            _sender(client, world, tokens, tally, principal, examples, cases, changes(ids),
                    properties)()
        allowed = [p for p in PRINCIPALS if _examples(rule, world.users[p]) != REFUSED_EXAMPLES]
        _sweep(client, spec, operation, allowed[0], world, tokens, tally)

    line = tally.line("generated requests") + f" in {time.monotonic() - started:.1f} s"
    report(capsys, f"{line}; statuses {dict(sorted(tally.statuses.items()))}")
    assert tally.failures == [], line + "\n" + "\n".join(tally.failures[:30])
