"""A real server on 127.0.0.1 with the demo data, sending its mail to a real SMTP server in the
test process (aiosmtpd: ``mailbox``), and headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session

from pressroom.cli import upgrade_database
from pressroom.core.db import make_engine
from pressroom.demo import DemoLogin, load_demo
from tests.notifications.conftest import Received, Recorder

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class LiveServer:
    url: str
    database_url: str
    logins: dict[str, DemoLogin]
    mailbox: Recorder


def wait_for_mail(server: LiveServer, match: Callable[[Received], bool],
                  seconds: float = 30.0) -> Received:
    """The first message the server's mail worker sent that ``match``es, waiting for it."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        with server.mailbox.lock:
            found = [m for m in server.mailbox.messages if match(m)]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("no such mail arrived")


@pytest.fixture(scope="session")
def mailbox() -> Iterator[tuple[Recorder, int]]:
    """A real SMTP server (aiosmtpd) that keeps what the live server sends."""
    recorder = Recorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield recorder, port
    controller.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(mailbox: tuple[Recorder, int]) -> Iterator[LiveServer]:
    folder = Path(tempfile.mkdtemp(prefix="pressroom-e2e-"))
    database_url = f"sqlite:///{folder}/e2e.db"
    upgrade_database(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        logins = load_demo(session)
        session.commit()
    engine.dispose()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    recorder, smtp_port = mailbox
    env = {**os.environ, "PRESSROOM_SMTP_HOST": "127.0.0.1",
           "PRESSROOM_SMTP_PORT": str(smtp_port), "PRESSROOM_SMTP_TLS": "none",
           "PRESSROOM_SMTP_USER": "", "PRESSROOM_BASE_URL": url, "PRESSROOM_MAIL_WORKER": "1",
           "PRESSROOM_AGENCY_NAME": "Văn phòng Chính phủ",
           "PRESSROOM_DATABASE_URL": database_url, "PRESSROOM_DEMO_MODE": "1",
           "PRESSROOM_SECRET_KEY": "e2e-secret", "PRESSROOM_STORAGE_DIR": str(folder / "var"),
           "PRESSROOM_PDF_WORKER": "1", "PRESSROOM_COOKIE_SECURE": "0",
           "PRESSROOM_LIVE_STREAM_SECONDS": "300"}
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "pressroom.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--timeout-graceful-shutdown", "5"],
        env=env, stdout=log, stderr=log)
    # Ready once it answers; a loaded machine may take a while to start it and to answer
    # the first request, so each try waits long enough for an answer.
    deadline = time.monotonic() + 180
    while True:
        try:
            httpx.get(url + "/robots.txt", timeout=15)
            break
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the server did not start:\n"
                                   + (folder / "server.log").read_text()) from None
            time.sleep(0.2)
    first = {login.role.value: login for login in reversed(logins)}
    yield LiveServer(url=url, database_url=database_url, logins=first, mailbox=recorder)
    process.terminate()
    process.wait(timeout=15)
    log.close()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install Debian's chromium package")
        pytest.skip("no Chromium on this machine (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield instance
        instance.close()
