"""Two real gunicorn servers behind no proxy, sharing one PostgreSQL database and one Redis: what a load
balancer in front of N web processes relies on.

- a rate limit counts across servers (requests alternating between A and B hit it at the same total);
- a session opened by signing in on A is valid on B, and signing out on B ends it on A;
- a write on A is visible on B, and a public page B serves from the shared cache shows a change made on A.

The servers cannot see the pytest test database's uncommitted transactions, so the module builds its own
database (named after the test database), migrates it, serves it, and drops it at the end.
"""

import http.client
import itertools
import os
import re
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.load.servers import gunicorn_command
from tests.support_services.journey import STEP1

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "two-servers-staff-password-0123"
RATE_LIMIT = 5
ADDRESSES = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Servers on ports and databases of their own: all on one xdist worker (tests/conftest.py).
pytestmark = [pytest.mark.slow, pytest.mark.postgresql_only, pytest.mark.xdist_group("servers")]


class Client:
    """One visitor: its own cookies (sent to whichever server it talks to), no redirects followed."""

    def __init__(self, address=None):
        self.cookies = {}
        number = next(ADDRESSES)
        self.address = address or f"10.0.{number // 250}.{number % 250 + 1}"  # its own rate-limit counters
        self.csrf = None

    def request(self, server, method, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True) if data is not None else None
        headers = {"X-Real-IP": self.address}  # the servers trust it (CLIENT_IP_HEADER): one client each
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            html = response.read().decode()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ("", '""') or "max-age=0" in value.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        found = CSRF.search(html)
        if found:
            self.csrf = found.group(1)
        return response.status, response.getheader("Location", ""), html

    def get(self, server, path):
        return self.request(server, "GET", path)

    def post(self, server, path, data):
        return self.request(server, "POST", path, {**data, "csrfmiddlewaretoken": self.csrf})


