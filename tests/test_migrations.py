"""One Alembic history: upgrade head leaves no drift from the models; downgrade/upgrade works."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import pressroom.models  # noqa: F401
from pressroom.cli import _alembic_config
from pressroom.core.db import make_engine
from pressroom.search.schema import is_index_part
from tests.conftest import IS_POSTGRES, TEST_DATABASE_URL, reset_postgres


def _fresh_url() -> str:
    if IS_POSTGRES:
        # A separate schema would be cleaner; the suite's own tables are rebuilt afterwards.
        return TEST_DATABASE_URL
    return f"sqlite:///{tempfile.mkdtemp(prefix='pressroom-mig-')}/m.db"


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            # The full-text index's own parts (FTS5 tables, tsvector columns) are not models.
            "include_name": lambda name, type_, _parents: not is_index_part(name, type_)})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return list(diff)


def test_upgrade_head_matches_models_then_downgrade_and_upgrade_again(migrated: str) -> None:
    url = _fresh_url()
    if IS_POSTGRES:
        reset_postgres(url)
    config = _alembic_config(url)
    command.upgrade(config, "head")
    assert _diff(url) == []

    command.downgrade(config, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()

    command.upgrade(config, "head")
    assert _diff(url) == []
    engine = make_engine(url)
    assert "question" in inspect(engine).get_table_names()
    engine.dispose()


def test_one_linear_history() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    assert len(script.get_heads()) == 1
    assert Path(script.dir).name == "migrations"


def test_a_held_conference_with_a_saved_transcript_becomes_a_transcript_draft(
        migrated: str) -> None:
    """Migration 0013: before it, a saved but unpublished transcript left the conference
    "held"; after it, the conference is a transcript draft (and back on downgrade)."""
    from sqlalchemy import text
    from sqlmodel import Session

    from pressroom.demo import load_demo

    url = _fresh_url()
    if IS_POSTGRES:
        reset_postgres(url)
    config = _alembic_config(url)
    command.upgrade(config, "head")
    engine = make_engine(url)
    with Session(engine) as session:
        load_demo(session)
        session.commit()
    statuses = "SELECT title, status FROM press_conference WHERE status IN ('held', " \
               "'transcript_draft') ORDER BY title"
    with engine.connect() as conn:
        at_head = conn.execute(text(statuses)).all()

    command.downgrade(config, "0012")
    with engine.connect() as conn:
        before = conn.execute(text(statuses)).all()
    command.upgrade(config, "head")
    with engine.connect() as conn:
        after = conn.execute(text(statuses)).all()
    engine.dispose()

    assert sorted(status for _title, status in at_head) == ["held", "transcript_draft"]
    assert [status for _title, status in before] == ["held", "held"]
    assert after == at_head
    if IS_POSTGRES:  # the suite's own database: empty and at head again for the next tests
        reset_postgres(url)
        command.upgrade(config, "head")
