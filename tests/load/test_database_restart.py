"""PostgreSQL crashes and comes back while applicants submit Expressions of Interest.

On a private cluster this test creates (never the shared server): gunicorn serves it, clients keep
submitting, the cluster is stopped with `pg_ctl stop -m immediate` (a crash), restarted a few seconds later.
Requests during the outage get the styled 503 page; nothing is half-saved; the portal recovers by itself.
"""

import threading
import time
import urllib.error
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from tests.load.servers import (
    Gunicorn,
    PrivateCluster,
    Recorder,
    RecordingBrowser,
    connect,
    health,
    manage,
    rows,
    server_environment,
    submit_one,
)

# Servers on ports and databases of their own: all on one xdist worker (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("servers")

CLIENTS = 8
OUTAGE_SECONDS = 4
RECOVERY_SECONDS = 30  # the portal answers again within this time after PostgreSQL is back
REQUEST_BOUND_SECONDS = 30  # no request may take longer, outage or not (gunicorn's worker timeout)


def unexplained_errors(server):
    """The server's log lines with a traceback that is not the database being unreachable."""
    log = Path(server.log.name).read_text(errors="replace")
    return "\n".join(
        line
        for line in log.splitlines()
        if "Traceback" in line and "OperationalError" not in line and "InterfaceError" not in line
    )[-20000:]


@pytest.fixture
def private_cluster():
    cluster = PrivateCluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.mark.slow
@pytest.mark.postgresql_only
def test_postgresql_crash_and_restart_during_submissions(private_cluster):
    cluster = private_cluster
    database = cluster.url("pact_fault")
    admin = cluster.url("postgres")
    connection = connect(admin)
    connection.cursor().execute("CREATE DATABASE pact_fault")
    connection.close()
    # CONN_MAX_AGE keeps connections between requests: after the crash they are dead, and the health check
    # at the start of each request must replace them.
    env = server_environment(database, CONN_MAX_AGE="60")
    manage(env, "migrate", "--no-input", "-v0")
    server = Gunicorn(env, workers=2, threads=4, timeout=REQUEST_BOUND_SECONDS)
    try:
        ecosystem_pk = rows(
            database, "SELECT id FROM partnerships_ecosystem WHERE slug = 'renewable-energy'"
        )[0][0]
        recorder = Recorder()
        stop = threading.Event()
        submitted, lock = [], threading.Lock()

        def client(number):
            i = 0
            while not stop.is_set():
                i += 1
                browser = RecordingBrowser(server.url, recorder, timeout=REQUEST_BOUND_SECONDS * 2)
                try:
                    status, url, link = submit_one(
                        browser, f"fault-{number}-{i}-{uuid.uuid4().hex}", ecosystem_pk
                    )
                except (AssertionError, urllib.error.URLError, OSError):
                    time.sleep(0.2)  # a step was refused (the outage): start a new application
                    continue
                if status == 200 and url == link:
                    with lock:
                        submitted.append(link.rstrip("/").rsplit("/", 1)[1])

        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()

        deadline = time.monotonic() + 120
        while len(submitted) < 10 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(submitted) >= 10, "no load before the crash"
        down_at = time.monotonic()
        cluster.stop("immediate")
        time.sleep(OUTAGE_SECONDS)
        up_at = time.monotonic()
        cluster.start()

        recovered_at = None
        while time.monotonic() < up_at + RECOVERY_SECONDS:
            if health(server.url) == 200:
                recovered_at = time.monotonic()
                break
            time.sleep(0.25)
        assert recovered_at is not None, f"not healthy {RECOVERY_SECONDS} s after PostgreSQL came back"
        before = len(submitted)
        deadline = time.monotonic() + RECOVERY_SECONDS
        while len(submitted) < before + CLIENTS and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_BOUND_SECONDS * 2)
        assert not any(thread.is_alive() for thread in threads), "a client hangs"

        # Submissions succeed again after the restart, without any intervention.
        assert len(submitted) >= before + CLIENTS
        status, url, link = submit_one(
            RecordingBrowser(server.url, recorder), f"after-{uuid.uuid4().hex}", ecosystem_pk
        )
        assert status == 200 and url == link
        submitted.append(link.rstrip("/").rsplit("/", 1)[1])

        # During the outage: the styled 503 page, never a 500 or a traceback; every request answered in time.
        requests = recorder.requests
        during = [row for row in requests if down_at <= row[0] <= up_at]
        assert during, "no request was made during the outage"
        unavailable = [row for row in requests if row[4] == 503]
        assert unavailable, "no request saw the outage"
        for _started, _seconds, _method, _url, _status, body in unavailable:
            assert "Temporarily unavailable" in body and "<main" in body and "Traceback" not in body
        failed = [row[:5] for row in requests if row[4] is None or (row[4] >= 500 and row[4] != 503)]
        assert not failed, f"{failed}\nserver log:\n{unexplained_errors(server)}"
        assert max(row[1] for row in requests) < REQUEST_BOUND_SECONDS
        assert not [row for row in requests if row[4] == 503 and row[0] > recovered_at + 2]
        print(
            f"outage {up_at - down_at:.1f} s, healthy {recovered_at - up_at:.1f} s after the restart, "
            f"{len(requests)} requests, {len(unavailable)} got 503, slowest {max(r[1] for r in requests):.1f} s"
        )

        # Nothing half-saved: every stored application is whole for the steps it passed; submitted ones
        # have all their answers, their event, and references without gaps.
        applications = rows(
            database,
            """SELECT e.token, e.status, e.last_step, e.reference, e.organisation_name, e.contact_email,
                      e.partnership_name, e.submitted_at IS NOT NULL, e.consent_at IS NOT NULL,
                      (SELECT COUNT(*) FROM support_services_expressionofinterest_regions r WHERE r.expressionofinterest_id = e.id),
                      (SELECT COUNT(*) FROM support_services_expressionofinterest_ecosystems c WHERE c.expressionofinterest_id = e.id),
                      (SELECT COUNT(*) FROM support_services_eoievent v WHERE v.eoi_id = e.id AND v.to_status = 'submitted')
               FROM support_services_expressionofinterest e""",
        )
        submitted_rows = [row for row in applications if row[1] == "submitted"]
        for (
            token,
            status,
            last_step,
            reference,
            org,
            email,
            name,
            at,
            consent,
            regions,
            ecosystems,
            events,
        ) in applications:
            assert org, token
            if last_step >= 2:
                assert email, token
            if last_step >= 3:
                assert name and regions == 1 and ecosystems == 1, token
            if status == "submitted":
                assert last_step >= 3 and reference and at and consent and events == 1, token
            else:
                assert status == "draft" and reference is None and events == 0, token
        stored = {row[0] for row in submitted_rows}
        assert set(submitted) <= stored  # every 2xx final answer was stored
        year = timezone.localdate().year
        references = sorted(row[3] for row in submitted_rows)
        assert references == [f"EOI-{year}-{n:04d}" for n in range(1, len(references) + 1)]
        assert rows(database, "SELECT last_number FROM support_services_eoireferencecounter")[0][0] == len(
            references
        )
    finally:
        server.stop()
