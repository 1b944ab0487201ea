"""comments (threads, statements) and statement votes: no time of day, opaque author and
voter keys, denormalised counters, one index per thread order

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:24:13.715807

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('author_key', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('state', sa.Enum('pending', 'published', 'hidden', 'rejected', 'withdrawn', name='commentstate', native_enum=False, length=24), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('is_meta', sa.Boolean(), nullable=False),
    sa.Column('external_id', sa.String(length=40), nullable=True),
    sa.Column('idempotency_key', sa.String(length=80), nullable=True),
    sa.Column('agree_count', sa.Integer(), nullable=False),
    sa.Column('disagree_count', sa.Integer(), nullable=False),
    sa.Column('pass_count', sa.Integer(), nullable=False),
    sa.Column('reply_count', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_comment_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_comment_section_id_section'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_comment_idempotency_key'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index('ix_comment_author', ['author_key', 'consultation_id', 'section_id', 'parent_id', 'state'], unique=False)
        batch_op.create_index('ix_comment_consultation_id_state', ['consultation_id', 'state'], unique=False)
        batch_op.create_index('ix_comment_consultation_priority', ['consultation_id', 'priority', 'id'], unique=False)
        batch_op.create_index('ix_comment_parent_id', ['parent_id', 'id'], unique=False)
        batch_op.create_index('ix_comment_thread_agreed', ['consultation_id', 'section_id', 'parent_id', 'agree_count', 'id'], unique=False)
        batch_op.create_index('ix_comment_thread_discussed', ['consultation_id', 'section_id', 'parent_id', 'reply_count', 'id'], unique=False)
        batch_op.create_index('ix_comment_thread_newest', ['consultation_id', 'section_id', 'parent_id', 'id'], unique=False)
        batch_op.create_index('ix_comment_thread_priority', ['consultation_id', 'section_id', 'parent_id', 'priority', 'id'], unique=False)

    op.create_table('vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=64), nullable=False),
    sa.Column('choice', sa.Enum('agree', 'disagree', 'pass', name='votechoice', native_enum=False, length=24), nullable=False),
    sa.Column('previous', sa.Enum('agree', 'disagree', 'pass', name='votechoice', native_enum=False, length=24), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_vote_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_vote_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote')),
    sa.UniqueConstraint('comment_id', 'voter_key', name=op.f('uq_vote_comment_id_voter_key'))
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index('ix_vote_consultation_id_voter_key', ['consultation_id', 'voter_key'], unique=False)



def downgrade():
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index('ix_vote_consultation_id_voter_key')

    op.drop_table('vote')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_thread_priority')
        batch_op.drop_index('ix_comment_thread_newest')
        batch_op.drop_index('ix_comment_thread_discussed')
        batch_op.drop_index('ix_comment_thread_agreed')
        batch_op.drop_index('ix_comment_parent_id')
        batch_op.drop_index('ix_comment_consultation_priority')
        batch_op.drop_index('ix_comment_consultation_id_state')
        batch_op.drop_index('ix_comment_author')

    op.drop_table('comment')
