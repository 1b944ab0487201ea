"""cell keys: a random key on every response and comment, and key sums beside the tallies

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 13:10:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

#: Rows given their keys per round trip.
BATCH = 5000


def _fill_keys(table: str) -> None:
    """Give every existing row a random key (0..255, the OS's CSPRNG, as new rows get)."""
    connection = op.get_bind()
    rows = sa.table(table, sa.column('id', sa.Integer), sa.column('cell_key', sa.SmallInteger))
    after = 0
    while True:
        ids = connection.execute(sa.select(rows.c.id).where(rows.c.id > after)
                                 .order_by(rows.c.id).limit(BATCH)).scalars().all()
        if not ids:
            return
        connection.execute(
            rows.update().where(rows.c.id == sa.bindparam('row_id'))
            .values(cell_key=sa.bindparam('key')),
            [{'row_id': n, 'key': secrets.randbelow(256)} for n in ids])
        after = ids[-1]


def upgrade():
    # Added NOT NULL with a default (SQLite can add such a column without rebuilding the
    # table), then filled with random keys; new rows get theirs from the models.
    for table in ('response', 'comment'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('cell_key', sa.SmallInteger(), server_default='0',
                                          nullable=False))
        _fill_keys(table)
    with op.batch_alter_table('survey_tally', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_sum', sa.Integer(), server_default='0',
                                      nullable=False))
    # The tallies counted so far have no key sums: drop them and let every submitted
    # response wait to be counted again (the next summary view counts them, keys included).
    op.execute("DELETE FROM survey_tally")
    op.execute("UPDATE survey_tally_state SET appended = 0")
    op.execute("UPDATE response SET untallied = 0 WHERE state = 'submitted'")


def downgrade():
    with op.batch_alter_table('survey_tally', schema=None) as batch_op:
        batch_op.drop_column('key_sum')
    for table in ('comment', 'response'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('cell_key')
