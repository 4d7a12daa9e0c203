"""Read replicas (DATABASE_REPLICA_URLS): anonymous reads of the public pages go to a replica, all else to default.

The replica here is a second connection to the test database (Django's TEST MIRROR), added for the test;
the test is transactional so that both connections see the same committed rows. Which connection ran a
query is read from each connection's query log.
"""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext

from pact_portal.db_router import ReplicaRouter
from partnerships.models import Ecosystem, Partnership
from tests.support_services.journey import STEP1

ROOT = Path(__file__).resolve().parents[2]
transactional = pytest.mark.django_db(transaction=True, databases=["default", "replica1", "replica2"])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """The aliases ``replica1`` and ``replica2``, as DATABASE_REPLICA_URLS would add them, on the test
    database. Module-wide, so that they exist when a test declares them among its databases."""
    aliases = ["replica1", "replica2"]
    for alias in aliases:
        connections.settings[alias] = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    try:
        yield aliases[0]
    finally:
        for alias in aliases:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


@pytest.fixture
def replica(demo_registry, settings, monkeypatch):
    """One replica configured (replica1); seeding just changed the registry, so no lag wait (see below)."""
    from pact_portal import db_router

    settings.REPLICA_MAX_LAG_SECONDS = 0
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica1"])
    return connections["replica1"]


@pytest.fixture
def cache_off(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def queries_on(alias_queries, table):
    return [query["sql"] for query in alias_queries if table in query["sql"]]


def capture(client, method, path, **kwargs):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica1"]) as replica,
    ):
        response = getattr(client, method)(path, **kwargs)
    return response, primary.captured_queries, replica.captured_queries


@transactional
def test_an_anonymous_public_page_reads_from_the_replica(client, replica, cache_off):
    for path in ["/partnerships/", "/partnerships/lombardy-rsp/", "/statistics/"]:
        response, primary, replica_queries = capture(client, "get", path)
        assert response.status_code == 200
        assert queries_on(replica_queries, "partnerships_partnership"), path
        assert not queries_on(primary, "partnerships_partnership"), path


@transactional
def test_staff_pages_admin_and_posts_use_default(client, replica, cache_off, admin_user):
    # A POST by an anonymous visitor (the first step of an Expression of Interest).
    client.get("/expression-of-interest/")
    response, primary, replica_queries = capture(
        client, "post", "/expression-of-interest/", data={**STEP1, "idempotency_key": "replica-test"}
    )
    assert response.status_code == 302
    assert replica_queries == []
    assert queries_on(primary, "support_services_expressionofinterest")
    # The next step, behind the application's secret link, reads back what was just written: on default.
    response, primary, replica_queries = capture(client, "get", response["Location"])
    assert response.status_code == 200
    assert replica_queries == []
    assert queries_on(primary, "support_services_expressionofinterest")

    # A signed-in user's GET of a public page, and the admin.
    client.force_login(admin_user)
    for path in ["/partnerships/", "/admin/", "/admin/partnerships/partnership/"]:
        response, primary, replica_queries = capture(client, "get", path)
        assert response.status_code == 200, path
        assert replica_queries == [], path
        assert primary, path


def test_outside_a_request_everything_uses_default():
    routing = ReplicaRouter()
    assert routing.db_for_read(Partnership) == "default"
    assert routing.db_for_write(Partnership) == "default"
    assert router.db_for_read(Ecosystem) == "default"


@transactional
def test_one_request_reads_from_one_replica(client, replica, cache_off, monkeypatch):
    from pact_portal import db_router

    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica1", "replica2"])
    monkeypatch.setattr(db_router, "random", random.Random(2026))  # a fixed sequence of picks
    used = set()
    for _ in range(8):
        with (
            CaptureQueriesContext(connections["replica1"]) as first,
            CaptureQueriesContext(connections["replica2"]) as second,
        ):
            assert client.get("/partnerships/").status_code == 200
        # Every query of the page (count, facets, rows) on the same copy of the data.
        assert bool(first.captured_queries) != bool(second.captured_queries)
        used.add("replica1" if first.captured_queries else "replica2")
    assert used == {"replica1", "replica2"}


@transactional
def test_right_after_a_registry_change_public_pages_read_from_default(client, replica, cache_off, settings):
    from pact_portal.cache import registry_changed

    settings.REPLICA_MAX_LAG_SECONDS = 60
    with transaction.atomic():
        registry_changed()  # the version bump (and its time) happen when this commits
    response, primary, replica_queries = capture(client, "get", "/partnerships/")
    assert response.status_code == 200
    assert replica_queries == [] and queries_on(primary, "partnerships_partnership")


@transactional
def test_reads_inside_a_transaction_use_default_even_in_a_public_read():
    from pact_portal.db_router import _replica

    token = _replica.set("replica1")
    try:
        assert router.db_for_read(Partnership) == "replica1"
        with transaction.atomic():
            assert router.db_for_read(Partnership) == "default"
        assert router.db_for_write(Partnership) == "default"
    finally:
        _replica.reset(token)


def test_migrations_run_on_default_only():
    assert router.allow_migrate("default", "partnerships", model_name="partnership")
    assert not router.allow_migrate("replica1", "partnerships", model_name="partnership")


@transactional
def test_without_replicas_public_reads_use_default(client, cache_off, monkeypatch, demo_registry):
    from pact_portal import db_router

    monkeypatch.setattr(db_router, "replica_aliases", lambda: [])
    response, primary, replica_queries = capture(client, "get", "/partnerships/")
    assert response.status_code == 200
    assert replica_queries == [] and queries_on(primary, "partnerships_partnership")


def test_replica_urls_become_mirrored_aliases():
    """settings.py: DATABASE_REPLICA_URLS gives replica1..N (mirrors of default in tests) and the router."""
    code = (
        "import json, pact_portal.settings as s; "
        "print(json.dumps({a: [d['HOST'], d.get('TEST')] for a, d in s.DATABASES.items()} | "
        "{'routers': s.DATABASE_ROUTERS}))"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": "postgres://portal@primary.example:5432/pact",
        "DATABASE_REPLICA_URLS": "postgres://reader@replica-a.example:5432/pact, postgres://reader@replica-b.example/pact",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    assert loaded["default"][0] == "primary.example"
    assert loaded["replica1"] == ["replica-a.example", {"MIRROR": "default"}]
    assert loaded["replica2"] == ["replica-b.example", {"MIRROR": "default"}]
    assert loaded["routers"] == ["pact_portal.db_router.ReplicaRouter"]


def test_the_database_cache_is_read_on_the_primary_even_in_a_public_read():
    """Without Redis the cache is a table (production's default): rate-limit counters and the registry version
    are read where they were just written, never on a lagging replica."""
    from django.core.cache.backends.db import BaseDatabaseCache

    from pact_portal.db_router import _replica

    cache_entry = BaseDatabaseCache("pact_cache", {}).cache_model_class
    token = _replica.set("replica1")
    try:
        assert router.db_for_read(Partnership) == "replica1"
        assert router.db_for_read(cache_entry) == "default"
    finally:
        _replica.reset(token)
