"""retention: each consultation's retention period and purge record

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 23:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    # Existing consultations keep their raw data for the default 12 months after publishing.
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.SmallInteger(),
                                      server_default='12', nullable=False))
    op.create_table(
        'consultation_retention',
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('results_published_on', sa.Date(), nullable=False),
        sa.Column('frozen', sa.Text(), nullable=True),
        sa.Column('raw_data_deleted_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('consultation_id'),
    )


def downgrade():
    op.drop_table('consultation_retention')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('retention_months')
