"""applicable_weight: a round's official or estimated applicable weight (the official adjusted weight), with its source

Revision ID: 0009_applicable_weights
Revises: 0008_official_values
Create Date: 2026-11-30 16:30:00

The lead rechains this after the current head at merge.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009_applicable_weights'
down_revision: Union[str, Sequence[str], None] = '0008_official_values'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('applicable_weight',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=32), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['person.id'], name=op.f('fk_applicable_weight_entered_by_id_person')),
    sa.ForeignKeyConstraint(['round_id'], ['assessment_round.id'], name=op.f('fk_applicable_weight_round_id_assessment_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applicable_weight')),
    sa.UniqueConstraint('round_id', 'side', name=op.f('uq_applicable_weight_round_id_side'))
    )
    with op.batch_alter_table('applicable_weight', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applicable_weight_round_id'), ['round_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('applicable_weight', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applicable_weight_round_id'))
    op.drop_table('applicable_weight')
