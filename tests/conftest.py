import pytest

from commitments.signing import create_self_signed_certificate
from partnerships.demo import seed_demo


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
    """The demo registry as `manage.py seed_demo` builds it."""
    seed_demo()


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
