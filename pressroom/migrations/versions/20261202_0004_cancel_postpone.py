"""cancel and postpone deliberately: reasons, postponed status, questions moved to writing

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 14:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD = ('draft', 'announced', 'held', 'transcript_published', 'cancelled')
NEW = ('draft', 'announced', 'postponed', 'held', 'transcript_published', 'cancelled')


CHECK = 'ck_press_conference_conference_status'


def _allowed(values: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('postponed_from', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f(CHECK), type_='check')
        batch_op.create_check_constraint(op.f(CHECK), _allowed(NEW))
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.alter_column('status_reason', server_default=None)
    # Conferences already public were announced (the time is not known: their creation).
    op.execute("UPDATE press_conference SET announced_at = created_at "
               "WHERE status IN ('announced', 'held', 'transcript_published')")
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moved_to_writing_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('moved_to_writing_at')
    op.execute("UPDATE press_conference SET status = 'announced' WHERE status = 'postponed'")
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_='check')
        batch_op.create_check_constraint(op.f(CHECK), _allowed(OLD))
        batch_op.drop_column('postponed_from')
        batch_op.drop_column('status_reason')
        batch_op.drop_column('announced_at')
