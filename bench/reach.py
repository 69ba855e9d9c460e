"""Reach: counting requests per second (POST /reach/hit, one upsert each) against a bare
route of the same app that returns 204 at once, served by the same uvicorn process
(middleware included), on SQLite and/or PostgreSQL; then checks that the counter holds
exactly the views sent.

    .venv/bin/python bench/reach.py [--db sqlite|postgres|both] [--requests 3000]
                                    [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi import Request
from fastapi.responses import Response

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadkit import (  # noqa: E402
    BASE_ENV,
    ROOT,
    Database,
    backends,
    free_port,
    percentile,
    prepare,
)

AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/131.0.0.0 Safari/537.36")


def create():  # type: ignore[no-untyped-def]
    """The product app plus ``POST /__baseline/hit``: the same body parsing, nothing else."""
    from pressroom.main import create_app

    app = create_app()

    @app.post("/__baseline/hit", include_in_schema=False)
    async def baseline(request: Request) -> Response:
        await request.form()
        return Response(status_code=204)

    return app


def _published_answer(db: Database) -> int:
    from sqlmodel import Session

    from pressroom.core.db import make_engine
    from pressroom.publishing.queries import latest_answers

    engine = make_engine(db.url)
    with Session(engine) as session:
        found = latest_answers(session, 1)[0].answer_id
    engine.dispose()
    return found


def _views(db: Database, answer_id: int) -> int:
    from sqlalchemy import text

    from pressroom.core.db import make_engine

    engine = make_engine(db.url)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT COALESCE(SUM(views), 0) FROM reach_day WHERE "
                                  "kind = 'answer' AND object_id = :id"), {"id": answer_id})
        value = int(total.scalar_one())
    engine.dispose()
    return value


async def _load(base: str, path: str, body: dict[str, str], count: int, concurrency: int
                ) -> tuple[float, list[float], dict[int, int]]:
    times: list[float] = []
    statuses: dict[int, int] = {}
    left = iter(range(count))
    async with httpx.AsyncClient(base_url=base, headers={"User-Agent": AGENT},
                                 timeout=30) as client:
        async def worker() -> None:
            for _n in left:
                start = time.perf_counter()
                response = await client.post(path, data=body)
                times.append(time.perf_counter() - start)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - began, times, statuses


def run(kind: str, requests: int, concurrency: int) -> None:
    db = Database.create(kind, "reach")
    try:
        prepare(db, journalists=0)
        answer_id = _published_answer(db)
        port = free_port()
        env = {**os.environ, **BASE_ENV, "PRESSROOM_DATABASE_URL": db.url,
               "PRESSROOM_STORAGE_DIR": str(db.folder / "var"), "PRESSROOM_MAIL_WORKER": "0",
               "PYTHONPATH": str(ROOT)}
        with open(db.folder / "server.log", "ab") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "bench.reach:create", "--factory",
                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                 "--no-access-log"], env=env, cwd=ROOT, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(base + "/login", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            body = {"kind": "answer", "id": str(answer_id)}
            print(f"{db.describe()}: {requests} requests, {concurrency} at once, one uvicorn "
                  "process")
            for label, path in (("baseline (204, no database)", "/__baseline/hit"),
                                ("POST /reach/hit (one upsert)", "/reach/hit")):
                asyncio.run(_load(base, path, body, 200, concurrency))  # warm up
                took, times, statuses = asyncio.run(
                    _load(base, path, body, requests, concurrency))
                print(f"  {label:30} {requests / took:8.0f} req/s   p50 "
                      f"{percentile(times, 0.5) * 1000:6.1f} ms   p99 "
                      f"{percentile(times, 0.99) * 1000:6.1f} ms   statuses {statuses}")
            counted = _views(db, answer_id)
            print(f"  views counted: {counted} of {requests + 200} sent "
                  f"({'exact' if counted == requests + 200 else 'LOST SOME'})")
        finally:
            server.terminate()
            server.wait(timeout=15)
    finally:
        db.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    for kind in backends(args.db):
        run(kind, args.requests, args.concurrency)


if __name__ == "__main__":
    main()
