"""the live conference, part 1: the live status and its times, a capacity, the calendar's
sequence number, journalists' accreditation and the outlets a press office trusts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD = ('draft', 'announced', 'postponed', 'held', 'transcript_published', 'cancelled')
NEW = ('draft', 'announced', 'postponed', 'live', 'held', 'transcript_published', 'cancelled')
CHECK = 'ck_press_conference_conference_status'
KINDS = ('question_submitted', 'question_assigned', 'question_transferred_to_unit',
         'answer_due_soon', 'answer_overdue', 'answer_returned', 'answer_awaiting_approval',
         'question_declined', 'question_merged', 'question_transferred', 'holding_answer',
         'question_answered', 'answer_published', 'answer_corrected', 'input_requested')
NEW_KINDS = KINDS + ('accreditation_approved', 'accreditation_declined')
KIND_CHECK = 'ck_notification_notification_kind'


def _allowed(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capacity', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('schedule_sequence', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('live_started_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('live_ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f(CHECK), type_='check')
        batch_op.create_check_constraint(op.f(CHECK), _allowed('status', NEW))
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.alter_column('schedule_sequence', server_default=None)
    op.create_table(
        'accreditation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('journalist_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'declined',
                                    name='accreditation_status', native_enum=False,
                                    create_constraint=True, length=12), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('row_version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['conference_id'], ['press_conference.id'], ondelete='CASCADE',
                                name=op.f('fk_accreditation_conference_id_press_conference')),
        sa.ForeignKeyConstraint(['journalist_id'], ['user_account.id'],
                                name=op.f('fk_accreditation_journalist_id_user_account')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                                name=op.f('fk_accreditation_decided_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accreditation')),
        sa.UniqueConstraint('conference_id', 'journalist_id',
                            name=op.f('uq_accreditation_conference_id_journalist_id')),
    )
    with op.batch_alter_table('accreditation', schema=None) as batch_op:
        batch_op.create_index(op.f('ix_accreditation_conference_id'), ['conference_id'],
                              unique=False)
        batch_op.create_index(op.f('ix_accreditation_journalist_id'), ['journalist_id'],
                              unique=False)
    op.create_table(
        'trusted_outlet',
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('outlet_id', sa.Integer(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_trusted_outlet_organization_id_organization')),
        sa.ForeignKeyConstraint(['outlet_id'], ['outlet.id'],
                                name=op.f('fk_trusted_outlet_outlet_id_outlet')),
        sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'],
                                name=op.f('fk_trusted_outlet_added_by_id_user_account')),
        sa.PrimaryKeyConstraint('organization_id', 'outlet_id', name=op.f('pk_trusted_outlet')),
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(KIND_CHECK), type_='check')
        batch_op.create_check_constraint(op.f(KIND_CHECK), _allowed('kind', NEW_KINDS))


def downgrade() -> None:
    op.execute("DELETE FROM notification WHERE kind LIKE 'accreditation%'")
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(KIND_CHECK), type_='check')
        batch_op.create_check_constraint(op.f(KIND_CHECK), _allowed('kind', KINDS))
    op.drop_table('trusted_outlet')
    with op.batch_alter_table('accreditation', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_accreditation_journalist_id'))
        batch_op.drop_index(op.f('ix_accreditation_conference_id'))
    op.drop_table('accreditation')
    op.execute("UPDATE press_conference SET status = 'held' WHERE status = 'live'")
    with op.batch_alter_table('press_conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_='check')
        batch_op.create_check_constraint(op.f(CHECK), _allowed('status', OLD))
        batch_op.drop_column('live_ended_at')
        batch_op.drop_column('live_started_at')
        batch_op.drop_column('schedule_sequence')
        batch_op.drop_column('capacity')
