"""staff notifications: the language of their mail, the language they last used, and the
daily digest (asked for, last day made)

Revision ID: 0020
Revises: 0016_organisation_admin
Create Date: 2026-12-07 19:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0016_organisation_admin'
branch_labels = None
depends_on = None


def upgrade():
    # Nobody gets a digest they did not ask for: existing accounts start with it off.
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_language', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('last_language', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('daily_digest', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('digest_sent_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('digest_sent_on')
        batch_op.drop_column('daily_digest')
        batch_op.drop_column('last_language')
        batch_op.drop_column('mail_language')
