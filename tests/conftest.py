"""Test fixtures: a migrated database (SQLite file, or PostgreSQL when
PRESSROOM_TEST_DATABASE_URL is set), a session rolled back after each test, the app bound to
that session, and logged-in clients per role."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="pressroom-tests-"))
TEST_DATABASE_URL = os.environ.get("PRESSROOM_TEST_DATABASE_URL") or f"sqlite:///{_tmp}/test.db"
os.environ.update({
    "PRESSROOM_DATABASE_URL": TEST_DATABASE_URL,
    "PRESSROOM_SECRET_KEY": "test-secret-not-for-production",
    "PRESSROOM_DEMO_MODE": "0",
    "PRESSROOM_COOKIE_SECURE": "0",
    "PRESSROOM_PDF_WORKER": "0",
    # Mail is sent by the tests' own dispatcher calls (tests/notifications), never in the background.
    "PRESSROOM_MAIL_WORKER": "0",
    "PRESSROOM_SMTP_HOST": "",
    # Like Django's test hasher: argon2 at its cheapest (the production cost is ~0.15 s a hash).
    "PRESSROOM_ARGON2_PROFILE": "fast-for-tests",
    "PRESSROOM_STORAGE_DIR": str(_tmp / "storage"),
    # A page's event stream (live conference) ends at once: a test reads it to its end.
    "PRESSROOM_LIVE_STREAM_SECONDS": "0.1",
})

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402
from sqlmodel import Session  # noqa: E402

import pressroom.models  # noqa: E402,F401
from pressroom.accounts.enums import Role  # noqa: E402
from pressroom.accounts.models import User  # noqa: E402
from pressroom.accounts.service import start_login_session  # noqa: E402
from pressroom.cli import upgrade_database  # noqa: E402
from pressroom.core import pagecache  # noqa: E402
from pressroom.core.config import get_settings  # noqa: E402
from pressroom.core.db import _writing_engine, get_engine, make_engine  # noqa: E402
from pressroom.core.deps import get_db, get_stream_db  # noqa: E402
from pressroom.core.security import SESSION_COOKIE  # noqa: E402
from pressroom.main import create_app  # noqa: E402
from tests import factories  # noqa: E402

IS_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


_PID = os.getpid()


def use_database(url: str, storage: Path) -> None:
    """Points the app (settings, engines) at another database and storage folder."""
    os.environ["PRESSROOM_DATABASE_URL"] = url
    os.environ["PRESSROOM_STORAGE_DIR"] = str(storage)
    for cached in (get_settings, get_engine, _writing_engine):
        cached.cache_clear()


@pytest.fixture(scope="session")
def migrated() -> Iterator[str]:
    """The migrated test database. A forked copy of the test process (mutation testing runs
    one per mutant, two at a time) gets its own SQLite database and storage, and leaves the
    parent's pooled connections alone (SQLAlchemy's advice for os.fork)."""
    own_folder = None
    url = TEST_DATABASE_URL
    if os.getpid() != _PID:
        if IS_POSTGRES:
            raise RuntimeError("forked test runs (mutation testing) use SQLite only")
        get_engine().dispose(close=False)
        own_folder = Path(tempfile.mkdtemp(prefix=f"pressroom-tests-{os.getpid()}-"))
        url = f"sqlite:///{own_folder}/test.db"
        use_database(url, own_folder / "storage")
    if IS_POSTGRES:
        reset_postgres(url)
    upgrade_database(url)
    yield url
    if own_folder is not None:
        get_engine().dispose()
        shutil.rmtree(own_folder, ignore_errors=True)


@pytest.fixture
def committed_database(tmp_path: Path) -> Iterator[str]:
    """A database of the test's own (SQLite, or a fresh PostgreSQL database when the suite
    runs on PostgreSQL) whose writes are really committed, for code that opens its own
    sessions as in production (the PDF worker, concurrent requests). Restores the test
    database afterwards."""
    before = (os.environ["PRESSROOM_DATABASE_URL"], Path(os.environ["PRESSROOM_STORAGE_DIR"]))
    name = f"pressroom_committed_{os.getpid()}"
    if IS_POSTGRES:
        _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
        url = TEST_DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path}/committed.db"
    use_database(url, tmp_path / "storage")
    upgrade_database(url)
    yield url
    get_engine().dispose()
    use_database(*before)
    if IS_POSTGRES:
        _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _postgres_admin(*statements: str) -> None:
    engine = make_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """``configure(cookie_secure=True, session_hours=1)``: the app's settings for this test as
    if set in the environment (PRESSROOM_COOKIE_SECURE=1, ...); restored afterwards."""

    def _configure(**values: object) -> None:
        for name, value in values.items():
            text = ("1" if value else "0") if isinstance(value, bool) else str(value)
            monkeypatch.setenv(f"PRESSROOM_{name.upper()}", text)
        get_settings.cache_clear()

    yield _configure
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def empty_page_cache() -> Iterator[None]:
    """The public page cache lives in the process, across tests: each starts and ends without it."""
    pagecache.clear()
    yield
    pagecache.clear()


@pytest.fixture
def connection(migrated: str) -> Iterator[Connection]:
    with get_engine().connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """Everything a test writes, including the app's commits (savepoints), is rolled back."""
    with Session(bind=connection, join_transaction_mode="create_savepoint",
                 expire_on_commit=False) as db:
        yield db


@pytest.fixture
def app(connection: Connection):  # type: ignore[no-untyped-def]
    application = create_app(pdf_worker=False)

    def _db() -> Iterator[Session]:
        with Session(bind=connection, join_transaction_mode="create_savepoint",
                     expire_on_commit=False) as db:
            yield db

    application.dependency_overrides[get_db] = _db
    application.dependency_overrides[get_stream_db] = _db
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def csrf_token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token the page at ``path`` hands to its forms."""
    html = client.get(path).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def login_as(app, session: Session) -> Callable[..., tuple[TestClient, User]]:  # type: ignore[no-untyped-def]
    """``login_as("journalist")`` → a client logged in as a new user of that role. Pass
    ``user=`` to log in an existing user."""
    clients: list[TestClient] = []

    def _login(role: str | Role | None = None, *, user: User | None = None,
               org_id: int | None = None) -> tuple[TestClient, User]:
        if user is None:
            assert role is not None
            user = factories.user(session, Role(role), org_id=org_id)
        token = start_login_session(session, user=user)
        session.commit()
        test_client = TestClient(app, raise_server_exceptions=False)
        test_client.cookies.set(SESSION_COOKIE, token)
        clients.append(test_client)
        return test_client, user

    yield _login
    for c in clients:
        c.close()


def count_queries(connection: Connection, action: Callable[[], object]) -> int:
    """How many SQL statements ``action`` sends on the test's connection."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(connection, "before_cursor_execute", record)
    return len(statements)


def post_form(client: TestClient, path: str, data: dict[str, object],
              page: str | None = None) -> object:
    """Submits a form the way a browser does: with the page's CSRF token, not following the
    redirect so that the test can assert its target."""
    payload = {"csrf_token": csrf_token(client, page or "/"), **data}
    return client.post(path, data=payload, follow_redirects=False)
