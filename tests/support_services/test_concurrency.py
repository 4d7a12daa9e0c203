"""Real parallel HTTP requests: references stay unique, consecutive and gap-free; an idempotency key
posted many times at once creates one application; a draft submitted many times at once gets one number.

On PostgreSQL the requests go to a live server thread (Django's, with a listen queue long enough for 50
simultaneous connections): one thread and one database connection per request.
SQLite's test database lives in memory and the live server would share one connection between its threads,
so on SQLite the same journeys run against gunicorn (two worker processes, threads) on a file database,
where SQLite's immediate transactions and busy timeout serialise the writers.
"""

import sqlite3
import uuid

import pytest
from django.utils import timezone

from partnerships.models import Ecosystem
from support_services.models import EoiReferenceCounter, EoiStatus, ExpressionOfInterest
from tests import reference_data  # noqa: F401  (reference data survives the flushes)
from tests.load.servers import Gunicorn, manage, server_environment
from tests.support_services.http import Browser, run_parallel
from tests.support_services.journey import STEP1, apply_until_review

# Servers on ports and databases of their own: all on one xdist worker (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("servers")

YEAR = timezone.localdate().year


def submit_in_parallel(base_url, count, ecosystem_pk):
    def work(i, barrier):
        browser = Browser(base_url)
        link = apply_until_review(browser, f"parallel-{i}-{uuid.uuid4().hex}", ecosystem_pk)
        browser.get(link + "?step=4")
        barrier.wait()  # every submit leaves at the same moment
        status, url, html = browser.post(link + "?step=4", {"consent": "on"})
        assert status == 200 and url == link, (status, url)
        return link

    return run_parallel(count, work)


def same_key_in_parallel(base_url, count):
    """One browser posts step 1 `count` times at once (a hammered button, retries): the key its form carried."""
    browser = Browser(base_url)
    browser.get("/expression-of-interest/")
    key = uuid.uuid4().hex

    def work(i, barrier):
        tab = browser.another_tab()
        barrier.wait()
        status, url, _html = tab.post("/expression-of-interest/", {**STEP1, "idempotency_key": key})
        assert status == 200, status
        return url

    return run_parallel(count, work)


def same_draft_submitted_in_parallel(base_url, count, ecosystem_pk):
    first = Browser(base_url)
    link = apply_until_review(first, f"double-{uuid.uuid4().hex}", ecosystem_pk)

    def work(i, barrier):
        browser = Browser(base_url)
        browser.get(link + "?step=4")
        barrier.wait()
        status, url, _html = browser.post(link + "?step=4", {"consent": "on"})
        assert status == 200 and url == link, (status, url)

    run_parallel(count, work)
    return link


def expected_references(count):
    return [f"EOI-{YEAR}-{n:04d}" for n in range(1, count + 1)]


# --- PostgreSQL: the live server ---------------------------------------------------------------------


@pytest.fixture
def generous_limits(settings):
    settings.RATE_LIMIT_EOI_SUBMISSIONS = settings.RATE_LIMIT_EOI_STEPS = "100000/3600"


@pytest.fixture
def busy_live_server(transactional_db):
    """A live server of our own whose listen queue holds 50 simultaneous connections (Django's holds 10)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class Server(ThreadedWSGIServer):
        request_queue_size = 128

    class Thread(LiveServerThread):
        server_class = Server

    thread = Thread("127.0.0.1", StaticFilesHandler, connections_override={})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error

    class Live:
        url = f"http://127.0.0.1:{thread.port}"

    yield Live
    thread.terminate()


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_50_parallel_submissions_get_50_consecutive_references(busy_live_server, generous_limits):
    ecosystem = Ecosystem.objects.get(slug="renewable-energy")
    links = submit_in_parallel(busy_live_server.url, 50, ecosystem.pk)
    assert len(set(links)) == 50
    references = sorted(ExpressionOfInterest.objects.values_list("reference", flat=True))
    assert references == expected_references(50)
    assert ExpressionOfInterest.objects.filter(status=EoiStatus.SUBMITTED).count() == 50
    assert EoiReferenceCounter.objects.get(year=YEAR).last_number == 50


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_same_idempotency_key_posted_10_times_at_once_gives_one_application(
    busy_live_server, generous_limits
):
    urls = same_key_in_parallel(busy_live_server.url, 10)
    assert ExpressionOfInterest.objects.count() == 1
    token = ExpressionOfInterest.objects.get().token
    assert all(url == f"/expression-of-interest/{token}/?step=2" for url in urls)


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_one_draft_submitted_10_times_at_once_gets_one_reference(busy_live_server, generous_limits):
    ecosystem = Ecosystem.objects.get(slug="renewable-energy")
    same_draft_submitted_in_parallel(busy_live_server.url, 10, ecosystem.pk)
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.reference == f"EOI-{YEAR}-0001"
    assert eoi.events.filter(to_status=EoiStatus.SUBMITTED).count() == 1
    assert EoiReferenceCounter.objects.get(year=YEAR).last_number == 1


# --- SQLite: gunicorn on a file database --------------------------------------------------------------


@pytest.fixture
def sqlite_server(tmp_path):
    """gunicorn (2 processes × 8 threads) serving the portal on a fresh, migrated SQLite file."""
    path = tmp_path / "db.sqlite3"
    env = server_environment(f"sqlite:///{path}")
    manage(env, "migrate", "--no-input", "-v0")
    server = Gunicorn(env, workers=2, threads=8, timeout=120)
    database = sqlite3.connect(path)
    ecosystem_pk = database.execute(
        "SELECT id FROM partnerships_ecosystem WHERE slug = 'renewable-energy'"
    ).fetchone()[0]
    yield server.url, database, ecosystem_pk
    database.close()
    server.stop()


@pytest.mark.sqlite_only
def test_sqlite_parallel_submissions_idempotency_and_double_submit(sqlite_server):
    url, database, ecosystem_pk = sqlite_server
    count = 20  # fewer than on PostgreSQL: SQLite serialises writers, the point is the same

    links = submit_in_parallel(url, count, ecosystem_pk)
    assert len(set(links)) == count
    rows = database.execute(
        "SELECT reference FROM support_services_expressionofinterest WHERE status = 'submitted' ORDER BY reference"
    ).fetchall()
    assert [row[0] for row in rows] == expected_references(count)

    before = database.execute("SELECT COUNT(*) FROM support_services_expressionofinterest").fetchone()[0]
    urls = same_key_in_parallel(url, 10)
    after = database.execute("SELECT COUNT(*) FROM support_services_expressionofinterest").fetchone()[0]
    assert after == before + 1 and len(set(urls)) == 1

    link = same_draft_submitted_in_parallel(url, 10, ecosystem_pk)
    token = link.rstrip("/").rsplit("/", 1)[1]
    reference = database.execute(
        "SELECT reference FROM support_services_expressionofinterest WHERE token = ?", (token,)
    ).fetchone()[0]
    assert reference == f"EOI-{YEAR}-{count + 1:04d}"
    last = database.execute("SELECT last_number FROM support_services_eoireferencecounter").fetchone()[0]
    assert last == count + 1
