"""holding replies ("we will answer by …") on questions, one extension of an assignment's
due date with its reason, urgent assignments due at a time (in hours), and a question's
transfer to another ministry with its reason, the officer who claimed an assignment, and
the internal comment thread of a question with its attachments

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'question_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('is_return', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'],
                                name=op.f('fk_question_comment_author_id_user_account')),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], ondelete='CASCADE',
                                name=op.f('fk_question_comment_question_id_question')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_question_comment')),
    )
    with op.batch_alter_table('question_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_comment_question_id'), ['question_id'],
                              unique=False)
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('path', sa.String(length=200), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['question_comment.id'], ondelete='CASCADE',
                                name=op.f('fk_attachment_comment_id_question_comment')),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], ondelete='CASCADE',
                                name=op.f('fk_attachment_question_id_question')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                                name=op.f('fk_attachment_uploaded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_comment_id'), ['comment_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_question_id'), ['question_id'],
                              unique=False)
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holding_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('holding_message', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('transferred_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('transfer_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_question_transferred_from_id_organization'),
                                    'organization', ['transferred_from_id'], ['id'])
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extended_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assignment_claimed_by_id_user_account'),
                                    'user_account', ['claimed_by_id'], ['id'])
        batch_op.add_column(sa.Column('extension_reason', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_question_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_comment_id'))
    op.drop_table('attachment')
    with op.batch_alter_table('question_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_comment_question_id'))
    op.drop_table('question_comment')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('extension_reason')
        batch_op.drop_constraint(batch_op.f('fk_assignment_claimed_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('claimed_by_id')
        batch_op.drop_column('due_at')
        batch_op.drop_column('extended_from')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_question_transferred_from_id_organization'),
                                 type_='foreignkey')
        batch_op.drop_column('transfer_reason')
        batch_op.drop_column('transferred_from_id')
        batch_op.drop_column('holding_message')
        batch_op.drop_column('holding_until')
