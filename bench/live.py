"""Live conference benchmark: accredited journalists each send a live question within a few
seconds, through the form, to the server processes, while watchers hold the live page's event
stream open and the moderator approves questions as they arrive.

Run: .venv/bin/python bench/live.py [--db sqlite|postgres|both] [--journalists 500]
     [--watchers 200] [--seconds 10] [--approvals 100] [--processes N]
(processes: 2 on PostgreSQL, 1 on SQLite unless given.)
Targets: sending p99 < 250 ms, 0 errors, 0 lost; every watcher sees each newly approved
question within 2 s of its approval (p99). Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from loadkit import ARGON2_NOTE, Database, Server, backends, log_in_all, percentile, prepare

TARGET_SEND_P99 = 0.250
TARGET_SEEN_P99 = 2.0
BODY = "Câu hỏi trực tiếp thử tải số {n}: đề nghị cho biết tiến độ giải ngân vốn đầu tư công?"
SEEN = re.compile(rb'id="live-(\d+)"')


def _accredit_all(db: Database, emails: list[str]) -> int:
    """Accredits every bench journalist to the demo's live conference; returns its id."""
    from sqlmodel import Session, col, select

    from pressroom.accounts.models import User
    from pressroom.conferences import service as conferences
    from pressroom.conferences.models import PressConference
    from pressroom.core.db import make_engine

    engine = make_engine(db.url)
    with Session(engine) as session:
        conference = session.exec(select(PressConference).where(
            PressConference.status == "live")).one()
        host = session.exec(select(User).where(User.email == "son.tv@chinhphu.example")).one()
        for user in session.exec(select(User).where(col(User.email).in_(emails))):
            registration = conferences.request_accreditation(session, journalist=user,
                                                             conference=conference)
            conferences.decide_accreditation(session, actor=host, accreditation=registration,
                                             approve=True)
        session.commit()
        found = conference.id or 0
    engine.dispose()
    return found


_ENGINES: dict[str, Any] = {}


def _pending(db_url: str, conference_id: int, limit: int) -> list[tuple[int, int]]:
    """The oldest waiting live questions (id, row version), as the moderator's page lists
    them."""
    from sqlalchemy import create_engine, text

    engine = _ENGINES.get(db_url) or _ENGINES.setdefault(db_url, create_engine(db_url))
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT id, row_version FROM live_question WHERE conference_id = :c AND "
            "status = 'pending' ORDER BY id LIMIT :n"), {"c": conference_id, "n": limit}).all()
    return [(int(a), int(b)) for a, b in rows]


def _watchers(base: str, path: str, count: int, ready: Any, stop: Any, results: Any) -> None:
    """Runs in a process of its own: ``count`` event streams; when each saw each question."""

    async def watch(index: int, seen: dict[int, float]) -> None:
        parts = urlsplit(base)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                     f"Accept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        tail = b""
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    return
                now = time.time()
                seen[-index - 1] = seen.get(-index - 1, 0) + len(chunk)  # bytes received
                data = tail + chunk
                for match in SEEN.finditer(data):
                    seen.setdefault(int(match.group(1)), now)
                tail = data[-32:]
        finally:
            writer.close()

    async def main() -> list[dict[int, float]]:
        seen: list[dict[int, float]] = [{} for _ in range(count)]
        tasks = [asyncio.create_task(watch(i, seen[i])) for i in range(count)]
        await asyncio.sleep(2)  # connected, first board received
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        broken = sum(1 for task in tasks if task.done() and not task.cancelled()
                     and task.exception() is not None)
        results.put((seen, broken))
        return seen

    asyncio.run(main())


