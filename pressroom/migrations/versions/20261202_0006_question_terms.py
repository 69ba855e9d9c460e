"""question_term: the inverted index of questions' distinctive terms (duplicate detection)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 18:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'question_term',
        sa.Column('term', sa.String(length=100), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], ondelete='CASCADE',
                                name=op.f('fk_question_term_question_id_question')),
        sa.PrimaryKeyConstraint('term', 'question_id', name=op.f('pk_question_term')),
    )
    with op.batch_alter_table('question_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_term_question_id'), ['question_id'],
                              unique=False)
    # The questions already stored, read by the text engine of this release (when the engine
    # changes, `pressroom duplicates reindex` reads them again).
    from pressroom.questions.similarity import terms

    bind = op.get_bind()
    table = sa.table('question_term', sa.column('term', sa.String), sa.column('question_id'))
    rows = bind.execute(sa.text("SELECT id, title, body FROM question")).all()
    batch = []
    for question_id, title, body in rows:
        batch += [{'term': term[:100], 'question_id': question_id}
                  for term in {t[:100] for t in terms(f"{title}\n{body}")}]
        if len(batch) > 5000:
            op.bulk_insert(table, batch)
            batch = []
    if batch:
        op.bulk_insert(table, batch)


def downgrade() -> None:
    with op.batch_alter_table('question_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_term_question_id'))
    op.drop_table('question_term')
