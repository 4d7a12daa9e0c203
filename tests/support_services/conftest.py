import pytest

from support_services.checklist import checklist_seed
from support_services.models import ChecklistItem
from tests import reference_data  # noqa: F401  (reference data survives the flushes)
from tests.support_services.builders import make_eoi_in_status


@pytest.fixture
def make_in_status(staff):
    """make_in_status(status, **draft_fields) -> an application in ``status``, moved there by ``staff``."""

    def build(status, **kwargs):
        return make_eoi_in_status(status, staff=staff, **kwargs)

    return build


@pytest.fixture
def checklist(db):
    """The seeded stage checklists (a browser test's flush empties every table: seed them again then)."""
    checklist_seed(ChecklistItem)
