"""planner theme edits (rename, merge, split)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 13:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('rename', 'merge', 'split', name='themeeditkind', native_enum=False, length=24), nullable=False),
    sa.Column('theme_key', sa.String(length=400), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('target_key', sa.String(length=400), nullable=True),
    sa.Column('target_terms', sa.JSON(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_theme_edit_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_theme_edit_created_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_edit'))
    )
    with op.batch_alter_table('theme_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_edit_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('theme_edit_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['theme_edit.id'], name=op.f('fk_theme_edit_text_owner_id_theme_edit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_theme_edit_text'))
    )


def downgrade():
    op.drop_table('theme_edit_text')
    with op.batch_alter_table('theme_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_edit_consultation_id'))

    op.drop_table('theme_edit')
