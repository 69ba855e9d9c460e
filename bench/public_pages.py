"""Public pages benchmark: requests per second for the public conference page and answer
page, against the same bytes returned as a precomputed response by the same server in the
same run; and the server's memory after it rendered every demo PDF.

Run: make bench   (or .venv/bin/python bench/public_pages.py [--seconds 10] [--connections 16])
Uses wrk when installed (apt-get install wrk), else a Python load generator (less precise).
Targets: public pages ≥ 50 % of the baseline; server RSS < 250 MB after rendering the PDFs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(folder: Path) -> tuple[str, dict[str, str]]:
    """A fresh SQLite database with the demo data; returns its URL and the pages to measure."""
    url = f"sqlite:///{folder}/bench.db"
    env = {"PRESSROOM_DATABASE_URL": url, "PRESSROOM_DEMO_MODE": "1",
           "PRESSROOM_STORAGE_DIR": str(folder / "var")}
    os.environ.update(env)
    from sqlmodel import Session

    from pressroom.cli import upgrade_database
    from pressroom.core.db import make_engine
    from pressroom.demo import load_demo
    from pressroom.publishing.queries import latest_answers

    upgrade_database(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_demo(session)
        session.commit()
        answer = next(d for d in latest_answers(session) if d.conference_id)
    engine.dispose()
    return url, {"conference": f"/conferences/{answer.conference_id}",
                 "answer": f"/answers/{answer.answer_id}"}


def start_server(folder: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PRESSROOM_DATABASE_URL": url, "PRESSROOM_DEMO_MODE": "1",
           "PRESSROOM_STORAGE_DIR": str(folder / "var"), "PRESSROOM_BENCH_DIR": str(folder),
           "PRESSROOM_PDF_WORKER": "1", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.baseline_app:create", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-access-log"], env=env, cwd=ROOT)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def wait_for_pdfs(url: str, timeout: float = 180) -> int:
    from sqlmodel import Session, func, select

    from pressroom.core.db import make_engine
    from pressroom.publishing.models import StoredPdf
    from pressroom.publishing.service import pending_documents

    engine = make_engine(url)
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            with Session(engine) as session:
                if not pending_documents(session):
                    return int(session.exec(select(func.count()).select_from(StoredPdf)).one())
            time.sleep(0.5)
    finally:
        engine.dispose()
    raise SystemExit("the PDFs were not rendered in time")


def measure_wrk(target: str, seconds: int, connections: int) -> float:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", target],
                         capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{target}: {non_2xx.group(1)} failed responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


async def _python_load(target: str, seconds: int, connections: int) -> float:
    done = 0
    stop = time.perf_counter() + seconds
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=connections)) as client:
        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < stop:
                response = await client.get(target)
                response.raise_for_status()
                done += 1
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return done / (time.perf_counter() - started)


def measure(target: str, seconds: int, connections: int) -> float:
    if shutil.which("wrk"):
        return measure_wrk(target, seconds, connections)
    return asyncio.run(_python_load(target, seconds, connections))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    url, pages = prepare(folder)
    port = _port()
    base = f"http://127.0.0.1:{port}"
    # The baseline serves exactly the bytes the pages return: a first server run fetches them
    # (and renders every demo PDF, for the memory figure), the second run measures.
    (folder / "pages.json").write_text(json.dumps(list(pages)))
    for name in pages:
        (folder / f"{name}.html").write_bytes(b"")
    server = start_server(folder, url, port)
    try:
        for name, path in pages.items():
            response = httpx.get(base + path)
            response.raise_for_status()
            (folder / f"{name}.html").write_bytes(response.content)
        pdfs = wait_for_pdfs(url)
        memory = rss_mb(server.pid)
        server.terminate()
        server.wait(timeout=15)
        server = start_server(folder, url, port)
        tool = "wrk" if shutil.which("wrk") else "python-httpx"
        print(f"Pressroom public pages benchmark ({tool}, {args.connections} connections, "
              f"{args.seconds} s each, 1 server process, SQLite demo data)")
        results = []
        for name, path in pages.items():
            measure(base + path, 2, args.connections)  # warm-up
            page_rps = measure(base + path, args.seconds, args.connections)
            baseline_rps = measure(f"{base}/__baseline/{name}", args.seconds, args.connections)
            ratio = page_rps / baseline_rps
            results.append(ratio)
            size = (folder / f"{name}.html").stat().st_size
            print(f"  {name:<11} {path:<18} {page_rps:8.0f} req/s   baseline {baseline_rps:8.0f} "
                  f"req/s   ratio {ratio:6.1%}   ({size} bytes)")
        print(f"  server RSS after rendering all {pdfs} demo PDFs: {memory:.0f} MB "
              f"(target < 250 MB)")
        verdict = all(r >= 0.5 for r in results) and memory < 250
        print("  targets met" if verdict else "  TARGETS NOT MET")
    finally:
        server.terminate()
        server.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
