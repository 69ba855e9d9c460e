"""The full-text index: what the services put in and take out, and the search itself.

SQLite: an FTS5 table (``search_fts``) over the entries' four token streams, kept in step
by triggers on ``search_entry``; ranked by BM25, a title word counting four times a body
word. PostgreSQL: two generated ``tsvector`` columns (exact and folded; the title weighted
A, the body D) with GIN indexes; ranked by ``ts_rank`` with the same weights. Every clause
of the query is required: typed with diacritics it is matched on the exact streams,
without on the folded ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import column, delete, func, literal, literal_column, or_, select, table, text
from sqlmodel import Session, col

from pressroom.core.clock import now
from pressroom.search.analysis import Clause, Query, streams
from pressroom.search.models import SearchEntry

KINDS = ("answer", "conference", "transcript")
TITLE_WEIGHT = 4.0


@dataclass(frozen=True)
class Entry:
    """What a service puts in the index for one public thing."""

    kind: str
    ref_id: int
    url: str
    title: str
    body: str
    organization_id: int | None
    year: int
    published_at: datetime
    context: str = ""
    source_id: str = ""
    # Found by but not shown: the name of the organisation the thing belongs to (the ministry
    # an answer comes from, a conference's host), so that "BYT thiếu thuốc" finds the Ministry
    # of Health's answer about shortages even when its text says only "Bộ".
    about: str = ""


def put(session: Session, entries: Iterable[Entry]) -> None:
    """Adds or replaces these entries (by kind and id). Call it in the transaction that made
    the thing public or changed it."""
    wanted = list(entries)
    existing: dict[tuple[str, int], SearchEntry] = {}
    for kind in {entry.kind for entry in wanted}:  # one read a kind, not one an entry
        ids = [entry.ref_id for entry in wanted if entry.kind == kind]
        existing.update(((row.kind, row.ref_id), row) for row in session.exec(  # type: ignore[call-overload]
            select(SearchEntry).where(col(SearchEntry.kind) == kind,
                                      col(SearchEntry.ref_id).in_(ids))).scalars())
    for entry in wanted:
        title_exact, title_folded = streams(entry.title)
        body_exact, body_folded = streams(f"{entry.context}\n{entry.body}\n{entry.about}")
        found = existing.get((entry.kind, entry.ref_id))
        row = found or SearchEntry(kind=entry.kind, ref_id=entry.ref_id, url=entry.url,
                                   title="", body="", year=entry.year,
                                   published_at=entry.published_at)
        for name, value in (("url", entry.url), ("title", entry.title), ("body", entry.body),
                            ("context", entry.context),
                            ("organization_id", entry.organization_id), ("year", entry.year),
                            ("published_at", entry.published_at),
                            ("source_id", entry.source_id), ("title_exact", title_exact),
                            ("title_folded", title_folded), ("body_exact", body_exact),
                            ("body_folded", body_folded)):
            setattr(row, name, value)
        session.add(row)
    session.flush()


def remove(session: Session, kind: str, ref_ids: Iterable[int]) -> None:
    """Takes these things out of the index (no longer public)."""
    ids = list(ref_ids)
    if ids:
        session.execute(delete(SearchEntry).where(col(SearchEntry.kind) == kind,
                                                  col(SearchEntry.ref_id).in_(ids)))


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    organization_id: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Found:
    entry: SearchEntry
    score: float


@dataclass(frozen=True)
class Results:
    hits: list[Found]
    # How many match: exact up to CANDIDATES, and "at least" beyond (``capped``).
    total: int
    # Facet → (value, count) among all matches of the query (whatever the filters), counted
    # over the same newest CANDIDATES when there are more.
    facets: dict[str, list[tuple[Any, int]]]
    capped: bool = False
    # When the matches fit on the first page: things holding most of the query's clauses but
    # not all, best first, each with the clauses it lacks (shown apart, as partial matches).
    partial: list[tuple[Found, tuple[Clause, ...]]] = field(default_factory=list)


# A query is ranked among its newest CANDIDATES matches (by index order, which follows
# publication): a word found in half a million documents then costs what a rarer one does,
# instead of scoring, counting and grouping every match on every request. Below the cap,
# every match is ranked and counted exactly.
CANDIDATES = 300


def _words(clause: Clause) -> str:
    """The clause's tokens as the index holds them: exact when typed with diacritics."""
    return " ".join(t.exact if clause.exact else t.folded for t in clause.tokens)


def _fts_match(clauses: tuple[Clause, ...], joiner: str = " AND ") -> str:
    return joiner.join(
        ("{title_exact body_exact}" if clause.exact else "{title_folded body_folded}")
        + f' : "{_words(clause)}"' for clause in clauses)


def _tsquery(clauses: list[Clause], joiner: str = " & ") -> str:
    return joiner.join("(" + _words(clause).replace(" ", " <-> ") + ")" for clause in clauses)


