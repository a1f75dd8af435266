"""official_value: the evaluating agencies' published value of each indicator, with its source

Revision ID: 0008_official_values
Revises: 0007_evaluation_period
Create Date: 2026-11-30 15:30:00

The lead rechains this after the current head at merge.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008_official_values'
down_revision: Union[str, Sequence[str], None] = '0007_evaluation_period'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('official_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['person.id'], name=op.f('fk_official_value_entered_by_id_person')),
    sa.ForeignKeyConstraint(['round_id'], ['assessment_round.id'], name=op.f('fk_official_value_round_id_assessment_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official_value')),
    sa.UniqueConstraint('round_id', 'criterion_id', name=op.f('uq_official_value_round_id_criterion_id'))
    )
    with op.batch_alter_table('official_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_value_round_id'), ['round_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('official_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_official_value_round_id'))
    op.drop_table('official_value')
