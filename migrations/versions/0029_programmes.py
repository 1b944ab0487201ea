"""programmes: programmes of rounds, community-led indicators, commitments; the licence of a
consultation's open data

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-08 04:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_licence', sa.String(length=40), nullable=False,
                                      server_default='CC-BY-4.0'))


def downgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('data_licence')
