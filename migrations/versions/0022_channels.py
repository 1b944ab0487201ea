"""channels: SMS/USSD channel connections, conversations keyed by a hash of the number,
inbound messages already handled (provider message ids, for idempotency)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 20:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

PROVIDER = sa.Enum('rapidpro', 'africastalking', 'twilio', 'kannel', name='provider',
                   native_enum=False, length=24)
STEP = sa.Enum('language', 'question', 'done', 'stopped', name='step', native_enum=False,
               length=24)


def upgrade():
    op.create_table(
        'channel_connection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('provider', PROVIDER, nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('keywords', sa.String(length=200), nullable=False),
        sa.Column('survey_enabled', sa.Boolean(), nullable=False),
        sa.Column('comments_enabled', sa.Boolean(), nullable=False),
        sa.Column('language_codes', sa.String(length=120), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('provider', 'number', 'keywords'),
    )
    with op.batch_alter_table('channel_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_connection_consultation_id'),
                              ['consultation_id'], unique=False)
    op.create_table(
        'conversation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('connection_id', sa.Integer(), nullable=False),
        sa.Column('number_key', sa.String(length=64), nullable=False),
        sa.Column('respondent_key', sa.String(length=64), nullable=False),
        sa.Column('step', STEP, nullable=False),
        sa.Column('language', sa.String(length=12), nullable=True),
        sa.Column('question_key', sa.String(length=80), nullable=True),
        sa.Column('seen_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['connection_id'], ['channel_connection.id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('connection_id', 'number_key'),
        sa.UniqueConstraint('respondent_key'),
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_connection_id'), ['connection_id'],
                              unique=False)
    op.create_table(
        'inbound_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider', PROVIDER, nullable=False),
        sa.Column('provider_message_id', sa.String(length=120), nullable=False),
        sa.Column('reply', sa.Text(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('provider', 'provider_message_id'),
    )


def downgrade():
    op.drop_table('inbound_message')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_connection_id'))
    op.drop_table('conversation')
    with op.batch_alter_table('channel_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_connection_consultation_id'))
    op.drop_table('channel_connection')
