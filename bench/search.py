"""Search benchmark: how well search ranks on a labelled set of Vietnamese press Q&A, and
how fast it answers over a million generated documents.

Quality. The labelled set (tests/data/search/: ``documents.jsonl``, published answers with
their question, conferences and transcript turns; ``queries.jsonl``, queries with graded
judgments, 2 = the answer, 1 = relevant, unlisted = not, and no-answer queries with none)
is put into a fresh database through ``search.index.put``, each document as the services
would put it (answers/queries.search_entry, conferences/queries.search_entries: found by
its ministry's or host's name too). Each query
runs through ``publishing.queries.search_page``, the page's own search. Printed: nDCG@10
(gain 2^grade - 1, the ideal ranking from the judgments), its mean over the answerable
queries and per kind of query, the worst queries with what they returned, and for the
no-answer queries how many returned anything, and what.

Speed. ``--documents`` documents (default 1,000,000) generated from a realistic vocabulary
(the words of the seed articles and of the labelled set, drawn with Zipf-like frequencies,
plus document numbers, years and organisations) are inserted in bulk with the token streams
of ``search.analysis.streams`` (computed once per distinct word, checked against streams()
of whole documents). SQLite: rows inserted with the FTS5 triggers dropped, the index built
once with FTS5's 'rebuild', the triggers put back. PostgreSQL: COPY with the GIN indexes
dropped, the indexes built once at the end, then ANALYZE. Then a few hundred queries of
mixed kinds (rare words, common words, two and three words, phrases, document numbers,
abbreviations, without diacritics, with a facet filter) are timed through ``search_page``:
p50 / p95 / p99, per kind too. The baseline measured in the same run: the same queries
through a bare ``SELECT ... LIMIT 10`` on the primary key (what a round trip costs).

Run: .venv/bin/python bench/search.py [--db sqlite|postgres|both] [--documents 1000000]
     [--queries 300] [--set-documents FILE] [--set-queries FILE] [--quality-only]
Targets: nDCG@10 >= 0.97 on the answerable queries and no result for any no-answer query;
p95 < 50 ms on SQLite and < 100 ms on PostgreSQL. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sqlite3
import statistics
import sys
import time
import unicodedata
from bisect import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from loadkit import Database, backends, percentile

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests/data/search"
SEEDS = Path("/work/shared/seeds")
TARGET_NDCG = 0.97
TARGET_P95_MS = {"sqlite": 50.0, "postgres": 100.0}
K = 10


# --- the labelled set ---------------------------------------------------------------------

@dataclass(frozen=True)
class LabelledQuery:
    id: str
    text: str
    kinds: tuple[str, ...]
    judgments: dict[str, int]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def load_queries(path: Path) -> list[LabelledQuery]:
    return [LabelledQuery(row["id"], row["query"], tuple(row.get("kinds", ())),
                          {k: int(v) for k, v in row.get("judgments", {}).items()})
            for row in load_jsonl(path)]


def _when(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=3, tzinfo=UTC)


def entries(documents: list[dict[str, Any]], org_ids: dict[str, int]) -> list[Any]:
    """The index entries of the labelled documents, built as the services build them; the
    entry's ``source_id`` carries the document's id in the set."""
    from pressroom.search.index import Entry

    titles = {d["id"]: d["title"] for d in documents if d["kind"] == "conference"}
    out = []
    for n, doc in enumerate(documents, 1):
        org, about = org_ids[doc["organization"]], doc["organization"]
        published = _when(doc["published"])
        if doc["kind"] == "answer":
            out.append(Entry(kind="answer", ref_id=n, url=f"/answers/{n}", title=doc["title"],
                             body=f"{doc['question']}\n\n{doc['answer']}",
                             context=doc.get("asker", ""), organization_id=org,
                             year=published.year, published_at=published,
                             source_id=doc["id"], about=about))
        elif doc["kind"] == "conference":
            body = "\n\n".join(part for part in (doc.get("description", ""), doc.get("venue", ""),
                                                 ", ".join(doc.get("participants", []))) if part)
            out.append(Entry(kind="conference", ref_id=n, url=f"/conferences/{n}",
                             title=doc["title"], body=body, organization_id=org,
                             year=published.year, published_at=published, source_id=doc["id"],
                             about=about))
        else:
            context = ", ".join(p for p in (doc.get("speaker", ""), doc.get("role", "")) if p)
            out.append(Entry(kind="transcript", ref_id=n, url=f"/conferences/#turn-{n}",
                             title=titles[doc["conference"]], body=doc["text"], context=context,
                             organization_id=org, year=published.year, published_at=published,
                             source_id=doc["id"], about=about))
    return out


def ndcg(returned: list[str], judgments: dict[str, int], k: int = K) -> float:
    gains = [2 ** judgments.get(doc, 0) - 1 for doc in returned[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2 ** g - 1 for g in judgments.values()), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


@dataclass
class Quality:
    mean: float
    per_kind: dict[str, float]
    worst: list[tuple[float, LabelledQuery, list[str]]]
    no_answer: list[tuple[LabelledQuery, int, list[str]]]  # query, total, first titles

    @property
    def no_answer_hits(self) -> int:
        return sum(1 for _q, total, _t in self.no_answer if total)


def quality(db: Database, documents: list[dict[str, Any]],
            queries: list[LabelledQuery]) -> Quality:
    from sqlmodel import Session

    from pressroom.cli import upgrade_database
    from pressroom.core.db import make_engine
    from pressroom.organizations import service as organizations
    from pressroom.organizations.enums import OrgKind
    from pressroom.publishing.queries import search_page
    from pressroom.search import index

    upgrade_database(db.url)
    engine = make_engine(db.url)
    try:
        with Session(engine) as session:
            org_ids: dict[str, int] = {}
            for name in dict.fromkeys(d["organization"] for d in documents):
                org = organizations.create_organization(session, name=name,
                                                        kind=OrgKind.MINISTRY)
                session.flush()
                org_ids[name] = org.id or 0
            index.put(session, entries(documents, org_ids))
            session.commit()
            titles = {d["id"]: d.get("title") or d.get("text", "")[:60] for d in documents}
            scores: list[tuple[float, LabelledQuery, list[str]]] = []
            no_answer = []
            for query in queries:
                page = search_page(session, query.text, index.Filters(), limit=K, offset=0)
                # As the page lists them: the results, then the partial matches below.
                found = [hit.source_id for hit in page.hits + page.partial][:K]
                if query.judgments:
                    scores.append((ndcg(found, query.judgments), query, found))
                else:
                    no_answer.append((query, page.total, [f"{s} {titles.get(s, '')}"
                                                          for s in found[:3]]))
    finally:
        engine.dispose()
    kinds: dict[str, list[float]] = defaultdict(list)
    for score, query, _found in scores:
        for kind in query.kinds:
            kinds[kind].append(score)
    mean = statistics.fmean(s for s, _q, _f in scores) if scores else 0.0
    worst = sorted(scores, key=lambda item: item[0])[:10]
    return Quality(mean, {k: statistics.fmean(v) for k, v in sorted(kinds.items())}, worst,
                   no_answer)


def print_quality(result: Quality, answerable: int) -> None:
    print(f"  nDCG@{K}: {result.mean:.4f} (mean over {answerable} answerable queries; "
          f"target >= {TARGET_NDCG})")
    print("  per kind: " + ", ".join(f"{k} {v:.3f}" for k, v in result.per_kind.items()))
    print("  worst queries (returned: id[grade]; missing: judged ids not in the top 10):")
    for score, query, found in result.worst:
        if score >= 0.999:
            break
        shown = " ".join(f"{d}[{query.judgments.get(d, 0)}]" for d in found[:K]) or "nothing"
        missing = [d for d in query.judgments if d not in found[:K]]
        print(f"    {score:.3f} {query.id} {unicodedata.normalize('NFC', query.text)!r}: "
              f"{shown}; missing {' '.join(missing) or '-'}")
    print(f"  no-answer queries returning something: {result.no_answer_hits} of "
          f"{len(result.no_answer)} (target 0)")
    for query, total, first in result.no_answer:
        if total:
            print(f"    {query.id} {query.text!r}: {total} results, e.g. {first}")


# --- generated documents ------------------------------------------------------------------

_CHUNK = re.compile(r"[^\W_]+(?:[&./\-][^\W_]+)*")
ORGANISATIONS = 24
DOCUMENT_TYPES = ("NĐ-CP", "QĐ-TTg", "TT-BTC", "TT-BYT", "TT-BGDĐT", "NQ-CP", "TT-NHNN")
ABBREVIATIONS = ("NHNN", "BHXH", "BHYT", "GTVT", "TTTT", "KH&ĐT", "THPT", "GDP", "CPI",
                 "UBND", "TP.HCM", "Bộ Y tế", "Bộ Tài chính")


@dataclass
class Vocabulary:
    words: list[str]  # most frequent first
    cumulative: list[float]
    streams: dict[str, tuple[str, str]] = field(default_factory=dict)

    def draw(self, rng: random.Random, n: int) -> list[str]:
        top = self.cumulative[-1]
        return [self.words[bisect(self.cumulative, rng.random() * top)] for _ in range(n)]


def vocabulary(documents: list[dict[str, Any]]) -> Vocabulary:
    """The words of the seed articles and of the labelled set, each drawn with a Zipf-like
    probability (1 / rank^1.05, ranks by frequency in that text), with their two streams."""
    from pressroom.core.text import prepare
    from pressroom.search.analysis import streams

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [" ".join(str(v) for k, v in d.items() if k not in ("id", "kind", "published"))
              for d in documents]
    counts: Counter[str] = Counter()
    for text in texts:
        for chunk in _CHUNK.findall(prepare(text)):
            if "/" in chunk or chunk.isdigit():
                continue  # numbers are generated apart
            counts[chunk if chunk.isupper() and len(chunk) > 1 else chunk.lower()] += 1
    words = [w for w, _n in counts.most_common()]
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(words))]
    vocab = Vocabulary(words, list(accumulate(weights)))
    for word in words + list(ABBREVIATIONS):
        vocab.streams[word] = streams(word)
    return vocab


@dataclass(frozen=True)
class Generated:
    title: str
    body: str
    title_exact: str
    title_folded: str
    body_exact: str
    body_folded: str
    kind: str
    organization_id: int
    year: int
    published_at: datetime


def _streams_of(vocab: Vocabulary, units: list[str]) -> tuple[str, str]:
    from pressroom.search.analysis import streams

    exact, folded = [], []
    for unit in units:
        pair = vocab.streams.get(unit)
        if pair is None:
            pair = streams(unit)
            if len(vocab.streams) < 500_000:
                vocab.streams[unit] = pair
        if pair[0]:
            exact.append(pair[0])
            folded.append(pair[1])
    return " ".join(exact), " ".join(folded)


def generate(vocab: Vocabulary, rng: random.Random, start: datetime) -> Generated:
    """One document: a title of 6 to 14 words and a body of 30 to 150, drawn from the
    vocabulary, sometimes with a document number, an abbreviation, an amount, a date."""
    title = vocab.draw(rng, rng.randint(6, 14))
    body = vocab.draw(rng, rng.randint(30, 150))
    if rng.random() < 0.35:
        number = (f"{rng.randint(1, 400)}/{rng.randint(2010, 2025)}/"
                  f"{rng.choice(DOCUMENT_TYPES)}")
        body.insert(rng.randrange(len(body) + 1), number)
        if rng.random() < 0.3:
            title.append(number)
    for _ in range(rng.randint(0, 3)):
        body.insert(rng.randrange(len(body) + 1), rng.choice(ABBREVIATIONS))
    if rng.random() < 0.5:
        body.insert(rng.randrange(len(body) + 1), f"{rng.randint(1, 28)}/{rng.randint(1, 12)}")
    if rng.random() < 0.5:
        body.insert(rng.randrange(len(body) + 1), f"{rng.randint(1, 999)}.{rng.randint(0, 999):03d}")
    title_exact, title_folded = _streams_of(vocab, title)
    body_exact, body_folded = _streams_of(vocab, body)
    published = start + timedelta(minutes=rng.randint(0, 6 * 365 * 24 * 60))
    kind = rng.choices(("answer", "conference", "transcript"), (80, 4, 16))[0]
    return Generated(_sentence(title), _sentence(body) + ".",
                     title_exact, title_folded, body_exact, body_folded, kind,
                     rng.randint(1, ORGANISATIONS), published.year, published)


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]  # not str.capitalize(): "VAT" stays in capitals


def check_streams(vocab: Vocabulary, rng: random.Random, start: datetime, n: int = 2000) -> int:
    """How many of ``n`` generated documents have streams other than streams() of the whole
    text (they must be the same: the words are read one at a time)."""
    from pressroom.search.analysis import streams

    differ = 0
    for _ in range(n):
        doc = generate(vocab, rng, start)
        if streams(doc.title) != (doc.title_exact, doc.title_folded) or \
                streams(doc.body) != (doc.body_exact, doc.body_folded):
            differ += 1
    return differ


COLUMNS = ("kind", "ref_id", "url", "title", "body", "context", "organization_id", "year",
           "published_at", "source_id", "title_exact", "title_folded", "body_exact",
           "body_folded")


def _row(n: int, doc: Generated, sqlite: bool) -> tuple[Any, ...]:
    published: Any = doc.published_at
    if sqlite:  # as the UTCDateTime column stores it
        published = doc.published_at.replace(tzinfo=None).isoformat(sep=" ")
    return (doc.kind, n, f"/x/{n}", doc.title, doc.body, "", doc.organization_id, doc.year,
            published, "", doc.title_exact, doc.title_folded, doc.body_exact, doc.body_folded)


def load_generated(db: Database, count: int, vocab: Vocabulary, seed: int = 7,
                   batch: int = 20_000) -> dict[str, float]:
    """Inserts ``count`` generated documents in bulk; the seconds each step took."""
    from pressroom.cli import upgrade_database

    upgrade_database(db.url)
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    timings: dict[str, float] = {}
    generating = 0.0
    started = time.perf_counter()
    if db.kind == "sqlite":
        path = db.url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")  # a bench's load: the queries run as shipped
        triggers = [row[0] for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_entry'")]
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = 'search_entry'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        insert = (f"INSERT INTO search_entry ({', '.join(COLUMNS)}) VALUES "  # noqa: S608
                  f"({', '.join('?' for _ in COLUMNS)})")
        for first in range(1, count + 1, batch):
            t = time.perf_counter()
            rows = [_row(n, generate(vocab, rng, start), True)
                    for n in range(first, min(count, first + batch - 1) + 1)]
            generating += time.perf_counter() - t
            conn.execute("BEGIN")
            conn.executemany(insert, rows)
            conn.execute("COMMIT")
        timings["insert rows (generation excluded)"] = time.perf_counter() - started - generating
        t = time.perf_counter()
        conn.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
        for sql in triggers:
            conn.execute(sql)
        conn.execute("ANALYZE")
        timings["FTS5 rebuild + ANALYZE"] = time.perf_counter() - t
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    else:
        import psycopg

        with psycopg.connect(db.url.replace("postgresql+psycopg://", "postgresql://"),
                             autocommit=True) as conn:
            indexes = [row[0] for row in conn.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_entry' "
                "AND indexdef LIKE '%USING gin%'")]
            for (name,) in conn.execute(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry' "
                    "AND indexdef LIKE '%USING gin%'").fetchall():
                conn.execute(f'DROP INDEX "{name}"')
            for first in range(1, count + 1, batch):
                t = time.perf_counter()
                rows = [_row(n, generate(vocab, rng, start), False)
                        for n in range(first, min(count, first + batch - 1) + 1)]
                generating += time.perf_counter() - t
                with conn.cursor() as cur, cur.copy(
                        f"COPY search_entry ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            timings["COPY rows with tsvectors (generation excluded)"] = (
                time.perf_counter() - started - generating)
            t = time.perf_counter()
            conn.execute("SET maintenance_work_mem = '512MB'")
            for sql in indexes:
                conn.execute(sql)
            conn.execute("ANALYZE search_entry")
            timings["GIN indexes + ANALYZE"] = time.perf_counter() - t
    timings["generating documents (Python)"] = generating
    return timings


# --- timed queries ------------------------------------------------------------------------

def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def timed_queries(vocab: Vocabulary, count: int, seed: int = 11) -> list[tuple[str, str, Any]]:
    """(kind, text, filters) of ``count`` queries of mixed kinds, drawn as users would type
    them: mostly words of middling frequency, some very common, some rare."""
    from pressroom.search.index import Filters

    rng = random.Random(seed)
    words = [w for w in vocab.words if len(w) > 1]
    common, middle, rare = words[:40], words[40:800], words[800:]
    docs = [generate(vocab, rng, datetime(2020, 1, 1, tzinfo=UTC)) for _ in range(200)]
    kinds = [
        ("rare word", lambda: rng.choice(rare), None),
        ("common word", lambda: rng.choice(common), None),
        ("two words", lambda: f"{rng.choice(middle)} {rng.choice(middle)}", None),
        ("common + middle", lambda: f"{rng.choice(common)} {rng.choice(middle)}", None),
        ("three words", lambda: " ".join(rng.choice(middle) for _ in range(3)), None),
        ("phrase", lambda: _phrase(rng, docs), None),
        ("no diacritics", lambda: _fold(f"{rng.choice(middle)} {rng.choice(middle)}"), None),
        ("document number", lambda: f"{rng.randint(1, 400)}/{rng.randint(2010, 2025)}/"
                                    f"{rng.choice(DOCUMENT_TYPES)}", None),
        ("abbreviation", lambda: f"{rng.choice(ABBREVIATIONS)} {rng.choice(middle)}", None),
        ("facet: organisation", lambda: rng.choice(middle), "organization"),
        ("facet: year", lambda: f"{rng.choice(common)} {rng.choice(middle)}", "year"),
    ]
    out = []
    for i in range(count):
        kind, make, facet = kinds[i % len(kinds)]
        filters = Filters()
        if facet == "organization":
            filters = Filters(organization_id=rng.randint(1, ORGANISATIONS))
        elif facet == "year":
            filters = Filters(year=rng.randint(2020, 2025))
        out.append((kind, make(), filters))
    return out


def _phrase(rng: random.Random, docs: list[Generated]) -> str:
    words = rng.choice(docs).body.rstrip(".").split()
    at = rng.randrange(max(1, len(words) - 2))
    return '"' + " ".join(words[at:at + rng.choice((2, 3))]) + '"'


def speed(db: Database, queries: list[tuple[str, str, Any]]) -> dict[str, list[float]]:
    """Milliseconds of each query through search_page (and of the baseline), by kind."""
    from sqlalchemy import text as sql
    from sqlmodel import Session

    from pressroom.core.db import make_engine
    from pressroom.publishing.queries import search_page

    engine = make_engine(db.url)
    times: dict[str, list[float]] = defaultdict(list)
    try:
        with Session(engine) as session:
            for _kind, text, filters in queries[:20]:  # warm the caches and the pool
                search_page(session, text, filters, limit=K, offset=0)
            for kind, text, filters in queries:
                started = time.perf_counter()
                search_page(session, text, filters, limit=K, offset=0)
                elapsed = (time.perf_counter() - started) * 1000
                times[kind].append(elapsed)
                times["all"].append(elapsed)
                session.rollback()
                started = time.perf_counter()
                session.execute(sql("SELECT id, title FROM search_entry ORDER BY id DESC "
                                    "LIMIT 10")).all()
                times["baseline"].append((time.perf_counter() - started) * 1000)
    finally:
        engine.dispose()
    return times


def print_speed(times: dict[str, list[float]]) -> None:
    def line(name: str, values: list[float]) -> str:
        return (f"    {name:<22} n={len(values):>4}  p50 {percentile(values, 0.5):7.1f}  "
                f"p95 {percentile(values, 0.95):7.1f}  p99 {percentile(values, 0.99):7.1f}  "
                f"max {max(values):7.1f} ms")

    print(line("all queries", times["all"]))
    print(line("baseline (bare SELECT)", times["baseline"]))
    for kind, values in times.items():
        if kind not in ("all", "baseline"):
            print(line(kind, values))


# --- main ---------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=330)
    parser.add_argument("--set-documents", type=Path, default=SET / "documents.jsonl")
    parser.add_argument("--set-queries", type=Path, default=SET / "queries.jsonl")
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()

    documents = load_jsonl(args.set_documents)
    queries = load_queries(args.set_queries)
    answerable = sum(1 for q in queries if q.judgments)
    print(f"Labelled set: {len(documents)} documents, {len(queries)} queries "
          f"({answerable} answerable, {len(queries) - answerable} no-answer)")
    failed = False
    for kind in backends(args.db):
        db = Database.create(kind, "search")
        try:
            print(f"\n== {db.describe()}: quality")
            result = quality(db, documents, queries)
            print_quality(result, answerable)
            failed |= result.mean < TARGET_NDCG or result.no_answer_hits > 0
        finally:
            db.drop()
        if args.quality_only or args.documents <= 0:
            continue
        db = Database.create(kind, "search")
        try:
            print(f"\n== {db.describe()}: speed over {args.documents:,} generated documents")
            vocab = vocabulary(documents)
            differ = check_streams(vocab, random.Random(3), datetime(2020, 1, 1, tzinfo=UTC))
            print(f"  vocabulary: {len(vocab.words):,} words; generated streams differing "
                  f"from streams() of the whole text: {differ} of 2000")
            started = time.perf_counter()
            timings = load_generated(db, args.documents, vocab)
            total = time.perf_counter() - started
            print(f"  loaded in {total:.0f} s: " + "; ".join(f"{k} {v:.0f} s"
                                                             for k, v in timings.items()))
            times = speed(db, timed_queries(vocab, args.queries))
            print_speed(times)
            p95 = percentile(times["all"], 0.95)
            print(f"  p95 {p95:.1f} ms (target < {TARGET_P95_MS[kind]:.0f} ms)")
            failed |= p95 >= TARGET_P95_MS[kind]
        finally:
            db.drop()
    print("\nTargets met." if not failed else "\nTarget missed.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
