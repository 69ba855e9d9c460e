"""reach: per-day counters of page views and PDF downloads (no visitor data), and the proxy
access logs imported into them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 21:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0016'
down_revision: Union[str, Sequence[str], None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'reach_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('answer', 'conference', 'transcript', name='reach_kind',
                                  native_enum=False, create_constraint=True, length=14),
                  nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('views', sa.Integer(), nullable=False),
        sa.Column('downloads', sa.Integer(), nullable=False),
        sa.CheckConstraint('views >= 0 AND downloads >= 0',
                           name=op.f('ck_reach_day_counts_not_negative')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reach_day')),
        sa.UniqueConstraint('kind', 'object_id', 'day',
                            name=op.f('uq_reach_day_kind_object_id_day')),
    )
    with op.batch_alter_table('reach_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reach_day_day'), ['day'], unique=False)
    op.create_table(
        'reach_log_import',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('first_line_sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('lines', sa.Integer(), nullable=False),
        sa.Column('views', sa.Integer(), nullable=False),
        sa.Column('downloads', sa.Integer(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reach_log_import')),
        sa.UniqueConstraint('sha256', name=op.f('uq_reach_log_import_sha256')),
    )
    with op.batch_alter_table('reach_log_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reach_log_import_first_line_sha256'),
                              ['first_line_sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reach_log_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reach_log_import_first_line_sha256'))
    op.drop_table('reach_log_import')
    with op.batch_alter_table('reach_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reach_day_day'))
    op.drop_table('reach_day')
