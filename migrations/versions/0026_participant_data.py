"""participant data: withdrawn comment texts erased, deleted responses

A deleted survey response leaves a note (deleted_response) holding keyed hashes of its
receipt and respondent key and the day, so its receipt can say when it was deleted.
Withdrawing a comment now erases its words; the comments withdrawn before this revision are
erased here too (with their translations, redaction originals, screening words and the votes
on them), as comments/erasure.py does. The erasure cannot be undone by a downgrade.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 23:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

WITHDRAWN = "(SELECT id FROM comment WHERE state = 'withdrawn')"


def upgrade():
    op.create_table(
        'deleted_response',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('receipt_hash', sa.String(length=64), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('deleted_on', sa.Date(), nullable=False),
        sa.Column('by_staff', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['survey.id'],
                                name=op.f('fk_deleted_response_survey_id_survey'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deleted_response')),
        sa.UniqueConstraint('receipt_hash', name=op.f('uq_deleted_response_receipt_hash')),
    )
    with op.batch_alter_table('deleted_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deleted_response_key_hash'), ['key_hash'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_deleted_response_survey_id'), ['survey_id'],
                              unique=False)
    # The words of comments withdrawn before withdrawing erased them.
    op.execute(f"DELETE FROM comment_translation WHERE comment_id IN {WITHDRAWN}")
    op.execute(f"DELETE FROM redaction_record WHERE comment_id IN {WITHDRAWN}")
    op.execute(f"UPDATE screening_flag SET words = '' WHERE comment_id IN {WITHDRAWN}")
    op.execute(f"DELETE FROM vote WHERE comment_id IN {WITHDRAWN}")
    op.execute("UPDATE comment SET body = '', redacted = false, agree_count = 0, "
               "disagree_count = 0, pass_count = 0, priority = 0 WHERE state = 'withdrawn'")


def downgrade():
    with op.batch_alter_table('deleted_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deleted_response_survey_id'))
        batch_op.drop_index(batch_op.f('ix_deleted_response_key_hash'))
    op.drop_table('deleted_response')
