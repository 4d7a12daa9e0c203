"""Fixtures every test may use: the seeded demo registry, users by role, query counting, and state that would
outlive a test (the cache, with the rate-limit counters and cached pages) reset around each one."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from commitments.signing import create_self_signed_certificate
from partnerships.demo import seed_demo
from partnerships.models import Partnership
from tests import reference_data as _reload_after_flush  # noqa: F401  (NUTS regions and ecosystems after a flush)
from tests.partnerships.builders import make_coordinator, make_staff


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo registry once per test database; each test's transaction is rolled back over it."""
    with django_db_blocker.unblock():
        seed_demo()


@pytest.fixture
def reference_data(db):
    """NUTS regions and ecosystems. A data migration loads them, but a browser test (transactional)
    flushes every table when it ends, so the next one may find them gone: load them again then."""
    from partnerships.models import Ecosystem, Region, RegionBoundary
    from partnerships.reference_data import load_ecosystems, load_regions

    if not Region.objects.exists() or not Ecosystem.objects.exists():
        load_ecosystems(Ecosystem)
        load_regions(Region, RegionBoundary)


@pytest.fixture
def demo_registry(reference_data):
    """The demo registry as `manage.py seed_demo` builds it (re-seeded after a transactional test's flush)."""
    if not Partnership.objects.filter(slug="lombardy-rsp").exists():
        seed_demo()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, whatever the previous test of this worker activated."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counter, cached page or lock left by another test
    (with Redis, the xdist worker's own database: see tests/settings.py)."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


# --- Users by role (builders in tests/partnerships/builders.py; pytest-django has admin_user, admin_client) ----


@pytest.fixture
def staff(db):
    """A support-services staff member with the permissions of the portal's apps."""
    return make_staff(username="staff")


@pytest.fixture
def staff_device(settings, staff):
    """The staff member's confirmed authenticator app, with the one-time code required of staff."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.STAFF_REQUIRE_2FA = True
    return TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)


@pytest.fixture
def coordinator_of(db):
    """coordinator_of(partnership) -> a new user who coordinates it."""
    return make_coordinator


@pytest.fixture
def coordinator_a(partnership_a):
    """Ana, coordinator of ``partnership_a``: a fixture the test module declares (what the partnership holds
    depends on what the module tests)."""
    return make_coordinator(partnership_a, username="ana@alpine.example.org")


@pytest.fixture
def coordinator_b(partnership_b):
    """Bo, coordinator of the module's ``partnership_b``, who must never see partnership A's records."""
    return make_coordinator(partnership_b, username="bo@baltic.example.org")


@pytest.fixture
def staff_client(client, staff):
    """The test client, logged in as ``staff``."""
    client.force_login(staff)
    return client


# --- Query counting -----------------------------------------------------------------------------------


@pytest.fixture
def count_queries():
    """count_queries(client, url) -> how many queries a GET of ``url`` runs (the whole body, streamed or not),
    asserting it answers ``status`` (200); count_queries(function) -> how many queries ``function()`` runs.
    Query-count tests measure a page with a few rows and with many, and compare."""

    def count(client_or_function, url=None, *, status=200):
        with CaptureQueriesContext(connection) as captured:
            if url is None:
                client_or_function()
            else:
                response = client_or_function.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
        if url is not None:
            assert response.status_code == status, (url, response.status_code)
        return len(captured)

    return count


@pytest.fixture(scope="session")
def signing_certificate(tmp_path_factory):
    """A throwaway self-signed certificate for this test run (never the development one)."""
    folder = tmp_path_factory.mktemp("signing")
    cert, key = folder / "cert.pem", folder / "key.pem"
    create_self_signed_certificate(cert_path=cert, key_path=key, common_name="Pact portal test signer")
    return cert, key


@pytest.fixture(autouse=True)
def _signed_files_in_a_temporary_place(settings, signing_certificate, tmp_path):
    """Signed PDFs and scans go to a temporary MEDIA_ROOT, signed with the test certificate."""
    settings.DECLARATION_SIGNING_CERT = str(signing_certificate[0])
    settings.DECLARATION_SIGNING_KEY = str(signing_certificate[1])
    settings.MEDIA_ROOT = tmp_path / "media"


# Concurrency, load and fault tests need a real database server (PostgreSQL), or a separate server process on a
# file database (SQLite). Each runs only on its own backend: deselected, never skipped. The modules that start
# servers (gunicorn, a private PostgreSQL cluster) are marked xdist_group("servers"): with `--dist loadgroup`
# (make test) they run one after another on one worker, never competing for ports.
def _engine():
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"]


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql_only: needs PostgreSQL (parallel live-server requests)")
    config.addinivalue_line("markers", "sqlite_only: the SQLite counterpart of a postgresql_only test")


def pytest_collection_modifyitems(config, items):
    on_postgresql = "postgresql" in _engine()
    unwanted = "sqlite_only" if on_postgresql else "postgresql_only"
    dropped = [item for item in items if item.get_closest_marker(unwanted)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker(unwanted)]


def pytest_report_header(config):
    return f"concurrency, load and fault tests for: {'PostgreSQL' if 'postgresql' in _engine() else 'SQLite'}"
