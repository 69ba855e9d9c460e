"""What the load benchmarks share: a fresh database (a SQLite file in a temp folder, or a
PostgreSQL database created and dropped here), demo data plus journalist accounts, a uvicorn
server on a free port of 127.0.0.1, journalists logged in through the API (bearer token) and
through the login form (cookie + CSRF token), and question submissions through both.

Accounts are made and checked with PRESSROOM_ARGON2_PROFILE=fast-for-tests so that making
and logging in 50 accounts takes seconds; it does not change what is measured (submissions
and page reads hash no password).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-" + secrets.token_urlsafe(12)  # the accounts are made by this run
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL",
                                    "postgresql://postgres@127.0.0.1:5432/postgres")
ARGON2_NOTE = ("accounts made and logged in with PRESSROOM_ARGON2_PROFILE=fast-for-tests "
               "(cheap password hashing for the setup only; submissions hash nothing)")

# The bench process builds the data itself through the services: settings come from here.
BASE_ENV = {
    "PRESSROOM_DEMO_MODE": "1",
    # A fixed key, so that a restarted server (durability bench) accepts the CSRF tokens and
    # cookies handed out before the restart.
    "PRESSROOM_SECRET_KEY": "bench-secret-" + secrets.token_hex(16),
    "PRESSROOM_ARGON2_PROFILE": "fast-for-tests",
    "PRESSROOM_PDF_WORKER": "0",
}
os.environ.update(BASE_ENV)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def backends(choice: str) -> list[str]:
    return ["sqlite", "postgres"] if choice == "both" else [choice]


@dataclass
class Database:
    """A database of the bench's own; ``drop()`` removes it."""

    kind: str
    url: str
    folder: Path
    pg_name: str = ""

    @classmethod
    def create(cls, kind: str, prefix: str) -> Database:
        folder = Path(tempfile.mkdtemp(prefix=f"pressroom-{prefix}-"))
        if kind == "sqlite":
            return cls(kind, f"sqlite:///{folder}/bench.db", folder)
        import psycopg

        name = f"bench_{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        admin = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        return cls(kind, f"{admin}/{name}", folder, name)

    def drop(self) -> None:
        log = self.folder / "server.log"
        if log.exists() and "Traceback" in log.read_text(errors="replace"):
            kept = Path(tempfile.gettempdir()) / f"{self.folder.name}-server.log"
            shutil.copy(log, kept)
            print(f"  (the server logged errors: {kept})")
        if self.pg_name:
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)

    def describe(self) -> str:
        if self.kind == "sqlite":
            return "SQLite (WAL, synchronous=FULL), a fresh file in a temp folder"
        return f"PostgreSQL, fresh database {self.pg_name} on 127.0.0.1:5432"


@dataclass
class World:
    """The data a bench needs: where to send written questions, and the journalists."""

    ministry_id: int
    emails: list[str]


def prepare(db: Database, journalists: int) -> World:
    """Migrates the database and loads the demo data plus ``journalists`` new accounts."""
    from sqlmodel import Session, select

    from pressroom.accounts import service as accounts
    from pressroom.accounts.enums import Role
    from pressroom.cli import upgrade_database
    from pressroom.core.db import make_engine
    from pressroom.demo import load_demo
    from pressroom.organizations.enums import OrgKind
    from pressroom.organizations.models import Organization

    upgrade_database(db.url)
    engine = make_engine(db.url)
    emails = []
    with Session(engine) as session:
        load_demo(session)
        outlet = accounts.get_or_create_outlet(session, name="Báo Thử Tải")
        for n in range(journalists):
            email = f"bench{n:03d}@example.vn"
            accounts.create_user(session, email=email, full_name=f"Phóng Viên {n:03d}",
                                 password=PASSWORD, role=Role.JOURNALIST, outlet=outlet,
                                 press_card_number=f"BENCH-{n:05d}")
            emails.append(email)
        ministry = session.exec(
            select(Organization).where(Organization.kind == OrgKind.MINISTRY)).first()
        assert ministry is not None and ministry.id is not None
        ministry_id = ministry.id
        session.commit()
    engine.dispose()
    return World(ministry_id, emails)


def count_titles(db: Database, prefix: str) -> dict[str, int]:
    """How many question rows hold each title starting with ``prefix``."""
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from pressroom.core.db import make_engine
    from pressroom.questions.models import Question

    engine = make_engine(db.url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(Question.title, func.count())
                .where(col(Question.title).startswith(prefix))
                .group_by(Question.title)
            ).all()
    finally:
        engine.dispose()
    return {title: int(count) for title, count in rows}


