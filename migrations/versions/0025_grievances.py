"""grievances: independent reviewers, sealed cases

A consultation may name an organisation of the new kind "independent_reviewer" (the kind is
a VARCHAR: no schema change) as the recipient of its grievances. The reviewer's key pair, its
categories, the sealed cases, their append-only history, the case pages' messages, what the
reviewer shares with hosts and the inboxes unlocked in staff sessions each get a table.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 23:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

HISTORY = 'grievance_event'
# The same statements as consult.append_only.trigger_statements(HISTORY, dialect), copied so
# this revision never changes when the code does.
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER {HISTORY}_no_{verb.lower()} BEFORE {verb} ON {HISTORY} "
    f"BEGIN SELECT RAISE(ABORT, '{HISTORY} is append-only'); END"
    for verb in ("UPDATE", "DELETE")
]
POSTGRESQL_TRIGGERS = [
    f"CREATE OR REPLACE FUNCTION {HISTORY}_append_only() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{HISTORY} is append-only'; END; $$",
    f"CREATE TRIGGER {HISTORY}_append_only BEFORE UPDATE OR DELETE ON {HISTORY} "
    f"FOR EACH ROW EXECUTE FUNCTION {HISTORY}_append_only()",
]
STAGE = sa.Enum('received', 'acknowledged', 'under_review', 'referred', 'resolved',
                'not_admissible', name='stage', native_enum=False, length=24)


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewer_organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_consultation_reviewer_organisation_id'),
                              ['reviewer_organisation_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_consultation_reviewer_organisation_id_organisation'),
            'organisation', ['reviewer_organisation_id'], ['id'])

    op.create_table(
        'grievance_reviewer',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
        sa.Column('passphrase_box', sa.LargeBinary(length=128), nullable=False),
        sa.Column('salt', sa.LargeBinary(length=16), nullable=False),
        sa.Column('opslimit', sa.Integer(), nullable=False),
        sa.Column('memlimit', sa.Integer(), nullable=False),
        sa.Column('recovery_box', sa.LargeBinary(length=128), nullable=False),
        sa.Column('acknowledge_days', sa.SmallInteger(), nullable=False),
        sa.Column('resolve_days', sa.SmallInteger(), nullable=False),
        sa.Column('retention_months', sa.SmallInteger(), nullable=False),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE',
                                name=op.f('fk_grievance_reviewer_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_grievance_reviewer')),
    )
    op.create_table(
        'grievance_category',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.SmallInteger(), nullable=False),
        sa.Column('names', sa.JSON(), nullable=False),
        sa.Column('builtin', sa.String(length=40), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE',
                                name=op.f('fk_grievance_category_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grievance_category')),
        sa.UniqueConstraint('organisation_id', 'position',
                            name=op.f('uq_grievance_category_organisation_id_position')),
    )
    with op.batch_alter_table('grievance_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievance_category_organisation_id'),
                              ['organisation_id'], unique=False)

    op.create_table(
        'grievance_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=True),
        sa.Column('owner_hash', sa.String(length=64), nullable=True),
        sa.Column('sealed_key', sa.LargeBinary(length=96), nullable=True),
        sa.Column('sealed_text', sa.LargeBinary(), nullable=True),
        sa.Column('contact_ok', sa.Boolean(), nullable=False),
        sa.Column('reply_salt', sa.LargeBinary(length=16), nullable=True),
        sa.Column('language', sa.String(length=12), nullable=False),
        sa.Column('stage', STAGE, nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('acknowledge_by', sa.Date(), nullable=False),
        sa.Column('resolve_by', sa.Date(), nullable=False),
        sa.Column('acknowledged_on', sa.Date(), nullable=True),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('purged_on', sa.Date(), nullable=True),
        sa.Column('cell_key', sa.SmallInteger(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['grievance_category.id'],
                                name=op.f('fk_grievance_case_category_id_grievance_category')),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'],
                                name=op.f('fk_grievance_case_consultation_id_consultation')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_grievance_case_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grievance_case')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_grievance_case_code_hash')),
    )
    with op.batch_alter_table('grievance_case', schema=None) as batch_op:
        for column in ('consultation_id', 'organisation_id', 'owner_hash'):
            batch_op.create_index(batch_op.f(f'ix_grievance_case_{column}'), [column],
                                  unique=False)

    op.create_table(
        HISTORY,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('stage', STAGE, nullable=True),
        sa.Column('sealed_note', sa.LargeBinary(), nullable=True),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'],
                                name=op.f('fk_grievance_event_actor_id_staff_user')),
        sa.ForeignKeyConstraint(['case_id'], ['grievance_case.id'],
                                name=op.f('fk_grievance_event_case_id_grievance_case')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grievance_event')),
    )
    with op.batch_alter_table(HISTORY, schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievance_event_case_id'), ['case_id'],
                              unique=False)
    triggers = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}
    for statement in triggers.get(op.get_bind().dialect.name, []):
        op.execute(statement)

    op.create_table(
        'grievance_share',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['grievance_case.id'], ondelete='CASCADE',
                                name=op.f('fk_grievance_share_case_id_grievance_case')),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE',
                                name=op.f('fk_grievance_share_consultation_id_consultation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grievance_share')),
    )
    with op.batch_alter_table('grievance_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievance_share_case_id'), ['case_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_grievance_share_consultation_id'),
                              ['consultation_id'], unique=False)

    op.create_table(
        'grievance_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('from_reviewer', sa.Boolean(), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['grievance_case.id'], ondelete='CASCADE',
                                name=op.f('fk_grievance_message_case_id_grievance_case')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grievance_message')),
    )
    with op.batch_alter_table('grievance_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievance_message_case_id'), ['case_id'],
                              unique=False)

    op.create_table(
        'grievance_unlock',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_session_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('box', sa.LargeBinary(length=128), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE',
                                name=op.f('fk_grievance_unlock_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['staff_session_id'], ['staff_session.id'], ondelete='CASCADE',
                                name=op.f('fk_grievance_unlock_staff_session_id_staff_session')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grievance_unlock')),
        sa.UniqueConstraint('staff_session_id', 'organisation_id',
                            name=op.f('uq_grievance_unlock_staff_session_id_organisation_id')),
    )
    with op.batch_alter_table('grievance_unlock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievance_unlock_staff_session_id'),
                              ['staff_session_id'], unique=False)


def downgrade():
    op.drop_table('grievance_unlock')
    op.drop_table('grievance_message')
    op.drop_table('grievance_share')
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table(HISTORY)
        op.execute(f"DROP FUNCTION IF EXISTS {HISTORY}_append_only()")
    else:
        op.drop_table(HISTORY)  # its triggers go with it
    op.drop_table('grievance_case')
    op.drop_table('grievance_category')
    op.drop_table('grievance_reviewer')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_consultation_reviewer_organisation_id_organisation'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consultation_reviewer_organisation_id'))
        batch_op.drop_column('reviewer_organisation_id')
