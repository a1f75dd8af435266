"""assessment_round.period: the evaluation period cited evidence is judged against

NULL (rounds made before it existed) means the round's year
(``pmprb.assessments.setup.rounds.evaluation_period``); existing rows are not
rewritten, so their ledger snapshots still match.

Revision ID: 0007_evaluation_period
Revises: 0006_identity_and_anchors
Create Date: 2026-11-30 15:30:00

The lead rechains this at merge.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007_evaluation_period'
down_revision: Union[str, Sequence[str], None] = '0006_identity_and_anchors'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('assessment_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('assessment_round', schema=None) as batch_op:
        batch_op.drop_column('period')