async def _post(base: str, path: str, cookie: str, fields: dict[str, str]) -> tuple[int, float]:
    parts = urlsplit(base)
    payload = urlencode(fields).encode()
    request = (f"POST {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
               f"Content-Type: application/x-www-form-urlencoded\r\n"
               f"Content-Length: {len(payload)}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
               ).encode() + payload
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        await reader.read()
        return int(head.split(b" ", 2)[1]), time.perf_counter() - started
    finally:
        writer.close()


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of a process and its children (the server's workers) so far,
    from /proc: a figure that, unlike latencies, hardly depends on what else the machine
    runs. None where there is no /proc."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, found = 0.0, False
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:  # fields[1]: the parent's id
            total += (int(fields[11]) + int(fields[12])) / tick
            found = True
    return total if found else None


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token"
    return match.group(1)


async def _run(server: Server, db: Database, emails: list[str], conference_id: int,
               watchers: int, seconds: float, approvals: int) -> dict[str, Any]:
    from pressroom.demo import DEMO_PASSWORD

    journalists = await log_in_all(server.base, emails)
    live = f"/conferences/{conference_id}/live"
    async with httpx.AsyncClient(base_url=server.base, timeout=30) as client:
        tokens = []
        for journalist in journalists:
            page = await client.get(live, headers={"Cookie": journalist.cookie})
            tokens.append(_csrf(page.text))
        login = await client.get("/login")
        await client.post("/login", data={"email": "son.tv@chinhphu.example",
                                          "password": DEMO_PASSWORD, "csrf_token": _csrf(login.text)})
        moderator_cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items()
                                     if k != "pressroom_flash")
        queue_page = await client.get(f"/staff/conferences/{conference_id}/live")
        moderator_csrf = _csrf(queue_page.text)

    spawn = multiprocessing.get_context("spawn")
    ready, stop, results = spawn.Event(), spawn.Event(), spawn.Queue()
    watcher = spawn.Process(target=_watchers, args=(server.base, f"{live}/stream", watchers,
                                                    ready, stop, results))
    watcher.start()
    ready.wait(30)

    sent: list[tuple[int, float]] = []
    errors: Counter[str] = Counter()
    approved_at: dict[int, float] = {}
    started = time.perf_counter()
    cpu_before = _cpu_seconds(server.process.pid) if server.process else None

    async def send(n: int) -> None:
        await asyncio.sleep(n * seconds / len(journalists))
        try:
            status, took = await asyncio.wait_for(_post(
                server.base, f"{live}/questions", journalists[n].cookie,
                {"csrf_token": tokens[n], "body": BODY.format(n=n)}), 30)
            sent.append((status, took))
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            errors[type(exc).__name__] += 1

    async def moderate() -> None:
        deadline = time.perf_counter() + seconds + 15
        while len(approved_at) < approvals and time.perf_counter() < deadline:
            waiting = await asyncio.to_thread(_pending, db.url, conference_id, 1)
            if not waiting:
                await asyncio.sleep(0.05)
                continue
            question_id, version = waiting[0]
            status, _took = await _post(server.base, f"/staff/live-questions/{question_id}/approve",
                                        moderator_cookie, {"csrf_token": moderator_csrf,
                                                           "version": str(version)})
            if status == 303:
                approved_at[question_id] = time.time()
            else:
                errors[f"approve {status}"] += 1
            await asyncio.sleep(max(0.0, seconds / approvals - 0.01))

    await asyncio.gather(moderate(), *(send(n) for n in range(len(journalists))))
    elapsed = time.perf_counter() - started
    cpu_after = _cpu_seconds(server.process.pid) if server.process else None
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    await asyncio.sleep(TARGET_SEEN_P99 + 1)
    stop.set()
    seen, broken = results.get(timeout=60)
    watcher.join()
    return {"sent": sent, "errors": errors, "approved_at": approved_at, "seen": seen,
            "broken": broken, "elapsed": elapsed, "cpu": cpu}


def _stored(db: Database, conference_id: int) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(db.url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM live_question WHERE conference_id = :c "
                                  "AND body LIKE 'Câu hỏi trực tiếp thử tải số %'"),
                             {"c": conference_id}).scalar_one()
    engine.dispose()
    return int(count)


