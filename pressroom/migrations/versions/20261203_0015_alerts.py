"""alerts: e-mail alert subscriptions (ministry, conference, search) with double opt-in;
the outbox carries mail to addresses that are no user's, with an unsubscribe address
(RFC 8058 List-Unsubscribe)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 20:13:16

The downgrade deletes the alert mail (it has no user) before making user_id required again.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('alerted_item',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('mails', sa.Integer(), nullable=False),
    sa.Column('alerted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'ref_id', name=op.f('pk_alerted_item'))
    )
    op.create_table('alert_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('target', sa.Enum('ministry', 'conference', 'search', name='alert_target', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('target_key', sa.String(length=100), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('query', sa.String(length=500), nullable=False),
    sa.Column('search_kind', sa.String(length=20), nullable=False),
    sa.Column('search_organization_id', sa.Integer(), nullable=True),
    sa.Column('search_year', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('confirm_digest', sa.String(length=64), nullable=True),
    sa.Column('confirm_sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirm_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(target <> 'conference') OR conference_id IS NOT NULL", name=op.f('ck_alert_subscription_conference_named')),
    sa.CheckConstraint("(target <> 'ministry') OR organization_id IS NOT NULL", name=op.f('ck_alert_subscription_ministry_named')),
    sa.CheckConstraint("(target <> 'search') OR query <> ''", name=op.f('ck_alert_subscription_search_has_query')),
    sa.CheckConstraint('(confirmed_at IS NULL) <> (confirm_digest IS NULL)', name=op.f('ck_alert_subscription_confirmed_or_waiting')),
    sa.ForeignKeyConstraint(['conference_id'], ['press_conference.id'], name=op.f('fk_alert_subscription_conference_id_press_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_alert_subscription_organization_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_subscription')),
    sa.UniqueConstraint('confirm_digest', name=op.f('uq_alert_subscription_confirm_digest')),
    sa.UniqueConstraint('email', 'target_key', name=op.f('uq_alert_subscription_email_target_key'))
    )
    with op.batch_alter_table('alert_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_subscription_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index('ix_alert_subscription_follows', ['target', 'organization_id', 'conference_id'], unique=False)
    with op.batch_alter_table('notification_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=300), nullable=False,
                                      server_default=''))
        batch_op.alter_column('user_id', existing_type=sa.INTEGER(), nullable=True)
    with op.batch_alter_table('notification_mail', schema=None) as batch_op:
        batch_op.alter_column('list_unsubscribe', server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM notification_mail WHERE user_id IS NULL")
    with op.batch_alter_table('notification_mail', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('list_unsubscribe')
    with op.batch_alter_table('alert_subscription', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_subscription_follows')
        batch_op.drop_index(batch_op.f('ix_alert_subscription_conference_id'))

    op.drop_table('alert_subscription')
    op.drop_table('alerted_item')