class Server:
    """``pressroom.main:create_app`` under uvicorn on 127.0.0.1: one process, or ``workers``."""

    def __init__(self, db: Database, port: int | None = None, workers: int = 1) -> None:
        self.db = db
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait: float = 30.0) -> None:
        env = {**os.environ, **BASE_ENV, "PRESSROOM_DATABASE_URL": self.db.url,
               "PRESSROOM_STORAGE_DIR": str(self.db.folder / "var"),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                           os.environ.get("PYTHONPATH")]))}
        with open(self.db.folder / "server.log", "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "pressroom.main:create_app", "--factory",
                 "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
                 "--no-access-log", "--workers", str(self.workers),
                 "--timeout-graceful-shutdown", "3"], env=env, cwd=ROOT, stderr=log)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited: see {self.db.folder / 'server.log'}")
            try:
                httpx.get(self.base + "/login", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.process.kill()
        raise SystemExit("the server did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown of any kind, as a crash or the OOM killer would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def errors_logged(self) -> dict[str, int]:
        """The server log's tracebacks, counted by their closing exception line."""
        log = self.db.folder / "server.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        found: dict[str, int] = {}
        for block in text.split("Traceback (most recent call last):")[1:]:
            lines = [line for line in block.splitlines() if line and not line.startswith(" ")]
            last = re.sub(r"\(Background on this error.*", "", lines[0] if lines else "?")[:140]
            found[last] = found.get(last, 0) + 1
        return found


@dataclass
class Journalist:
    email: str
    token: str = ""
    cookie: str = ""


async def log_in(base: str, email: str) -> Journalist:
    """Logs in twice, as an API client (bearer token) and as a browser (login form)."""
    journalist = Journalist(email)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post("/api/v1/auth/login",
                                     json={"email": email, "password": PASSWORD})
        response.raise_for_status()
        journalist.token = response.json()["token"]
    async with httpx.AsyncClient(base_url=base, timeout=30) as browser:
        token, _key = _form_fields((await browser.get("/login")).text)
        response = await browser.post("/login", data={"email": email, "password": PASSWORD,
                                                      "csrf_token": token})
        assert response.status_code == 303, (response.status_code, response.text[:300])
        journalist.cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items()
                                      if name != "pressroom_flash")
    return journalist


async def log_in_all(base: str, emails: list[str], parallel: int = 8) -> list[Journalist]:
    """Logs every journalist in, ``parallel`` at a time (the setup is not what is measured)."""
    gate = asyncio.Semaphore(parallel)

    async def one(email: str) -> Journalist:
        async with gate:
            return await log_in(base, email)

    return list(await asyncio.gather(*(one(email) for email in emails)))


async def open_forms(base: str, items: list[Submission], parallel: int = 8) -> None:
    """Opens one form for each form submission, as a browser does before it sends one."""
    gate = asyncio.Semaphore(parallel)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        async def one(item: Submission) -> None:
            for attempt in range(3):  # setup, not what is measured: a failed page is retried
                async with gate:
                    page = await client.get("/my/questions/new",
                                            headers={"Cookie": item.journalist.cookie})
                if page.status_code == 200 or attempt == 2:
                    break
                await asyncio.sleep(0.5)
            page.raise_for_status()
            item.form = _form_fields(page.text)

        await asyncio.gather(*(one(item) for item in items if item.via == "form"))


def _form_fields(html: str) -> tuple[str, str | None]:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    key = re.search(r'name="submission_key" value="([^"]+)"', html)
    return match.group(1), key.group(1) if key else None


@dataclass
class Outcome:
    """One submission: how it went. ``acknowledged``: 201 from the API or 303 from the form."""

    title: str
    via: str
    status: int = 0
    error: str = ""
    seconds: float = 0.0

    @property
    def acknowledged(self) -> bool:
        return self.status == (201 if self.via == "api" else 303)

    @property
    def timed_out(self) -> bool:
        return self.error.startswith("timeout")


@dataclass
class Submission:
    """One question to send: by whom, how, and (for the form) the opened form's fields."""

    journalist: Journalist
    via: str
    title: str
    form: tuple[str, str | None] | None = None


def plan(journalists: list[Journalist], count: int, prefix: str) -> list[Submission]:
    """``count`` distinct questions spread over the journalists, half through the API and
    half through the form (each journalist alternates between the two)."""
    size = len(journalists)
    return [Submission(journalists[i % size], "api" if (i + i // size) % 2 == 0 else "form",
                       f"{prefix}-{i:04d}") for i in range(count)]


async def submit(server: str, item: Submission, ministry_id: int, timeout: float) -> Outcome:
    """Sends one written question, through the API or through the HTML form, on a connection
    of its own. The API request carries an Idempotency-Key and the form its submission key,
    as a careful client does, so that sending it again after a lost answer makes nothing
    twice.

    Written on bare asyncio streams: httpx's pool does work for every connection on every
    request, so with 500 connections in one pool the bench's own client, not the server,
    took the last seconds of a burst (measured: the server idle while answers were still
    being read)."""
    outcome = Outcome(item.title, item.via)
    body = f"Câu hỏi thử tải «{item.title}»: đề nghị Bộ cho biết tiến độ và kết quả cụ thể."
    if item.via == "api":
        path, content_type = "/api/v1/questions", "application/json"
        payload = json.dumps({"title": item.title, "body": body,
                              "addressed_to_id": ministry_id}).encode()
        extra = (f"Authorization: Bearer {item.journalist.token}\r\n"
                 f"Idempotency-Key: key-{item.title}\r\n")
    else:
        assert item.form is not None, "open_forms first"
        csrf, key = item.form
        fields = {"csrf_token": csrf, "title": item.title, "body": body, "conference_id": "",
                  "addressed_to_id": str(ministry_id)}
        if key:
            fields["submission_key"] = key
        path, content_type = "/my/questions/new", "application/x-www-form-urlencoded"
        payload = urlencode(fields).encode()
        extra = f"Cookie: {item.journalist.cookie}\r\n"
    host, port = urlsplit(server).hostname or "127.0.0.1", urlsplit(server).port or 80
    request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {content_type}\r\n"
               f"Content-Length: {len(payload)}\r\n{extra}Connection: close\r\n\r\n"
               ).encode() + payload
    started = time.perf_counter()
    try:
        outcome.status = await asyncio.wait_for(_exchange(host, port, request), timeout)
    except TimeoutError:
        outcome.error = "timeout"
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"[:200]
    outcome.seconds = time.perf_counter() - started
    return outcome


async def _exchange(host: str, port: int, request: bytes) -> int:
    """One HTTP/1.1 request on a new connection: the response's status (its body is read)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        await reader.read()  # Connection: close — the body runs to the end of the stream
        return int(head.split(b" ", 2)[1])
    finally:
        writer.close()


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
