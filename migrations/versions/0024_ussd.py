"""ussd: a channel connection may be a USSD service code; a conversation remembers which
screen of the current question's options it shows

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 21:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('channel_connection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ussd', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('screen', sa.SmallInteger(), nullable=False,
                                      server_default='0'))


def downgrade():
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('screen')
    with op.batch_alter_table('channel_connection', schema=None) as batch_op:
        batch_op.drop_column('ussd')
