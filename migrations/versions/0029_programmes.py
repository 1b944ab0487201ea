"""programmes: programmes of rounds, community-led indicators, commitments; the licence of a
consultation's open data

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-08 04:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

HISTORY = 'commitment_update'
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


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_licence', sa.String(length=40), nullable=False,
                                      server_default='CC-BY-4.0'))
    op.create_table('programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('host_organisation_id', sa.Integer(), nullable=False),
    sa.Column('default_language', sa.String(length=12), nullable=False),
    sa.Column('language_codes', sa.String(length=120), nullable=False),
    sa.Column('data_licence', sa.String(length=40), nullable=False),
    sa.Column('listed', sa.Boolean(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['host_organisation_id'], ['organisation.id'], name=op.f('fk_programme_host_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme')),
    sa.UniqueConstraint('slug', name=op.f('uq_programme_slug'))
    )
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_host_organisation_id'), ['host_organisation_id'], unique=False)

    op.create_table('commitment_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_commitment_status_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_status')),
    sa.UniqueConstraint('programme_id', 'key', name=op.f('uq_commitment_status_programme_id_key'))
    )
    with op.batch_alter_table('commitment_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_status_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_auditor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_auditor_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_programme_auditor_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_auditor')),
    sa.UniqueConstraint('programme_id', 'user_id', name=op.f('uq_programme_auditor_programme_id_user_id'))
    )
    with op.batch_alter_table('programme_auditor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_auditor_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_auditor_user_id'), ['user_id'], unique=False)

    op.create_table('programme_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_programme_round_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_round_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_round')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_programme_round_consultation_id')),
    sa.UniqueConstraint('programme_id', 'position', name=op.f('uq_programme_round_programme_id_position'))
    )
    with op.batch_alter_table('programme_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_round_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['programme.id'], name=op.f('fk_programme_text_owner_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_programme_text'))
    )
    op.create_table('commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status_id', sa.Integer(), nullable=False),
    sa.Column('progress', sa.SmallInteger(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_commitment_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['commitment_status.id'], name=op.f('fk_commitment_status_id_commitment_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment'))
    )
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_programme_id'), ['programme_id'], unique=False)

    op.create_table('status_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['commitment_status.id'], name=op.f('fk_status_text_owner_id_commitment_status'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_status_text'))
    )
    op.create_table('commitment_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['commitment.id'], name=op.f('fk_commitment_text_owner_id_commitment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_commitment_text'))
    )
    op.create_table('commitment_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status_key', sa.String(length=40), nullable=False),
    sa.Column('progress', sa.SmallInteger(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('changed', sa.String(length=80), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff_user.id'], name=op.f('fk_commitment_update_author_id_staff_user')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], name=op.f('fk_commitment_update_commitment_id_commitment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_update'))
    )
    with op.batch_alter_table('commitment_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_update_commitment_id'), ['commitment_id'], unique=False)

    op.create_table('indicator_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('comment', 'theme', 'host', name='proposalsource', native_enum=False, length=24), nullable=False),
    sa.Column('source_consultation_id', sa.Integer(), nullable=True),
    sa.Column('source_comment_id', sa.Integer(), nullable=True),
    sa.Column('source_theme_key', sa.String(length=400), nullable=True),
    sa.Column('source_theme_name', sa.String(length=200), nullable=True),
    sa.Column('statement_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('open', 'adopted', 'declined', name='proposalstate', native_enum=False, length=24), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_indicator_proposal_created_by_id_staff_user')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_indicator_proposal_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_comment_id'], ['comment.id'], name=op.f('fk_indicator_proposal_source_comment_id_comment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_consultation_id'], ['consultation.id'], name=op.f('fk_indicator_proposal_source_consultation_id_consultation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['comment.id'], name=op.f('fk_indicator_proposal_statement_id_comment'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_proposal'))
    )
    with op.batch_alter_table('indicator_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_proposal_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_proposal_statement_id'), ['statement_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('likert', 'scale', 'choice', name='indicatorkind', native_enum=False, length=24), nullable=False),
    sa.Column('direction', sa.Enum('higher_better', 'higher_worse', name='direction', native_enum=False, length=24), nullable=False),
    sa.Column('favourable', sa.JSON(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_indicator_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['indicator_proposal.id'], name=op.f('fk_indicator_proposal_id_indicator_proposal'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('programme_id', 'question_key', name=op.f('uq_indicator_programme_id_question_key'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_programme_id'), ['programme_id'], unique=False)

    op.create_table('proposal_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['indicator_proposal.id'], name=op.f('fk_proposal_text_owner_id_indicator_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_proposal_text'))
    )
    op.create_table('commitment_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('indicator', 'theme', 'statement', 'question', name='linkkind', native_enum=False, length=24), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=400), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_commitment_link_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], name=op.f('fk_commitment_link_commitment_id_commitment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_commitment_link_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_commitment_link_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_link'))
    )
    with op.batch_alter_table('commitment_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_link_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_link_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_link_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_link_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('indicator_text',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['indicator.id'], name=op.f('fk_indicator_text_owner_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'field', 'language', name=op.f('pk_indicator_text'))
    )
    op.create_table('self_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('option_key', sa.String(length=80), nullable=True),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('scored_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_self_assessment_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_self_assessment_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['round_id'], ['programme_round.id'], name=op.f('fk_self_assessment_round_id_programme_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_self_assessment_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment')),
    sa.UniqueConstraint('round_id', 'indicator_id', 'user_id', name=op.f('uq_self_assessment_round_id_indicator_id_user_id'))
    )
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_assessment_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_assessment_round_id'), ['round_id'], unique=False)
    triggers = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}
    for statement in triggers.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {HISTORY}_append_only() CASCADE")
    with op.batch_alter_table('self_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_assessment_round_id'))
        batch_op.drop_index(batch_op.f('ix_self_assessment_indicator_id'))

    op.drop_table('self_assessment')
    op.drop_table('indicator_text')
    with op.batch_alter_table('commitment_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_link_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_link_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_link_commitment_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_link_comment_id'))

    op.drop_table('commitment_link')
    op.drop_table('proposal_text')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_programme_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('indicator_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_proposal_statement_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_proposal_programme_id'))

    op.drop_table('indicator_proposal')
    with op.batch_alter_table('commitment_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_update_commitment_id'))

    op.drop_table('commitment_update')
    op.drop_table('commitment_text')
    op.drop_table('status_text')
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_programme_id'))

    op.drop_table('commitment')
    op.drop_table('programme_text')
    with op.batch_alter_table('programme_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_round_programme_id'))

    op.drop_table('programme_round')
    with op.batch_alter_table('programme_auditor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_auditor_user_id'))
        batch_op.drop_index(batch_op.f('ix_programme_auditor_programme_id'))

    op.drop_table('programme_auditor')
    with op.batch_alter_table('commitment_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_status_programme_id'))

    op.drop_table('commitment_status')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_host_organisation_id'))

    op.drop_table('programme')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('data_licence')
