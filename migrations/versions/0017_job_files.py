"""files of background jobs: finished exports, stored uploads, import reports (in chunks)

Revision ID: 0017
Revises: 0018
Create Date: 2026-12-07 18:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=True),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('complete', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['job_id'], ['background_job.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('job_file', schema=None) as batch_op:
        batch_op.create_index('ix_job_file_job_id', ['job_id'], unique=False)
        batch_op.create_index('ix_job_file_consultation_id', ['consultation_id'], unique=False)
        batch_op.create_index('ix_job_file_expires_at', ['expires_at'], unique=False)
    op.create_table(
        'job_file_chunk',
        sa.Column('file_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['job_file.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('file_id', 'number'),
    )


def downgrade():
    op.drop_table('job_file_chunk')
    with op.batch_alter_table('job_file', schema=None) as batch_op:
        batch_op.drop_index('ix_job_file_expires_at')
        batch_op.drop_index('ix_job_file_consultation_id')
        batch_op.drop_index('ix_job_file_job_id')
    op.drop_table('job_file')
