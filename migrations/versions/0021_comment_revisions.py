"""comment revisions: counters per consultation (their sum moves on with every change to its
comments and votes), the key of its kept thread and vote pages

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-07 20:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'comment_revision',
        sa.Column('consultation_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('shard', sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('consultation_id', 'shard'),
    )


def downgrade():
    op.drop_table('comment_revision')
