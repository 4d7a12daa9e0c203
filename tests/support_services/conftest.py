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
