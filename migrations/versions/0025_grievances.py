"""grievances: independent reviewers, sealed cases (placeholder in the chain; filled in by the work that needs it)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 23:30:00.000000

"""

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