def run(kind: str, journalists: int, watchers: int, seconds: float, approvals: int,
        processes: int | None) -> bool:
    workers = processes or (2 if kind == "postgres" else 1)
    db = Database.create(kind, "live")
    server = Server(db, workers=workers)
    try:
        world = prepare(db, journalists)
        conference_id = _accredit_all(db, world.emails)
        server.start()
        load = os.getloadavg()
        result = asyncio.run(_run(server, db, world.emails, conference_id, watchers, seconds,
                                  approvals))
        errors_logged = server.errors_logged()
    finally:
        server.stop()
    try:
        stored = _stored(db, conference_id)
    finally:
        db.drop()

    sent: list[tuple[int, float]] = result["sent"]
    acknowledged = sum(1 for status, _t in sent if status == 303)
    statuses = Counter(status for status, _t in sent)
    latencies = [took for _s, took in sent]
    approved_at: dict[int, float] = result["approved_at"]
    seen: list[dict[int, float]] = result["seen"]
    delays: list[float] = []
    missed = 0
    for question_id, at in approved_at.items():
        for watcher in seen:
            if question_id in watcher:
                delays.append(max(0.0, watcher[question_id] - at))
            else:
                missed += 1
    if os.environ.get("BENCH_DEBUG"):  # each approved question: watchers that saw it
        received = sorted(next((v for k, v in w.items() if k < 0), 0) for w in seen)
        print(f"  bytes received per watcher: min {received[0]} median "
              f"{received[len(received) // 2]} max {received[-1]}")
        first = min(approved_at.values(), default=0.0)
        for question_id, at in sorted(approved_at.items()):
            print(f"  approved #{question_id} at +{at - first:.2f} s: seen by "
                  f"{sum(question_id in w for w in seen)}")
    errors = sum(result["errors"].values()) + (len(sent) - acknowledged)
    lost = acknowledged - stored if stored < acknowledged else 0

    print(f"\n== {db.describe()}, {workers} server process{'es' if workers > 1 else ''}")
    print(f"  machine: {os.cpu_count()} cores, load average {load[0]:.1f} before the run "
          f"(the watchers and senders run on the same machine)")
    print(f"  {journalists} journalists each sent one live question (the form) within "
          f"{seconds:.0f} s; {watchers} watchers held the live page's event stream open")
    print(f"  sending: acknowledged {acknowledged}   errors {errors}   "
          f"responses {dict(statuses)} {dict(result['errors'])}   all sent in "
          f"{result['elapsed']:.1f} s")
    print(f"  sending latency  p50 {percentile(latencies, .5) * 1000:.0f} ms   "
          f"p99 {percentile(latencies, .99) * 1000:.0f} ms   max {max(latencies) * 1000:.0f} ms")
    if result["cpu"] is not None:
        print(f"  server CPU time while sending: {result['cpu']:.1f} s (all its processes; "
              f"{result['cpu'] / max(result['elapsed'], 1e-9) * 100:.0f}% of one core)")
    print(f"  database: {stored} live questions stored for {acknowledged} acknowledged, "
          f"{lost} lost")
    print(f"  approved {len(approved_at)} while sending; each seen by the watchers "
          f"({len(delays)} sightings, {missed} missed, {result['broken']} streams broken):")
    print(f"  seen after approval  p50 {percentile(delays, .5) * 1000:.0f} ms   "
          f"p99 {percentile(delays, .99) * 1000:.0f} ms   max "
          f"{(max(delays) if delays else float('nan')) * 1000:.0f} ms")
    print(f"  tracebacks in the server log: {sum(errors_logged.values())}")
    for line, times in sorted(errors_logged.items(), key=lambda item: -item[1])[:4]:
        print(f"    {times} x {line}")
    met = (errors == 0 and lost == 0 and latencies
           and percentile(latencies, .99) < TARGET_SEND_P99 and missed == 0 and delays
           and percentile(delays, .99) <= TARGET_SEEN_P99)
    print("  targets met" if met else "  TARGETS NOT MET")
    return bool(met)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--journalists", type=int, default=500)
    parser.add_argument("--watchers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--approvals", type=int, default=100,
                        help="questions the moderator approves while they arrive")
    parser.add_argument("--processes", type=int, default=None)
    args = parser.parse_args()
    print("Pressroom live conference benchmark (uvicorn on 127.0.0.1, PDF worker off)")
    print(f"  {ARGON2_NOTE}")
    print(f"  targets: sending p99 < {TARGET_SEND_P99 * 1000:.0f} ms, 0 errors, 0 lost; every "
          f"watcher sees each approved question within {TARGET_SEEN_P99:.0f} s (p99)")
    results = [run(kind, args.journalists, args.watchers, args.seconds, args.approvals,
                   args.processes) for kind in backends(args.db)]
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
