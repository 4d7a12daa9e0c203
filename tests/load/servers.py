"""Real servers for the load and fault tests: gunicorn on its own committed database, and a private
PostgreSQL cluster that a test may stop and start (never the shared one).

The servers run with DEBUG off, as in production, so errors reach the portal's own error pages
(tests/load/server_settings.py).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg2
from django.conf import settings

from tests.support_services.http import CSRF, Browser
from tests.support_services.journey import apply_until_review

ROOT = Path(__file__).resolve().parents[2]
# Ports of the servers these tests start (gunicorn, the private PostgreSQL cluster).
PORTS = range(18200, 18300)


def free_port():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18200-18299")


def server_environment(database_url, **extra):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "load-test-only-not-a-production-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # Every client comes from 127.0.0.1: the per-address limits must allow the whole load.
        "RATE_LIMIT_EOI_SUBMISSIONS": "100000/3600",
        "RATE_LIMIT_EOI_STEPS": "100000/3600",
        "RATE_LIMIT_EOI_MAILS": "100000/3600",
        "SECURE_COOKIES": "0",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "tests.load.server_settings",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300)


def gunicorn_command(port, *, workers, threads, timeout):
    """The portal under gunicorn on 127.0.0.1:``port``, as the load and scale tests start it."""
    options = f"--bind 127.0.0.1:{port} --workers {workers} --threads {threads} --timeout {timeout}"
    return [sys.executable, "-m", "gunicorn", "pact_portal.wsgi", *options.split()]


class Gunicorn:
    def __init__(self, env, workers=2, threads=8, timeout=30):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                *gunicorn_command(self.port, workers=workers, threads=threads, timeout=timeout),
                "--backlog",
                "256",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.output()}")
            if health(self.url) == 200:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start:\n{self.output()}")

    def output(self):
        return Path(self.log.name).read_text(errors="replace")[-5000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        os.unlink(self.log.name)


def health(url, timeout=5):
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


# --- PostgreSQL ------------------------------------------------------------------------------------


def shared_server_url(name):
    """A database URL on the PostgreSQL server the test run uses, for a database of our own."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def connect(url):
    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


def create_database(url):
    base, name = url.rsplit("/", 1)
    admin = connect(base + "/postgres")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(url):
    base, name = url.rsplit("/", 1)
    admin = connect(base + "/postgres")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def postgresql_binaries():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3]))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise RuntimeError("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")


class PrivateCluster:
    """A throwaway PostgreSQL cluster on a port of its own. initdb refuses to run as root: as root, the
    cluster belongs to the `postgres` OS user."""

    def __init__(self):
        self.bin = postgresql_binaries()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="pact-pg-"))
        self.data, self.sockets, self.logfile = (
            self.root / "data",
            self.root / "sockets",
            self.root / "server.log",
        )
        self.sockets.mkdir()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        self.start()

    def _run(self, program, *args):
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c full_page_writes=off -c max_connections=60"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-o", options, "-w", "-t", "60", "start"
        )

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


# --- Clients ---------------------------------------------------------------------------------------


class Recorder:
    """Every request any client made: (started, seconds, method, path, status, body)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []

    def add(self, *row):
        with self.lock:
            self.requests.append(row)

    def statuses(self):
        return [row[4] for row in self.requests]


class RecordingBrowser(Browser):
    def __init__(self, base_url, recorder, timeout=60):
        super().__init__(base_url)
        self.recorder = recorder
        self.timeout = timeout

    def _open(self, request):
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, url, html = response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            status, url, html = error.code, error.url, error.read().decode()
        except OSError as error:  # the connection failed or timed out: recorded as status None
            self.recorder.add(
                started, time.monotonic() - started, request.get_method(), request.full_url, None, str(error)
            )
            raise
        self.recorder.add(
            started, time.monotonic() - started, request.get_method(), request.full_url, status, html
        )
        self.url = url
        found = CSRF.search(html)
        if found:
            self.csrf = found.group(1)
        return status, url.removeprefix(self.base_url), html


def submit_one(browser, key, ecosystem_pk):
    """One applicant's whole journey through the four steps; returns (status, url, secret link) of the submit."""
    link = apply_until_review(browser, key, ecosystem_pk)  # ends on the review page, its CSRF token read
    status, url, _html = browser.post(link + "?step=4", {"consent": "on"})
    return status, url, link


def submit_concurrently(server, recorder, ecosystem_pk, *, clients, each, key, together=False):
    """``clients`` threads, each submitting ``each`` applications with a browser of its own; returns the
    (status, url, secret link) of every submit, once every thread finished and none raised. ``together``:
    the threads wait for each other and start at the same moment."""
    barrier = threading.Barrier(clients, timeout=120) if together else None
    finals, errors, lock = [], [], threading.Lock()

    def client(number):
        try:
            if barrier is not None:
                barrier.wait()
            for i in range(each):
                browser = RecordingBrowser(server.url, recorder)
                result = submit_one(browser, f"{key}-{number}-{i}-{uuid.uuid4().hex}", ecosystem_pk)
                with lock:
                    finals.append(result)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a client never finished"
    assert not errors, errors[0]
    return finals


def rows(url, sql, *params):
    connection = connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()
