import pytest
from django.core.cache import cache

from support_services import services
from support_services.models import EoiStatus
from tests import reference_data  # noqa: F401  (reference data survives the flushes)
from tests.support_services.builders import make_draft, make_staff, make_submitted


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(django_user_model):
    return make_staff(django_user_model)


@pytest.fixture
def make_in_status(staff):
    """An application brought into ``status`` through the services, as in real life."""

    def build(status, **kwargs):
        if status == EoiStatus.DRAFT:
            return make_draft(**kwargs)
        eoi = make_submitted(**kwargs)
        if status == EoiStatus.SUBMITTED:
            return eoi
        if status == EoiStatus.WITHDRAWN:
            return services.eoi_withdraw(eoi=eoi, reason="Changed our plans")
        eoi = services.eoi_start_assessment(eoi=eoi, by=staff)
        if status == EoiStatus.UNDER_ASSESSMENT:
            return eoi
        if status == EoiStatus.INFORMATION_REQUESTED:
            return services.eoi_request_information(eoi=eoi, by=staff, message="Which schools take part?")
        if status == EoiStatus.ACCEPTED:
            return services.eoi_accept(eoi=eoi, by=staff)
        if status == EoiStatus.DECLINED:
            return services.eoi_decline(eoi=eoi, by=staff, reason="Outside the Pact's scope")
        raise AssertionError(status)

    return build


# Concurrency tests need a real database server for the live server's threads (PostgreSQL), or a separate
# server process on a file database (SQLite). Each runs only on its own backend: deselected, never skipped.
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
    return (
        f"support_services concurrency tests for: {'PostgreSQL' if 'postgresql' in _engine() else 'SQLite'}"
    )