def _holds(entry: SearchEntry, clause: Clause) -> bool:
    """Whether the entry's streams hold the clause (its words in this order)."""
    words = f" {_words(clause)} "
    streams = ((entry.title_exact, entry.body_exact) if clause.exact
               else (entry.title_folded, entry.body_folded))
    return any(words in f" {stream} " for stream in streams)


def search(session: Session, query: Query, filters: Filters = Filters(), *, limit: int = 10,
           offset: int = 0, newest: bool = False) -> Results:
    """The entries matching every clause of ``query`` and visible now, best first (``newest``:
    most recently indexed first, as a feed wants), one page of them; how many there are; the
    facets."""
    if not query:
        return Results([], 0, {})
    postgres = session.get_bind().dialect.name == "postgresql"
    found = _page(session, _matching(session, query), filters, limit, offset, newest)
    if 0 < found.total < limit and offset == 0 and len(query.clauses) > 1 and not newest:
        found = replace(found, partial=_partial(session, query, filters, limit, found,
                                                postgres))
    return found


# A partial match holds at least this share of the query's clauses, weighed by rarity.
PARTIAL_SHARE = 0.5


def _partial(session: Session, query: Query, filters: Filters, limit: int, strict: Results,
             postgres: bool) -> list[tuple[Found, tuple[Clause, ...]]]:
    """Up to ``limit`` things holding most of the query's clauses but not all (those that
    hold all are the results), best first: the ones holding more clauses first, then by
    score. Searched only when the results fit on one page, so that a query whose words are
    all found somewhere but rarely together still shows what comes close; never when
    nothing holds them all (an honest "no results")."""
    if postgres:
        conditions: list[Any] = [col(SearchEntry.published_at) <= now()]
        score: Any = literal(0.0)
        matched: list[Any] = []
        weights = _pg_weights()
        for exact, name in ((True, "exact_tsv"), (False, "folded_tsv")):
            chosen = [c for c in query.clauses if c.exact == exact]
            if chosen:
                vector: Any = literal_column(f"search_entry.{name}")
                tsquery = func.to_tsquery(literal_column("'simple'::regconfig"),
                                          _tsquery(chosen, " | "))
                matched.append(vector.op("@@")(tsquery))
                score = score + func.ts_rank(weights, vector, tsquery)
        base: Any = (select(col(SearchEntry.id).label("id"), score.label("score"))
                     .where(*conditions, or_(*matched)).order_by(col(SearchEntry.id).desc()))
    else:
        base = (select(col(SearchEntry.id).label("id"), _bm25().label("score"))
                .select_from(_FTS).join(SearchEntry, col(SearchEntry.id) == _FTS.c.rowid)
                .where(text("search_fts MATCH :match").bindparams(
                    match=_fts_match(query.clauses, " OR ")),
                       col(SearchEntry.published_at) <= now())
                .order_by(_FTS.c.rowid.desc()))
    rows = session.execute(_filtered(base, filters).limit(CANDIDATES)).all()
    taken = {hit.entry.id for hit in strict.hits}
    best = sorted((row for row in rows if row.id not in taken),
                  key=lambda row: (-row.score, -row.id))[:limit * 10]
    entries = {e.id: e for e in session.exec(select(SearchEntry).where(  # type: ignore[call-overload]
        col(SearchEntry.id).in_([row.id for row in best]))).scalars()} if best else {}
    # A rarer clause says more of what was asked ("BĐS" more than "thị trường"): each clause
    # weighs by its rarity, and a partial match holds at least PARTIAL_SHARE of the weight.
    rarity = {clause: 1 / (1 + _count(session, clause)) for clause in query.clauses}
    whole = sum(rarity.values())
    out = []
    for row in best:
        entry = entries[row.id]
        lacking = tuple(clause for clause in query.clauses if not _holds(entry, clause))
        held = whole - sum(rarity[clause] for clause in lacking)
        if lacking and (held >= whole * PARTIAL_SHARE
                        or len(lacking) <= len(query.clauses) * PARTIAL_SHARE):
            out.append((held, Found(entry, float(row.score)), lacking))
    out.sort(key=lambda item: (-item[0], -item[1].score, -(item[1].entry.id or 0)))
    return [(found, lacking) for _held, found, lacking in out[:limit]]


def _count(session: Session, clause: Clause) -> int:
    """How many things hold the clause (up to CANDIDATES)."""
    return _page(session, _matching(session, Query((clause,))), Filters(), 0, 0, False).total


def matches(session: Session, query: Query, filters: Filters, kind: str,
            ref_ids: Sequence[int]) -> bool:
    """Whether ``search(query, filters)`` would find one of these entries (of ``kind``) now:
    one indexed lookup, for telling the followers of a search of a new public thing."""
    if not query or not ref_ids:
        return False
    statement = _filtered(_matching(session, query), filters).where(
        col(SearchEntry.kind) == kind, col(SearchEntry.ref_id).in_(list(ref_ids)))
    return session.execute(statement.limit(1)).first() is not None


