"""publish themes: whether the host publishes the themes of what people wrote on the public
results (off for every consultation until its host turns it on)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 21:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    # Existing consultations publish no themes until their hosts decide to.
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_themes', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('publish_themes')
