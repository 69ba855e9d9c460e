"""corrections of published answers: the current version's date and reason on the answer,
the earlier published texts in answer_version, and the journalist's notification of one;
files attached to the draft answer (an attachment without a comment); helper units of an
assignment, and their notification; a unit's backup officer

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KINDS = ('question_submitted', 'question_assigned', 'question_transferred_to_unit',
         'answer_due_soon', 'answer_overdue', 'answer_returned', 'answer_awaiting_approval',
         'question_declined', 'question_merged', 'question_transferred', 'holding_answer',
         'question_answered', 'answer_published')
NEW_KINDS = KINDS + ('answer_corrected', 'input_requested')
KIND_CHECK = 'ck_notification_notification_kind'


def _allowed(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.alter_column('correction_reason', server_default=None)
    op.create_table(
        'answer_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('correction_reason', sa.Text(), nullable=False),
        sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], ondelete='CASCADE',
                                name=op.f('fk_answer_version_answer_id_answer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_version')),
        sa.UniqueConstraint('answer_id', 'version',
                            name=op.f('uq_answer_version_answer_id_version')),
    )
    with op.batch_alter_table('answer_version', schema=None) as batch_op:
        batch_op.create_index(op.f('ix_answer_version_answer_id'), ['answer_id'], unique=False)
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(KIND_CHECK), type_='check')
        batch_op.create_check_constraint(op.f(KIND_CHECK), _allowed('kind', NEW_KINDS))
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.alter_column('comment_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('backup_officer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_organization_backup_officer_id_user_account'),
                                    'user_account', ['backup_officer_id'], ['id'])
    op.create_table(
        'assignment_helper',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ondelete='CASCADE',
                                name=op.f('fk_assignment_helper_assignment_id_assignment')),
        sa.ForeignKeyConstraint(['unit_id'], ['organization.id'],
                                name=op.f('fk_assignment_helper_unit_id_organization')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_helper')),
        sa.UniqueConstraint('assignment_id', 'unit_id',
                            name=op.f('uq_assignment_helper_assignment_id_unit_id')),
    )
    with op.batch_alter_table('assignment_helper', schema=None) as batch_op:
        batch_op.create_index(op.f('ix_assignment_helper_assignment_id'), ['assignment_id'],
                              unique=False)
        batch_op.create_index(op.f('ix_assignment_helper_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    # Files attached to draft answers had no place before: they go (their bytes stay stored).
    op.execute("DELETE FROM attachment WHERE comment_id IS NULL")
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.alter_column('comment_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('assignment_helper')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_organization_backup_officer_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('backup_officer_id')
    op.execute("DELETE FROM notification WHERE kind IN ('answer_corrected', "
               "'input_requested')")
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(KIND_CHECK), type_='check')
        batch_op.create_check_constraint(op.f(KIND_CHECK), _allowed('kind', KINDS))
    with op.batch_alter_table('answer_version', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_answer_version_answer_id'))
    op.drop_table('answer_version')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('corrected_at')