class Server:
    def __init__(self, name, port, process):
        self.name, self.port, self.process = name, port, process

    def __repr__(self):
        return f"server {self.name} on port {self.port}"


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_ready(server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server} exited with {server.process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    pytest.fail(f"{server} did not answer /healthz within {seconds} s")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, django_db_blocker):
    """Servers A and B (gunicorn) on a fresh, migrated PostgreSQL database and a shared Redis."""
    tmp = tmp_path_factory.mktemp("two-servers")
    db = connection.settings_dict
    name = f"{db['TEST'].get('NAME') or 'test_' + db['NAME']}_servers_{os.getpid()}"[:63]
    credentials = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    if db["PASSWORD"]:
        credentials["password"] = db["PASSWORD"]
    auth = urllib.parse.quote(db["USER"] or "") + (
        ":" + urllib.parse.quote(db["PASSWORD"]) if db["PASSWORD"] else ""
    )
    database_url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"

    def admin_sql(statement):
        admin = psycopg2.connect(dbname="postgres", **credentials)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(statement)
        finally:
            admin.close()

    # The suite's Redis (its database number) with a key prefix of this run's own: keys of the servers
    # never mix with the suite's, and the prefix's keys are deleted at the end.
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"two-servers-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "DEBUG": "0",
        "SECRET_KEY": "two-servers-test-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: cookies without the Secure flag, no HTTPS redirect, no HSTS.
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "BEHIND_HTTPS_PROXY": "0",
        "PUBLIC_PAGE_CACHE_SECONDS": "300",
        # One window far longer than the test, so it cannot roll over in the middle.
        "RATE_LIMIT_EOI_SUBMISSIONS": f"{RATE_LIMIT}/1000000000",
        "RATE_LIMIT_EOI_STEPS": "100000/3600",
        "RATE_LIMIT_EOI_MAILS": "100000/3600",
        "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "DECLARATION_SIGNING_CERT": str(tmp / "cert.pem"),
        "DECLARATION_SIGNING_KEY": str(tmp / "key.pem"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_REPLICA_URLS", None)
    servers = []
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f'CREATE DATABASE "{name}"')
    try:
        manage(env, "migrate", "--no-input", "-v0")  # the reference data (regions, ecosystems) comes with it
        manage(env, "collectstatic", "--no-input", "-v0")
        staff_env = {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
        manage(staff_env, "createsuperuser", "--no-input", "--username", "staff", "--email", "s@example.eu")
        for label in ("A", "B"):
            port = free_port()
            process = subprocess.Popen(
                gunicorn_command(port, workers=1, threads=4, timeout=120),
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            servers.append(Server(label, port, process))
        for server in servers:
            wait_until_ready(server)

        class Cluster:
            a, b = servers
            database = {"dbname": name, **credentials}

        yield Cluster
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=30)
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def sql(cluster, statement, params=()):
    database = psycopg2.connect(**cluster.database)
    try:
        with database, database.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else None
    finally:
        database.close()


def start_application(client, server):
    """Step 1 of the Expression of Interest wizard: one counted submission."""
    status, _location, _html = client.get(server, "/expression-of-interest/")
    assert status == 200
    return client.post(server, "/expression-of-interest/", {**STEP1, "idempotency_key": uuid.uuid4().hex})


def test_a_rate_limit_counts_across_both_servers(cluster):
    alternating = Client()
    statuses = []
    for i in range(RATE_LIMIT + 2):
        server = cluster.a if i % 2 == 0 else cluster.b
        status, location, _html = start_application(alternating, server)
        statuses.append((server.name, status))
        if status == 302:
            assert "?step=2" in location
    assert statuses == [
        ("A", 302),
        ("B", 302),
        ("A", 302),
        ("B", 302),
        ("A", 302),
        ("B", 429),  # the 6th submission of this client, though only its 3rd on B
        ("A", 429),
    ]

    # One server alone refuses at the same total.
    alone = Client()
    alone_statuses = [start_application(alone, cluster.a)[0] for _ in range(RATE_LIMIT + 1)]
    assert alone_statuses == [302] * RATE_LIMIT + [429]


def test_a_session_from_server_a_is_valid_on_b_and_signing_out_on_b_ends_it_on_a(cluster):
    staff = Client()
    status, _location, _html = staff.get(cluster.a, "/admin/login/?next=/admin/")
    assert status == 200
    status, location, _html = staff.post(
        cluster.a,
        "/admin/login/?next=/admin/",
        {"username": "staff", "password": PASSWORD, "next": "/admin/"},
    )
    assert (status, location) == (302, "/admin/")
    assert "sessionid" in staff.cookies

    # Only the cookies from A, sent to B.
    status, _location, html = staff.get(cluster.b, "/admin/")
    assert status == 200
    assert "Log out" in html and "staff" in html

    session_key = staff.cookies["sessionid"]
    assert staff.get(cluster.a, "/admin/")[0] == 200

    status, location, _html = staff.post(cluster.b, "/admin/logout/", {})
    assert (status, location) == (302, "/")  # LOGOUT_REDIRECT_URL
    assert "sessionid" not in staff.cookies
    assert sql(cluster, "SELECT COUNT(*) FROM django_session WHERE session_key = %s", [session_key]) == [(0,)]

    # The old cookie, replayed on A, opens nothing.
    replay = Client(staff.address)
    replay.cookies = {"sessionid": session_key}
    status, location, _html = replay.get(cluster.a, "/admin/")
    assert status == 302 and location.startswith("/admin/login/")


def sign_in(server):
    staff = Client()
    staff.get(server, "/admin/login/")
    status, _location, _html = staff.post(
        server, "/admin/login/", {"username": "staff", "password": PASSWORD, "next": "/admin/"}
    )
    assert status == 302
    return staff


def test_an_application_started_on_a_is_read_on_b(cluster):
    applicant = Client()
    status, location, _html = start_application(applicant, cluster.a)
    assert status == 302
    assert location.endswith("?step=2")
    # Step 1 of the draft, read back from B: the answers saved through A.
    status, _location, html = applicant.get(cluster.b, location.replace("?step=2", "?step=1"))
    assert status == 200
    assert f'value="{STEP1["organisation_name"]}"' in html


def test_a_page_cached_on_b_shows_a_change_made_on_a(cluster):
    slug = f"scale-{uuid.uuid4().hex[:8]}"
    sql(
        cluster,
        "INSERT INTO partnerships_ecosystem (slug, name) VALUES (%s, %s)",
        [slug, f"Ecosystem {slug}"],
    )
    pk = sql(cluster, "SELECT id FROM partnerships_ecosystem WHERE slug = %s", [slug])[0][0]
    page = f"/ecosystems/{slug}/"
    visitor = Client()

    status, _location, html = visitor.get(cluster.b, page)
    assert status == 200 and f"Ecosystem {slug}" in html
    # Changed behind the portal's back (no registry version bump): B keeps serving its cached copy,
    # which proves the page comes from the shared cache.
    sql(cluster, "UPDATE partnerships_ecosystem SET name = %s WHERE id = %s", [f"Unseen {slug}", pk])
    status, _location, html = visitor.get(cluster.b, page)
    assert status == 200 and f"Ecosystem {slug}" in html and f"Unseen {slug}" not in html

    # Renamed through the admin on A: the save bumps the registry version in Redis, so B rebuilds the page.
    staff = sign_in(cluster.a)
    change = f"/admin/partnerships/ecosystem/{pk}/change/"
    assert staff.get(cluster.a, change)[0] == 200
    status, _location, _html = staff.post(
        cluster.a, change, {"name": f"Renamed on A {slug}", "slug": slug, "_save": "Save"}
    )
    assert status == 302
    status, _location, html = visitor.get(cluster.b, page)
    assert status == 200 and f"Renamed on A {slug}" in html
    # And the signed-in staff member sees it on B's admin too.
    status, _location, html = staff.get(cluster.b, f"/admin/partnerships/ecosystem/?q={slug}")
    assert status == 200 and f"Renamed on A {slug}" in html
