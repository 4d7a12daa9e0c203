"""The embedded default under write load: 10 clients submit at once to gunicorn on an SQLite file.

SQLite runs in WAL mode with immediate transactions and a busy timeout (see settings), so writers queue for
the lock; "database is locked" must never reach an applicant. The server always uses its own SQLite file,
so this runs in both passes of the suite.
"""

import sqlite3

import pytest
from django.utils import timezone

from tests.load.servers import Gunicorn, Recorder, manage, server_environment, submit_concurrently

# Servers on ports and databases of their own: all on one xdist worker (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("servers")

CLIENTS = 10
EACH = 2


@pytest.fixture
def sqlite_server(tmp_path):
    path = tmp_path / "db.sqlite3"
    env = server_environment(f"sqlite:///{path}")
    manage(env, "migrate", "--no-input", "-v0")
    server = Gunicorn(env, workers=3, threads=4)
    database = sqlite3.connect(path)
    yield server, database
    database.close()
    server.stop()


@pytest.mark.slow
def test_10_concurrent_writers_on_sqlite_never_see_a_locked_database(sqlite_server):
    server, database = sqlite_server
    ecosystem_pk = database.execute(
        "SELECT id FROM partnerships_ecosystem WHERE slug = 'renewable-energy'"
    ).fetchone()[0]
    recorder = Recorder()
    # Every writer starts at the same moment.
    finals = submit_concurrently(
        server, recorder, ecosystem_pk, clients=CLIENTS, each=EACH, key="sqlite", together=True
    )
    bodies = [row[5] for row in recorder.requests]
    assert not [body for body in bodies if "locked" in body.lower()]
    assert [s for s in recorder.statuses() if s is None or s >= 500] == []
    assert len(finals) == CLIENTS * EACH and all(
        status == 200 and url == link for status, url, link in finals
    )
    tokens = sorted(link.rstrip("/").rsplit("/", 1)[1] for _status, _url, link in finals)
    stored = database.execute(
        "SELECT token, reference FROM support_services_expressionofinterest WHERE status = 'submitted'"
    ).fetchall()
    assert sorted(token for token, _reference in stored) == tokens
    year = timezone.localdate().year
    assert sorted(reference for _token, reference in stored) == [
        f"EOI-{year}-{n:04d}" for n in range(1, CLIENTS * EACH + 1)
    ]
