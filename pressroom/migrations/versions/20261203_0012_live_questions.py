"""live questions: asked while a conference is live, moderated, voted on

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 16:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'live_question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('journalist_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'on_screen', 'answered', 'deferred',
                                    'declined', name='live_question_status', native_enum=False,
                                    create_constraint=True, length=13), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('highlighted', sa.Boolean(), nullable=False),
        sa.Column('votes', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('question_id', sa.Integer(), nullable=True),
        sa.Column('row_version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['conference_id'], ['press_conference.id'], ondelete='CASCADE',
                                name=op.f('fk_live_question_conference_id_press_conference')),
        sa.ForeignKeyConstraint(['journalist_id'], ['user_account.id'],
                                name=op.f('fk_live_question_journalist_id_user_account')),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], ondelete='SET NULL',
                                name=op.f('fk_live_question_question_id_question')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_live_question')),
    )
    with op.batch_alter_table('live_question', schema=None) as batch_op:
        batch_op.create_index('ix_live_question_conference_id_status',
                              ['conference_id', 'status'], unique=False)
        batch_op.create_index(op.f('ix_live_question_journalist_id'), ['journalist_id'],
                              unique=False)
    op.create_table(
        'live_vote',
        sa.Column('live_question_id', sa.Integer(), nullable=False),
        sa.Column('journalist_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['live_question_id'], ['live_question.id'], ondelete='CASCADE',
                                name=op.f('fk_live_vote_live_question_id_live_question')),
        sa.ForeignKeyConstraint(['journalist_id'], ['user_account.id'],
                                name=op.f('fk_live_vote_journalist_id_user_account')),
        sa.PrimaryKeyConstraint('live_question_id', 'journalist_id', name=op.f('pk_live_vote')),
    )


def downgrade() -> None:
    op.drop_table('live_vote')
    with op.batch_alter_table('live_question', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_live_question_journalist_id'))
        batch_op.drop_index('ix_live_question_conference_id_status')
    op.drop_table('live_question')
