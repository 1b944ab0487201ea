"""Fixtures of the deployment tests: a migrated scratch database of their own per backend."""
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import BACKENDS, POSTGRES_URL


def scratch_name(suffix: str) -> str:
    """A scratch database name beside TEST_DATABASE_URL's, so parallel runs on other test
    databases of the same server do not collide."""
    return f"{make_url(POSTGRES_URL).database}_{suffix}"


@pytest.fixture(params=BACKENDS)
def scratch_url(request, tmp_path):
    """The URL of a new empty database (SQLite file or PostgreSQL database), dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    from bench.live_server import scratch_postgres

    with scratch_postgres(POSTGRES_URL, scratch_name("deploy")) as url:
        yield url
