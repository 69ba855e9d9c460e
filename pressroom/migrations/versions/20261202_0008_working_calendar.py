"""working calendar: the press office's extra days off and make-up working days, and each
ministry's default time to answer

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'calendar_day',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('working', sa.Boolean(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_day')),
    )
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_due_working_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('answer_due_working_days')
    op.drop_table('calendar_day')
