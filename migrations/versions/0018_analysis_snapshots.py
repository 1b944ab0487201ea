"""stored results of the themes and opinion groups, computed by background jobs

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-08 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'analysis_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('source', sa.String(length=120), nullable=False),
        sa.Column('fingerprint', sa.Text(), nullable=False),
        sa.Column('inputs', sa.Integer(), nullable=False),
        sa.Column('method_version', sa.String(length=200), nullable=False),
        sa.Column('result', sa.Text(), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('consultation_id', 'kind', 'source',
                            name='uq_analysis_snapshot_source'),
    )


def downgrade():
    op.drop_table('analysis_snapshot')
