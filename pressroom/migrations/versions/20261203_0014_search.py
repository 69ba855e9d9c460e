"""search: the index of public answers, conferences and transcript turns (SQLite FTS5 with
triggers; PostgreSQL generated tsvector columns with GIN indexes)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 19:00:00

The index is filled by ``pressroom search reindex`` (``pressroom db upgrade`` runs it when the
index is empty and there is something to find).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ("title_exact", "title_folded", "body_exact", "body_folded")

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(" + ", ".join(COLUMNS) + ", "
    "content='search_entry', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_fts(rowid, " + ", ".join(COLUMNS) + ") VALUES (new.id, "
    + ", ".join(f"new.{c}" for c in COLUMNS) + "); END",
    "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, " + ", ".join(COLUMNS) + ") VALUES ('delete', "
    "old.id, " + ", ".join(f"old.{c}" for c in COLUMNS) + "); END",
    "CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, " + ", ".join(COLUMNS) + ") VALUES ('delete', "
    "old.id, " + ", ".join(f"old.{c}" for c in COLUMNS) + "); "
    "INSERT INTO search_fts(rowid, " + ", ".join(COLUMNS) + ") VALUES (new.id, "
    + ", ".join(f"new.{c}" for c in COLUMNS) + "); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS search_entry_au", "DROP TRIGGER IF EXISTS search_entry_ad",
               "DROP TRIGGER IF EXISTS search_entry_ai", "DROP TABLE IF EXISTS search_fts"]


def _vector(kind: str) -> str:
    return (f"setweight(to_tsvector('simple'::regconfig, title_{kind}), 'A') || "
            f"setweight(to_tsvector('simple'::regconfig, body_{kind}), 'D')")


POSTGRES = [
    f"ALTER TABLE search_entry ADD COLUMN {kind}_tsv tsvector GENERATED ALWAYS AS "
    f"({_vector(kind)}) STORED" for kind in ("exact", "folded")
] + [f"CREATE INDEX ix_search_entry_{kind}_tsv ON search_entry USING gin ({kind}_tsv)"
     for kind in ("exact", "folded")]
POSTGRES_DROP = [f"ALTER TABLE search_entry DROP COLUMN IF EXISTS {kind}_tsv"
                 for kind in ("exact", "folded")]




def upgrade() -> None:
    op.create_table(
        'search_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=300), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('context', sa.Text(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('source_id', sa.String(length=200), nullable=False),
        sa.Column('title_exact', sa.Text(), nullable=False),
        sa.Column('title_folded', sa.Text(), nullable=False),
        sa.Column('body_exact', sa.Text(), nullable=False),
        sa.Column('body_folded', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entry')),
        sa.UniqueConstraint('kind', 'ref_id', name=op.f('uq_search_entry_kind_ref_id')),
    )
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.create_index('ix_search_entry_visible', ['published_at'], unique=False)
        batch_op.create_index(op.f('ix_search_entry_organization_id'), ['organization_id'],
                              unique=False)
    for statement in SQLITE if op.get_bind().dialect.name == 'sqlite' else POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DROP if op.get_bind().dialect.name == 'sqlite' else POSTGRES_DROP:
        op.execute(statement)
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_search_entry_organization_id'))
        batch_op.drop_index('ix_search_entry_visible')
    op.drop_table('search_entry')
