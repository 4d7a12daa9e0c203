import pytest


# The two-server test needs PostgreSQL (two gunicorn servers share one database server): on SQLite it is
# deselected, never skipped, as the concurrency tests are (tests/support_services/conftest.py).
def _on_postgresql():
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql_only: needs PostgreSQL (parallel live-server requests)")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if _on_postgresql():
        return
    dropped = [item for item in items if item.get_closest_marker("postgresql_only")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql_only")]
