"""200 Expressions of Interest from 20 concurrent clients over real HTTP, against gunicorn on PostgreSQL.

The server needs committed data, so it serves a database of its own (created and migrated here on the
PostgreSQL server of the test run), never the test's rolled-back one.
"""

import os

import pytest
from django.utils import timezone

from tests.load.servers import (
    Gunicorn,
    Recorder,
    create_database,
    drop_database,
    manage,
    rows,
    server_environment,
    shared_server_url,
    submit_concurrently,
)

# Servers on ports and databases of their own: all on one xdist worker (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("servers")

CLIENTS = 20
SUBMISSIONS = 200


@pytest.fixture
def loaded_server():
    url = shared_server_url(f"pact_load_srv_{os.getpid()}")
    create_database(url)
    env = server_environment(url)
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v0")
        server = Gunicorn(env, workers=2, threads=8)
        yield server, url
    finally:
        if server is not None:
            server.stop()
        drop_database(url)


@pytest.mark.slow
@pytest.mark.postgresql_only
def test_200_submissions_from_20_concurrent_clients(loaded_server):
    server, database = loaded_server
    ecosystem_pk = rows(database, "SELECT id FROM partnerships_ecosystem WHERE slug = 'renewable-energy'")[0][
        0
    ]
    recorder = Recorder()
    finals = submit_concurrently(
        server, recorder, ecosystem_pk, clients=CLIENTS, each=SUBMISSIONS // CLIENTS, key="load"
    )
    statuses = recorder.statuses()
    assert [s for s in statuses if s is None or s >= 500] == [], "server errors under load"

    # Every successful final answer is the application's status page, and exactly one stored application.
    assert len(finals) == SUBMISSIONS
    assert all(status == 200 and url == link for status, url, link in finals)
    tokens = [link.rstrip("/").rsplit("/", 1)[1] for _status, _url, link in finals]
    assert len(set(tokens)) == SUBMISSIONS
    stored = dict(
        rows(
            database,
            "SELECT token, reference FROM support_services_expressionofinterest WHERE status = 'submitted'",
        )
    )
    assert sorted(stored) == sorted(tokens)
    year = timezone.localdate().year
    assert sorted(stored.values()) == [f"EOI-{year}-{n:04d}" for n in range(1, SUBMISSIONS + 1)]
    assert rows(database, "SELECT COUNT(*) FROM support_services_expressionofinterest")[0][0] == SUBMISSIONS
    assert rows(database, "SELECT last_number FROM support_services_eoireferencecounter")[0][0] == SUBMISSIONS
    assert len(statuses) == SUBMISSIONS * 5
