"""channel comments: comments and notices by SMS, more providers (placeholder in the chain; filled in by the work that needs it)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 23:30:00.000000

"""

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
