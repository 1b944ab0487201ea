"""summary tallies: pre-aggregated counts per survey, and responses waiting to be counted

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 13:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

WAITING = "untallied IS NOT NULL AND state = 'submitted'"


def upgrade():
    op.create_table('survey_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=1), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=True),
    sa.Column('channel', sa.String(length=24), nullable=True),
    sa.Column('segment_id', sa.Integer(), nullable=True),
    sa.Column('segment_option', sa.String(length=80), nullable=True),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('option_key', sa.String(length=80), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('number', sa.Numeric(precision=18, scale=6, asdecimal=False), nullable=True),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_survey_tally_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['segment_id'], ['question.id'], name=op.f('fk_survey_tally_segment_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_tally_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_tally'))
    )
    with op.batch_alter_table('survey_tally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_tally_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_tally_state',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('shape', sa.String(length=2000), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('appended', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_tally_state_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_survey_tally_state'))
    )
    # Every existing response waits to be counted: the first summary view counts them.
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('untallied', sa.SmallInteger(), server_default='0', nullable=True))
    op.create_index('ix_response_untallied', 'response', ['survey_id'], unique=False,
                    sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING))


def downgrade():
    op.drop_index('ix_response_untallied', table_name='response')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('untallied')

    op.drop_table('survey_tally_state')
    with op.batch_alter_table('survey_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_tally_survey_id'))

    op.drop_table('survey_tally')
