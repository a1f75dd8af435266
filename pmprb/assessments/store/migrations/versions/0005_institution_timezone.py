"""institution.timezone: the zone in which people read times (WIB/WITA/WIT)

Revision ID: 0005_institution_timezone
Revises: 0004_documents
Create Date: 2026-12-01 09:00:00

The lead rechains this after 0004 at merge.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005_institution_timezone'
down_revision: Union[str, Sequence[str], None] = '0004_documents'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: existing institutions get Asia/Jakarta (WIB)."""
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=False,
                                      server_default='Asia/Jakarta'))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_column('timezone')
