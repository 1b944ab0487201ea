"""surveys: pages, questions, options and their texts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:11:21.563734

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_survey_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_survey_consultation_id'))
    )
    op.create_table('survey_page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_page_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_page')),
    sa.UniqueConstraint('survey_id', 'key', name=op.f('uq_survey_page_survey_id_key'))
    )
    with op.batch_alter_table('survey_page', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_page_survey_id'), ['survey_id'], unique=False)

    op.create_table('page_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['survey_page.id'], name=op.f('fk_page_text_owner_id_survey_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_page_text'))
    )
    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('type', sa.Enum('single_choice', 'multiple_choice', 'likert', 'scale', 'number', 'short_text', 'long_text', 'ranking', 'date', 'note', name='questiontype', native_enum=False, length=24), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('is_segment', sa.Boolean(), nullable=False),
    sa.Column('integer', sa.Boolean(), nullable=True),
    sa.Column('allow_other', sa.Boolean(), nullable=False),
    sa.Column('show_if', sa.JSON(), nullable=True),
    sa.Column('constraint', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['page_id'], ['survey_page.id'], name=op.f('fk_question_page_id_survey_page'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_question_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('survey_id', 'key', name=op.f('uq_question_survey_id_key'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_page_id'), ['page_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_survey_id'), ['survey_id'], unique=False)

    op.create_table('question_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_option_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_option')),
    sa.UniqueConstraint('question_id', 'key', name=op.f('uq_question_option_question_id_key'))
    )
    with op.batch_alter_table('question_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_option_question_id'), ['question_id'], unique=False)

    op.create_table('question_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['question.id'], name=op.f('fk_question_text_owner_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_question_text'))
    )
    op.create_table('option_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['question_option.id'], name=op.f('fk_option_text_owner_id_question_option'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_option_text'))
    )



def downgrade():

    op.drop_table('option_text')
    op.drop_table('question_text')
    with op.batch_alter_table('question_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_option_question_id'))

    op.drop_table('question_option')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_survey_id'))
        batch_op.drop_index(batch_op.f('ix_question_page_id'))

    op.drop_table('question')
    op.drop_table('page_text')
    with op.batch_alter_table('survey_page', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_page_survey_id'))

    op.drop_table('survey_page')
    op.drop_table('survey')

