"""archive import: a question keeps the id it had in the archive it was imported from
(``pressroom import``), and an imported question names its asker without an account

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 21:00:00

Downgrading deletes the imported questions (with their answers and search entries): the
earlier schema cannot hold a question without an asker's account.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHECK = "asker_id IS NOT NULL OR (source_id IS NOT NULL AND asker_name <> '')"


def upgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asker_name', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('source_id', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_question_source_id'), ['source_id'])
        batch_op.alter_column('asker_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(batch_op.f('ck_question_asked_by_someone'), CHECK)


def downgrade() -> None:
    imported = "SELECT id FROM question WHERE asker_id IS NULL"
    op.execute("DELETE FROM search_entry WHERE kind = 'answer' AND ref_id IN "
               f"(SELECT id FROM answer WHERE question_id IN ({imported}))")
    op.execute("DELETE FROM answer_version WHERE answer_id IN "
               f"(SELECT id FROM answer WHERE question_id IN ({imported}))")
    for table in ('answer', 'question_term', 'assignment', 'attachment', 'question_comment'):
        op.execute(f"DELETE FROM {table} WHERE question_id IN ({imported})")
    op.execute("DELETE FROM question WHERE asker_id IS NULL")
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_question_asked_by_someone'), type_='check')
        batch_op.alter_column('asker_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_question_source_id'), type_='unique')
        batch_op.drop_column('source_id')
        batch_op.drop_column('asker_name')