def _matching(session: Session, query: Query) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgres(query)
    return _search_sqlite(query)


def _filtered(statement: Any, filters: Filters) -> Any:
    if filters.kind:
        statement = statement.where(col(SearchEntry.kind) == filters.kind)
    if filters.organization_id:
        statement = statement.where(col(SearchEntry.organization_id) == filters.organization_id)
    if filters.year:
        statement = statement.where(col(SearchEntry.year) == filters.year)
    return statement


def _passes(row: Any, filters: Filters) -> bool:
    """What _filtered() asks, of a row already read."""
    return ((not filters.kind or row.kind == filters.kind)
            and (not filters.organization_id or row.organization_id == filters.organization_id)
            and (not filters.year or row.year == filters.year))


_FTS = table("search_fts", column("rowid"))


def _bm25() -> Any:
    """SQLite's score: bm25() is lower for a better match; negated, so that higher is better
    on both backends. A title word counts TITLE_WEIGHT times a body word."""
    return literal_column(f"-bm25(search_fts, {TITLE_WEIGHT}, {TITLE_WEIGHT}, 1.0, 1.0)")


def _pg_weights() -> Any:
    """PostgreSQL's ts_rank weights {D, C, B, A}: the title (A) counts TITLE_WEIGHT times the
    body (D)."""
    return literal_column(f"'{{{1 / TITLE_WEIGHT}, 0.25, 0.25, 1.0}}'::float4[]")


def _search_sqlite(query: Query) -> Any:
    base: Any = (select(col(SearchEntry.id).label("id"), col(SearchEntry.kind).label("kind"),
                        col(SearchEntry.organization_id).label("organization_id"),
                        col(SearchEntry.year).label("year"), _bm25().label("score"))
                 .select_from(_FTS).join(SearchEntry, col(SearchEntry.id) == _FTS.c.rowid)
                 .where(text("search_fts MATCH :match").bindparams(
                     match=_fts_match(query.clauses)),
                        col(SearchEntry.published_at) <= now())
                 .order_by(_FTS.c.rowid.desc()))  # FTS5 walks its index newest first
    return base


def _search_postgres(query: Query) -> Any:
    conditions: list[Any] = [col(SearchEntry.published_at) <= now()]
    score: Any = literal(0.0)
    weights = _pg_weights()
    for exact, name in ((True, "exact_tsv"), (False, "folded_tsv")):
        chosen = [c for c in query.clauses if c.exact == exact]
        if not chosen:
            continue
        vector: Any = literal_column(f"search_entry.{name}")
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), _tsquery(chosen))
        conditions.append(vector.op("@@")(tsquery))
        score = score + func.ts_rank(weights, vector, tsquery)
    base: Any = (select(col(SearchEntry.id).label("id"), col(SearchEntry.kind).label("kind"),
                        col(SearchEntry.organization_id).label("organization_id"),
                        col(SearchEntry.year).label("year"), score.label("score"))
                 .where(*conditions).order_by(col(SearchEntry.id).desc()))
    return base


def _facets(rows: Sequence[Any]) -> dict[str, list[tuple[Any, int]]]:
    facets: dict[str, list[tuple[Any, int]]] = {}
    for name in ("kind", "organization_id", "year"):
        counts = Counter(getattr(row, name) for row in rows)
        facets[name] = sorted(((value, count) for value, count in counts.items()
                               if value is not None), key=lambda vc: (-vc[1], vc[0]))
    return facets


def _page(session: Session, base: Any, filters: Filters, limit: int, offset: int,
          newest: bool) -> Results:
    """The newest CANDIDATES matches (one index walk each: all matches for the facets, the
    filtered ones for the page), ranked best first, newest first among equals (``newest``:
    newest first)."""
    matched = session.execute(base.limit(CANDIDATES)).all()
    chosen = matched
    if filters.kind or filters.organization_id or filters.year:
        if len(matched) < CANDIDATES:  # every match is here: filter them, no second walk
            chosen = [row for row in matched if _passes(row, filters)]
        else:
            chosen = session.execute(_filtered(base, filters).limit(CANDIDATES)).all()
    ranked = sorted(chosen, key=lambda row: (0 if newest else -row.score, -row.id))
    ranked = ranked[offset:offset + limit]
    entries = {e.id: e for e in session.exec(select(SearchEntry).where(  # type: ignore[call-overload]
        col(SearchEntry.id).in_([row.id for row in ranked]))).scalars()} if ranked else {}
    hits = [Found(entries[row.id], float(row.score)) for row in ranked]
    return Results(hits, len(chosen), _facets(matched), capped=len(chosen) >= CANDIDATES)
