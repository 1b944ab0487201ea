"""retention: each consultation's retention period and purge record (placeholder in the chain; filled in by the work that needs it)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 23:30:00.000000

"""

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
