"""The parts of the full-text index that are not in the models: SQLite's FTS5 table (and its
shadow tables and triggers), PostgreSQL's generated tsvector columns and their GIN indexes.
Migration 0014 creates them; they are left out when the models are compared with the
database."""

from __future__ import annotations


def is_index_part(name: str | None, type_: str) -> bool:
    """Whether a database object is one of these (for the comparison with the models)."""
    if name is None:
        return False
    if type_ == "table":
        return name == "search_fts" or name.startswith("search_fts_")
    if type_ == "column":
        return name in ("exact_tsv", "folded_tsv")
    if type_ == "index":
        return name in ("ix_search_entry_exact_tsv", "ix_search_entry_folded_tsv")
    return False
