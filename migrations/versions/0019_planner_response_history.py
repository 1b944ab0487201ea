"""planner response history: every version, publication, withdrawal and deletion of a "you
said, we did" response (append-only); existing responses get their current version (and
publication) as the first entries

Revision ID: 0019
Revises: 0020
Create Date: 2026-12-07 20:00:00.000000

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0020'
branch_labels = None
depends_on = None

TABLE = 'planner_response_revision'
# The same statements as consult.append_only.trigger_statements(TABLE, dialect), copied so
# this revision never changes when the code does.
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END" for verb in ("UPDATE", "DELETE")
]
POSTGRESQL_TRIGGERS = [
    f"CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{TABLE} is append-only'; END; $$",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()",
]


def upgrade():
    revisions = op.create_table(
        TABLE,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.Enum('created', 'edited', 'published', 'withdrawn', 'deleted',
                                   name='revisionevent', native_enum=False, length=24),
                  nullable=False),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('topic', sa.String(length=100), nullable=False),
        sa.Column('decision', sa.Enum('adopted', 'adapted', 'not_adopted', 'under_study',
                                      name='decision', native_enum=False, length=24),
                  nullable=False),
        sa.Column('changed', sa.String(length=60), nullable=False),
        sa.Column('texts', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['staff_user.id'],
                                name=op.f('fk_planner_response_revision_author_id_staff_user')),
        sa.ForeignKeyConstraint(
            ['consultation_id'], ['consultation.id'],
            name=op.f('fk_planner_response_revision_consultation_id_consultation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planner_response_revision')),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planner_response_revision_response_id'),
                              ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planner_response_revision_consultation_id'),
                              ['consultation_id'], unique=False)
    triggers = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}
    for statement in triggers.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    _first_versions(revisions)


def _first_versions(revisions) -> None:
    """Each existing response's current version (dated its publication, else today), and its
    publication: the history starts from what readers could see."""
    bind = op.get_bind()
    texts: dict[int, dict] = {}
    for owner, field, language, text in bind.execute(sa.text(
            "SELECT owner_id, field, language, text FROM planner_response_text")):
        texts.setdefault(owner, {}).setdefault(field, {})[language] = text
    rows = []
    for response_id, consultation_id, topic, decision, published_on in bind.execute(sa.text(
            "SELECT id, consultation_id, topic, decision, published_on FROM planner_response "
            "ORDER BY id")):
        if isinstance(published_on, str):  # SQLite hands dates back as text here
            published_on = dt.date.fromisoformat(published_on)
        common = {"response_id": response_id, "consultation_id": consultation_id,
                  "author_id": None, "topic": topic, "decision": decision, "changed": ""}
        rows.append({**common, "event": "created", "created_on": published_on or dt.date.today(),
                     "texts": texts.get(response_id, {})})
        if published_on is not None:
            rows.append({**common, "event": "published", "created_on": published_on,
                         "texts": {}})
    if rows:
        op.bulk_insert(revisions, rows)


def downgrade():
    op.drop_table(TABLE)  # its triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_append_only()")
