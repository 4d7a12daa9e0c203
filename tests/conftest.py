import pytest

from partnerships.demo import seed_demo


@pytest.fixture
def demo_registry(db):
    """The demo registry as `manage.py seed_demo` builds it."""
    seed_demo()
