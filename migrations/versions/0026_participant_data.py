"""participant data: withdrawn comment texts erased, deleted responses (placeholder in the chain; filled in by the work that needs it)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 23:30:00.000000

"""

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
