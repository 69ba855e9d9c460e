"""transcripts: the transcript-draft status between held and published, and the recording's
address whose time codes the published transcript links to

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 18:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD = ('draft', 'announced', 'postponed', 'live', 'held', 'transcript_published', 'cancelled')
NEW = ('draft', 'announced', 'postponed', 'live', 'held', 'transcript_draft',
       'transcript_published', 'cancelled')
CHECK = 'ck_press_conference_conference_status'


def _allowed(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recording_url', sa.String(length=500), nullable=False,
                                      server_default=''))
        batch_op.drop_constraint(op.f(CHECK), type_='check')
        batch_op.create_check_constraint(op.f(CHECK), _allowed('status', NEW))
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.alter_column('recording_url', server_default=None)
    # A held conference whose transcript was saved already has a draft.
    op.execute("UPDATE press_conference SET status = 'transcript_draft' WHERE status = 'held' "
               "AND EXISTS (SELECT 1 FROM transcript_turn "
               "WHERE transcript_turn.conference_id = press_conference.id)")


def downgrade() -> None:
    op.execute("UPDATE press_conference SET status = 'held' WHERE status = 'transcript_draft'")
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_='check')
        batch_op.create_check_constraint(op.f(CHECK), _allowed('status', OLD))
        batch_op.drop_column('recording_url')
