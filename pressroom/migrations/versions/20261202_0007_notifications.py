"""notifications: in-app notifications, the mail outbox and each user's choice of mail

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('notification_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('is_digest', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'sending', 'sent', 'failed', 'kept', name='mail_state', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sa.String(length=100), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'sent') = (sent_at IS NOT NULL)", name=op.f('ck_notification_mail_sent_has_time')),
    sa.CheckConstraint("state <> 'sending' OR (lease_owner IS NOT NULL AND lease_until IS NOT NULL)", name=op.f('ck_notification_mail_sending_has_lease')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_notification_mail_attempts_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_mail_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_mail')),
    sa.UniqueConstraint('message_id', name=op.f('uq_notification_mail_message_id'))
    )
    with op.batch_alter_table('notification_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_mail_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_notification_mail_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_mail_user_id'), ['user_id'], unique=False)

    op.create_table('notification_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('delivery', sa.Enum('immediate', 'digest', name='delivery', native_enum=False, create_constraint=True, length=13), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_preference_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preference'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('question_submitted', 'question_assigned', 'question_transferred_to_unit', 'answer_due_soon', 'answer_overdue', 'answer_returned', 'answer_awaiting_approval', 'question_declined', 'question_merged', 'question_transferred', 'holding_answer', 'question_answered', 'answer_published', name='notification_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('case_path', sa.String(length=300), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('awaiting_digest', sa.Boolean(), nullable=False),
    sa.Column('once_key', sa.String(length=120), nullable=True),
    sa.CheckConstraint('NOT (awaiting_digest AND mail_id IS NOT NULL)', name=op.f('ck_notification_digest_or_mail')),
    sa.ForeignKeyConstraint(['mail_id'], ['notification_mail.id'], name=op.f('fk_notification_mail_id_notification_mail')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('user_id', 'once_key', name=op.f('uq_notification_user_id_once_key'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_awaiting_digest', ['awaiting_digest', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_mail_id'), ['mail_id'], unique=False)
        batch_op.create_index('ix_notification_user_unread', ['user_id', 'read_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_unread')
        batch_op.drop_index(batch_op.f('ix_notification_mail_id'))
        batch_op.drop_index('ix_notification_awaiting_digest')

    op.drop_table('notification')
    op.drop_table('notification_preference')
    with op.batch_alter_table('notification_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_mail_user_id'))
        batch_op.drop_index('ix_notification_mail_due')
        batch_op.drop_index(batch_op.f('ix_notification_mail_created_at'))

    op.drop_table('notification_mail')
