"""comments-only channels: a channel with comment keywords and no survey keywords, so two of
them may share one number (the unique key of a channel takes in its comment keywords)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-08 04:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('channel_connection', schema=None) as batch_op:
        batch_op.drop_constraint('uq_channel_connection_provider_number_keywords',
                                 type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_channel_connection_provider_number_keywords_comment_keywords'),
            ['provider', 'number', 'keywords', 'comment_keywords'])


def downgrade():
    with op.batch_alter_table('channel_connection', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_channel_connection_provider_number_keywords_comment_keywords'),
            type_='unique')
        batch_op.create_unique_constraint('uq_channel_connection_provider_number_keywords',
                                          ['provider', 'number', 'keywords'])
