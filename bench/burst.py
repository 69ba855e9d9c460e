"""Burst benchmark: N question submissions arriving at once at one server process, half
through the API (bearer token, expects 201) and half through the HTML form (cookie + CSRF
token, expects 303), while a reader fetches the home page one request after another.

Run: .venv/bin/python bench/burst.py [--db sqlite|postgres|both] [--submissions 500]
     [--journalists 50] [--timeout 30]
Targets: 0 errors, 0 timeouts, all answered within 10 s, each home page answered within 1 s;
every acknowledged submission stored exactly once. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import time
from collections import Counter
from typing import Any

import httpx
from loadkit import (
    ARGON2_NOTE,
    Database,
    Outcome,
    Server,
    backends,
    count_titles,
    log_in_all,
    open_forms,
    percentile,
    plan,
    prepare,
    submit,
)

TARGET_SECONDS = 10.0
TARGET_READER_SECONDS = 1.0


def _reader(base: str, stop: Any, timeout: float, results: Any) -> None:
    """GET / one after another until ``stop``: each answer's seconds, timeouts, statuses (or
    the name of the transport error). Runs in a process of its own, so that the 500 clients'
    work in this one does not count as the server's delay."""
    latencies: list[float] = []
    statuses: Counter[int | str] = Counter()
    timeouts = 0
    with httpx.Client(base_url=base, timeout=timeout) as client:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = client.get("/")
                statuses[response.status_code] += 1
            except httpx.TimeoutException:
                timeouts += 1
            except httpx.HTTPError as exc:
                statuses[type(exc).__name__] += 1
            latencies.append(time.perf_counter() - started)
            time.sleep(0.02)
    results.put((latencies, timeouts, statuses))


async def _burst(server: Server, emails: list[str], ministry_id: int, count: int,
                 timeout: float) -> dict[str, object]:
    journalists = await log_in_all(server.base, emails)
    prefix = f"burst-{int(time.time())}"
    items = plan(journalists, count, prefix)
    await open_forms(server.base, items)
    spawn = multiprocessing.get_context("spawn")
    stop, results = spawn.Event(), spawn.Queue()
    reader = spawn.Process(target=_reader, args=(server.base, stop, timeout, results))
    reader.start()
    await asyncio.sleep(1.5)  # the reader's first answers show the idle latency
    started = time.perf_counter()
    # Every submission on a connection of its own, all started at once.
    outcomes: list[Outcome] = await asyncio.gather(
        *(submit(server.base, item, ministry_id, timeout) for item in items))
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.3)
    stop.set()
    latencies, reader_timeouts, reader_statuses = results.get(timeout=timeout + 5)
    reader.join()
    # Right after the burst: does the site answer at once?
    after_started = time.perf_counter()
    try:
        after_status = httpx.get(server.base + "/", timeout=timeout).status_code
    except httpx.HTTPError as exc:
        after_status = -1
        print(f"    home page after the burst: {type(exc).__name__}")
    after_seconds = time.perf_counter() - after_started
    return {"prefix": prefix, "outcomes": outcomes, "elapsed": elapsed, "latencies": latencies,
            "reader_timeouts": reader_timeouts, "reader_statuses": reader_statuses,
            "after": (after_status, after_seconds)}


def run(kind: str, count: int, journalists: int, timeout: float) -> bool:
    db = Database.create(kind, "burst")
    server = Server(db)
    try:
        world = prepare(db, journalists)
        server.start()
        load = os.getloadavg()
        result = asyncio.run(_burst(server, world.emails, world.ministry_id, count, timeout))
        errors_logged = server.errors_logged()
    finally:
        server.stop()
    try:
        stored = count_titles(db, str(result["prefix"]))
    finally:
        db.drop()

    outcomes: list[Outcome] = result["outcomes"]  # type: ignore[assignment]
    latencies: list[float] = result["latencies"]  # type: ignore[assignment]
    elapsed: float = result["elapsed"]  # type: ignore[assignment]
    acknowledged = [o for o in outcomes if o.acknowledged]
    timeouts = [o for o in outcomes if o.timed_out]
    errors = [o for o in outcomes if not o.acknowledged and not o.timed_out]
    statuses = Counter(o.status if not o.error else o.error.split(":")[0] for o in outcomes)
    durations = [o.seconds for o in outcomes]
    ack_titles = {o.title for o in acknowledged}
    stored_once = sum(1 for t in ack_titles if stored.get(t) == 1)
    doubled = sum(1 for c in stored.values() if c > 1)
    lost = sum(1 for t in ack_titles if t not in stored)
    unacked_stored = sum(1 for t in stored if t not in ack_titles)
    reader_timeouts: int = result["reader_timeouts"]  # type: ignore[assignment]
    after_status, after_seconds = result["after"]  # type: ignore[misc]

    print(f"\n== {db.describe()}")
    print(f"  machine: {os.cpu_count()} cores, load average {load[0]:.1f} just before the burst "
          f"(other processes on the machine slow the figures down)")
    print(f"  {count} submissions at once ({sum(o.via == 'api' for o in outcomes)} API, "
          f"{sum(o.via == 'form' for o in outcomes)} form) from {journalists} journalists, "
          f"client timeout {timeout:.0f} s")
    print(f"  acknowledged {len(acknowledged)}   errors {len(errors)}   timeouts {len(timeouts)}"
          f"   all answered in {elapsed:.2f} s")
    print(f"  responses: {dict(sorted(statuses.items(), key=str))}")
    print(f"  submission latency  p50 {percentile(durations, .5):.2f} s   "
          f"p99 {percentile(durations, .99):.2f} s   max {max(durations):.2f} s")
    print(f"  reader (GET /, one at a time, own process): {len(latencies)} answers   "
          f"p50 {percentile(latencies, .5) * 1000:.0f} ms   p99 {percentile(latencies, .99) * 1000:.0f} ms"
          f"   max {max(latencies) * 1000:.0f} ms   timeouts {reader_timeouts}   "
          f"statuses {dict(result['reader_statuses'])}")  # type: ignore[call-overload]
    print(f"  database: {stored_once} of {len(acknowledged)} acknowledged stored exactly once, "
          f"{lost} lost, {doubled} doubled, {unacked_stored} stored without acknowledgement")
    print(f"  home page right after the burst: {after_status} in {after_seconds * 1000:.0f} ms;"
          f" tracebacks in the server log: {sum(errors_logged.values())}")
    for line, times in sorted(errors_logged.items(), key=lambda item: -item[1])[:4]:
        print(f"    {times} x {line}")
    for sample in (errors + timeouts)[:3]:
        print(f"    e.g. {sample.via} {sample.status or ''} {sample.error}")
    met = (not errors and not timeouts and elapsed <= TARGET_SECONDS and not reader_timeouts
           and latencies and max(latencies) <= TARGET_READER_SECONDS
           and stored_once == len(acknowledged) and doubled == 0)
    print("  targets met" if met else "  TARGETS NOT MET")
    return bool(met)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--journalists", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="client timeout per request (seconds)")
    args = parser.parse_args()
    print("Pressroom burst benchmark: submissions arriving at once at 1 server process "
          "(uvicorn, 127.0.0.1), PDF worker off")
    print(f"  {ARGON2_NOTE}")
    print(f"  targets: 0 errors, 0 timeouts, all within {TARGET_SECONDS:.0f} s, every home page "
          f"within {TARGET_READER_SECONDS:.0f} s")
    results = [run(kind, args.submissions, args.journalists, args.timeout)
               for kind in backends(args.db)]
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
