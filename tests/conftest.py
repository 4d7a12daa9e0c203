import pytest

from partnerships.demo import seed_demo
from partnerships.models import Partnership
from tests import reference_data  # noqa: F401  (reloads NUTS regions and ecosystems after a flush)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo registry once per test database; each test's transaction is rolled back over it."""
    with django_db_blocker.unblock():
        seed_demo()


@pytest.fixture
def demo_registry(db):
    """The demo registry as `manage.py seed_demo` builds it (re-seeded after a transactional test's flush)."""
    if not Partnership.objects.filter(slug="lombardy-rsp").exists():
        seed_demo()
