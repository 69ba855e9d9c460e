"""Durability benchmark: N question submissions at once (half API, half form) while the
server process is killed with SIGKILL part-way (after a random share of them was answered),
then restarted. Every acknowledged submission (201 from the API, 303 from the form) must be
in the database exactly once. The unanswered ones are then sent again with the same
Idempotency-Key / form submission key, as a client that got no answer does, and every
submission must then be stored exactly once.

Run: .venv/bin/python bench/durability.py [--db sqlite|postgres|both] [--rounds 20]
     [--submissions 200] [--seed 1]
Exit code 1 when an acknowledged submission is lost or a submission is stored twice.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import time
from dataclasses import dataclass

from loadkit import (
    ARGON2_NOTE,
    Database,
    Journalist,
    Outcome,
    Server,
    Submission,
    backends,
    count_titles,
    log_in_all,
    open_forms,
    plan,
    prepare,
    submit,
)


@dataclass
class Totals:
    rounds: int = 0
    sent: int = 0
    acknowledged: int = 0
    found_once: int = 0
    doubled: int = 0
    lost: int = 0
    stored_unacknowledged: int = 0
    retried: int = 0
    final_once: int = 0
    final_doubled: int = 0
    final_missing: int = 0


async def _round(server: Server, journalists: list[Journalist], ministry_id: int, count: int,
                 prefix: str, kill_after: int) -> tuple[list[Submission], list[Outcome]]:
    """Sends ``count`` submissions at once and SIGKILLs the server as the ``kill_after``-th
    is acknowledged."""
    items = plan(journalists, count, prefix)
    await open_forms(server.base, items)
    acknowledged = 0
    enough = asyncio.Event()

    async def one(item: Submission) -> Outcome:
        nonlocal acknowledged
        outcome = await submit(server.base, item, ministry_id, 30)
        if outcome.acknowledged:
            acknowledged += 1
            if acknowledged == kill_after:
                server.kill()  # at once, while the other submissions are still in flight
                enough.set()
        return outcome

    tasks = [asyncio.create_task(one(item)) for item in items]
    with contextlib.suppress(TimeoutError):  # not that many answers: kill anyway
        await asyncio.wait_for(enough.wait(), timeout=60)
    server.kill()
    outcomes = list(await asyncio.gather(*tasks))
    return items, outcomes


async def _retry(server: Server, items: list[Submission], ministry_id: int) -> list[Outcome]:
    return list(await asyncio.gather(*(submit(server.base, item, ministry_id, 30)
                                       for item in items)))


def run(kind: str, rounds: int, count: int, journalists: int, seed: int) -> bool:
    rng = random.Random(seed)
    db = Database.create(kind, "durability")
    server = Server(db)
    totals = Totals()
    started = time.perf_counter()
    try:
        world = prepare(db, journalists)
        server.start()
        people = asyncio.run(log_in_all(server.base, world.emails))
        for number in range(1, rounds + 1):
            prefix = f"dur-{number:02d}-{int(time.time())}"
            kill_after = rng.randint(count // 10, count * 8 // 10)
            items, outcomes = asyncio.run(
                _round(server, people, world.ministry_id, count, prefix, kill_after))
            server.start()  # after the SIGKILL: a new process on the same port and database
            stored = count_titles(db, prefix)
            acked = {o.title for o in outcomes if o.acknowledged}
            once = sum(1 for t in acked if stored.get(t) == 1)
            doubled = sum(1 for c in stored.values() if c > 1)
            lost = sum(1 for t in acked if t not in stored)
            unacked_stored = sum(1 for t in stored if t not in acked)
            # A client that got no answer sends the same submission again (same keys).
            again = [item for item, o in zip(items, outcomes, strict=True) if not o.acknowledged]
            retried = asyncio.run(_retry(server, again, world.ministry_id)) if again else []
            final = count_titles(db, prefix)
            final_once = sum(1 for item in items if final.get(item.title) == 1)
            final_doubled = sum(1 for c in final.values() if c > 1)
            final_missing = sum(1 for item in items if item.title not in final)
            retry_failures = sum(1 for o in retried if not o.acknowledged)
            print(f"  round {number:2d}: killed after {kill_after:3d} answers; acknowledged "
                  f"{len(acked):3d}, stored once {once:3d}, lost {lost}, doubled {doubled}, "
                  f"stored but unanswered {unacked_stored:3d}; resent {len(again):3d} "
                  f"({retry_failures} failed) -> {final_once}/{count} stored once, "
                  f"{final_doubled} doubled, {final_missing} missing", flush=True)
            totals.rounds += 1
            totals.sent += count
            totals.acknowledged += len(acked)
            totals.found_once += once
            totals.doubled += doubled
            totals.lost += lost
            totals.stored_unacknowledged += unacked_stored
            totals.retried += len(again)
            totals.final_once += final_once
            totals.final_doubled += final_doubled
            totals.final_missing += final_missing
    finally:
        server.stop()
        db.drop()
    print(f"== {db.describe()}: {totals.rounds} rounds of {count} submissions in "
          f"{time.perf_counter() - started:.0f} s")
    print(f"  acknowledged {totals.acknowledged}   found exactly once {totals.found_once}   "
          f"doubled {totals.doubled}   lost {totals.lost}   (stored but unanswered when killed: "
          f"{totals.stored_unacknowledged})")
    print(f"  after resending the {totals.retried} unanswered with the same keys: "
          f"{totals.final_once} of {totals.sent} stored exactly once, {totals.final_doubled} "
          f"doubled, {totals.final_missing} missing")
    met = (totals.lost == 0 and totals.doubled == 0 and totals.found_once == totals.acknowledged
           and totals.final_once == totals.sent and totals.final_doubled == 0)
    print("  targets met" if met else "  TARGETS NOT MET")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--journalists", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill points")
    args = parser.parse_args()
    print("Pressroom durability benchmark: SIGKILL of the server process (uvicorn, 1 process, "
          "127.0.0.1) part-way through a burst of submissions, then a restart")
    print(f"  {ARGON2_NOTE}")
    print("  SQLite runs with WAL and synchronous=FULL (core/db.py); on PostgreSQL only the app "
          "server is killed, not the database")
    results = [run(kind, args.rounds, args.submissions, args.journalists, args.seed)
               for kind in backends(args.db)]
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
