"""channel comments: comments and notices by SMS (comment keywords, a comment being written in
a conversation, a comment's channel, the sealed numbers owed a notice or "you said, we did")

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 23:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

COMMENT_STEP = sa.Enum('menu', 'language', 'section', 'text', name='commentstep',
                       native_enum=False, length=24)
CHANNEL = sa.Enum('web', 'api', 'paper', 'sms', 'ussd', 'xlsform', name='channel',
                  native_enum=False, length=24)


def upgrade():
    with op.batch_alter_table('channel_connection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_keywords', sa.String(length=200), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_step', COMMENT_STEP, nullable=True))
        batch_op.add_column(sa.Column('comment_section_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('author_key', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_conversation_comment_section_id_section'),
                                    'section', ['comment_section_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', CHANNEL, nullable=True))
    op.create_table(
        'channel_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('connection_id', sa.Integer(), nullable=False),
        sa.Column('number_key', sa.String(length=64), nullable=False),
        sa.Column('sealed_number', sa.Text(), nullable=True),
        sa.Column('language', sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['connection_id'], ['channel_connection.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('comment_id'),
    )
    with op.batch_alter_table('channel_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_comment_consultation_id'),
                              ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_comment_number_key'), ['number_key'],
                              unique=False)
    op.create_table(
        'results_followup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('connection_id', sa.Integer(), nullable=False),
        sa.Column('number_key', sa.String(length=64), nullable=False),
        sa.Column('sealed_number', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(['connection_id'], ['channel_connection.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('connection_id', 'number_key'),
    )
    with op.batch_alter_table('results_followup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_followup_consultation_id'),
                              ['consultation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('results_followup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_results_followup_consultation_id'))
    op.drop_table('results_followup')
    with op.batch_alter_table('channel_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_comment_number_key'))
        batch_op.drop_index(batch_op.f('ix_channel_comment_consultation_id'))
    op.drop_table('channel_comment')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_column('channel')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conversation_comment_section_id_section'),
                                 type_='foreignkey')
        batch_op.drop_column('author_key')
        batch_op.drop_column('comment_section_id')
        batch_op.drop_column('comment_step')
    with op.batch_alter_table('channel_connection', schema=None) as batch_op:
        batch_op.drop_column('comment_keywords')
