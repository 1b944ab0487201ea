"""survey responses and answers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:26:44.465849

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('respondent_key', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.Enum('web', 'api', 'paper', 'sms', 'xlsform', name='channel', native_enum=False, length=24), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', name='responsestate', native_enum=False, length=24), nullable=False),
    sa.Column('idempotency_key', sa.String(length=80), nullable=True),
    sa.Column('payload_hash', sa.String(length=64), nullable=True),
    sa.Column('receipt', sa.String(length=16), nullable=True),
    sa.Column('current_page', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('saved_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_response_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_response_idempotency_key')),
    sa.UniqueConstraint('receipt', name=op.f('uq_response_receipt')),
    sa.UniqueConstraint('survey_id', 'respondent_key', name=op.f('uq_response_survey_id_respondent_key'))
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_survey_id'), ['survey_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('option_key', sa.String(length=80), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('number', sa.Numeric(precision=18, scale=6, asdecimal=False), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_answer_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_response_id'), ['response_id'], unique=False)




def downgrade():

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_response_id'))
        batch_op.drop_index(batch_op.f('ix_answer_question_id'))

    op.drop_table('answer')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_survey_id'))

    op.drop_table('response')

