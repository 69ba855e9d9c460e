"""screening: decline grounds, merged and withdrawn questions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 17:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD = ('submitted', 'accepted', 'rejected', 'assigned', 'answered', 'published')
NEW = OLD + ('withdrawn', 'merged')
GROUNDS = ('state_secret', 'private_life', 'under_investigation', 'under_inspection',
           'draft_policy', 'outside_remit', 'duplicate', 'other')
STATE_CHECK = 'ck_question_question_state'


def _allowed(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decline_ground', sa.String(length=23), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_question_merged_into_id_question'), 'question',
                                    ['merged_into_id'], ['id'])
        batch_op.create_index(op.f('ix_question_merged_into_id'), ['merged_into_id'])
        batch_op.drop_constraint(op.f(STATE_CHECK), type_='check')
        batch_op.create_check_constraint(op.f(STATE_CHECK), _allowed('state', NEW))
        batch_op.create_check_constraint(op.f('ck_question_decline_ground'),
                                         _allowed('decline_ground', GROUNDS))
    # Questions declined before grounds existed: their reason is written out ("other").
    op.execute("UPDATE question SET decline_ground = 'other' WHERE state = 'rejected'")
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_question_rejected_has_ground'),
            "(state = 'rejected') = (decline_ground IS NOT NULL)")
        batch_op.create_check_constraint(
            op.f('ck_question_merged_has_target'),
            "(state = 'merged') = (merged_into_id IS NOT NULL)")


def downgrade() -> None:
    # Withdrawn and merged questions read as declined, with what happened as the reason.
    op.execute("UPDATE question SET state = 'rejected', rejection_reason = 'withdrawn' "
               "WHERE state = 'withdrawn'")
    op.execute("UPDATE question SET state = 'rejected', rejection_reason = 'merged' "
               "WHERE state = 'merged'")
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_question_merged_has_target'), type_='check')
        batch_op.drop_constraint(op.f('ck_question_rejected_has_ground'), type_='check')
        batch_op.drop_constraint(op.f('ck_question_decline_ground'), type_='check')
        batch_op.drop_constraint(op.f(STATE_CHECK), type_='check')
        batch_op.create_check_constraint(op.f(STATE_CHECK), _allowed('state', OLD))
        batch_op.drop_index(op.f('ix_question_merged_into_id'))
        batch_op.drop_constraint(op.f('fk_question_merged_into_id_question'), type_='foreignkey')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('decline_ground')
