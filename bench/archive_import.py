"""Archive import benchmark: ``pressroom import`` of a generated archive into a fresh
database, timed as a user runs it (the command in its own process).

The archive: ``--lines`` records (default 50,000) of JSON Lines, each a question and answer
made of paragraphs of the seed articles (/work/shared/seeds), asked of one of three
ministries by one of 40 journalists of 12 outlets, between 2015 and 2024. The database: a
new SQLite file, or the PostgreSQL database of ``--postgres-url`` (its public schema is
dropped and made again), migrated, with the three ministries and an administrator. Printed:
the time of the import and records per second; the time of running it again (nothing new:
the baseline, every line read, checked and found imported); the rows and search entries.

Run: .venv/bin/python bench/archive_import.py [--db sqlite|postgres|both] [--lines 50000]
     [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")
MINISTRIES = [("Bộ Thông tin và Truyền thông", "Bộ TTTT"), ("Bộ Y tế", "BYT"),
              ("Bộ Giao thông vận tải", "Bộ GTVT")]
OUTLETS = ["Báo Nhân Dân", "Báo Tuổi Trẻ", "Báo Thanh Niên", "VnExpress", "Báo Lao Động",
           "Đài Truyền hình Việt Nam", "Thông tấn xã Việt Nam", "Báo Tiền Phong",
           "Báo Dân trí", "Báo Pháp luật TP. Hồ Chí Minh", "Đài Tiếng nói Việt Nam",
           "Báo Điện tử Chính phủ"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Vũ", "Đỗ"]
GIVEN = ["Minh Châu", "Thu Hà", "Hồng Sâm", "Hải Yến", "Quang Huy"]


def paragraphs() -> list[str]:
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        found += [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()
                  if len(line.strip()) > 80]
    return found


def generate(path: Path, lines: int) -> None:
    rng = random.Random(42)
    texts = paragraphs()
    start = datetime(2015, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        for n in range(lines):
            asked = start + timedelta(minutes=rng.randrange(60 * 24 * 365 * 9))
            answered = asked + timedelta(hours=rng.randrange(1, 24 * 20))
            ministry = MINISTRIES[n % len(MINISTRIES)]
            record = {
                "source_id": f"ARCHIVE-{n + 1:07d}", "ministry": ministry[1 - n % 2],
                "outlet": OUTLETS[rng.randrange(len(OUTLETS))],
                "asker": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                "asked_at": asked.isoformat(), "answered_at": answered.isoformat(),
                "question": rng.choice(texts)[:1500] + "?",
                "answer": "\n\n".join(rng.sample(texts, 2)),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def prepare(url: str) -> None:
    """A migrated, empty database with the ministries and an administrator."""
    code = f"""
import os
os.environ["PRESSROOM_DATABASE_URL"] = {url!r}
from sqlalchemy import text
from pressroom.core.db import make_engine, open_session
if {url!r}.startswith("postgresql"):
    engine = make_engine({url!r})
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
from pressroom.cli import upgrade_database
upgrade_database({url!r})
from pressroom.accounts import service as accounts
from pressroom.accounts.enums import Role
from pressroom.organizations import service as organizations
from pressroom.organizations.enums import OrgKind
with open_session(writing=True) as session:
    for name, short in {MINISTRIES!r}:
        organizations.create_organization(session, name=name, short_name=short,
                                          kind=OrgKind.MINISTRY)
    accounts.create_user(session, email="bench@example.vn", full_name="Quản trị viên",
                         password="bench-password-1", role=Role.ADMIN)
    session.commit()
"""
    subprocess.run([sys.executable, "-c", code], check=True, env=_env(url), cwd=ROOT)


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "PRESSROOM_DATABASE_URL": url, "PRESSROOM_DEMO_MODE": "1",
            "PRESSROOM_ARGON2_PROFILE": "fast-for-tests"}


def timed_import(url: str, archive: Path) -> tuple[float, str]:
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pressroom.cli", "import", str(archive),
                             "--by", "bench@example.vn"], capture_output=True, text=True,
                            env=_env(url), cwd=ROOT, check=False)
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        sys.exit(f"import failed ({result.returncode}): {result.stdout}{result.stderr}")
    return elapsed, result.stdout.strip()


def counts(url: str) -> str:
    code = f"""
from sqlalchemy import func, select, table
from pressroom.core.db import make_engine
engine = make_engine({url!r})
with engine.connect() as conn:
    print(", ".join(f"{{name}}: {{conn.execute(select(func.count()).select_from(table(name))).scalar()}}"
                    for name in ("question", "answer", "search_entry", "event")))
"""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=_env(url), cwd=ROOT, check=True).stdout.strip()


def run(name: str, url: str, archive: Path, lines: int) -> None:
    prepare(url)
    first, said = timed_import(url, archive)
    again, said_again = timed_import(url, archive)
    print(f"{name}: import of {lines:,} lines {first:.1f} s ({lines / first:,.0f} records/s)"
          f"; again, nothing new (baseline) {again:.1f} s")
    print(f"  first run: {said}\n  second run: {said_again}\n  rows: {counts(url)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--postgres-url", default=os.environ.get("PRESSROOM_BENCH_POSTGRES_URL", ""))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pressroom-import-bench-"))
    archive = folder / "archive.jsonl"
    generate(archive, args.lines)
    print(f"archive: {archive} ({archive.stat().st_size / 1e6:.1f} MB, {args.lines:,} lines)")
    if args.db in ("sqlite", "both"):
        run("SQLite", f"sqlite:///{folder}/bench.db", archive, args.lines)
    if args.db in ("postgres", "both"):
        if not args.postgres_url:
            sys.exit("--postgres-url is needed for PostgreSQL (its public schema is dropped)")
        run("PostgreSQL", args.postgres_url, archive, args.lines)


if __name__ == "__main__":
    main()
