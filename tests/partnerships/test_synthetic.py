import pytest
from django.core.management import call_command

from partnerships.models import Membership, Organisation, Partnership

pytestmark = pytest.mark.django_db


def test_generator_writes_the_requested_registry_and_replaces_it_on_rerun(demo_registry):
    real = Partnership.objects.count()
    args = ["--partnerships", "40", "--organisations", "120", "--memberships", "400", "--verbosity", "0"]
    call_command("generate_registry", *args)
    call_command("generate_registry", *args)
    synthetic = Partnership.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 40 and Partnership.objects.count() == real + 40
    assert Organisation.objects.filter(slug__startswith="synthetic-").count() == 120
    assert Membership.objects.filter(partnership__in=synthetic).count() == 400
    assert not Organisation.objects.filter(slug__startswith="synthetic-", is_demo=False).exists()
    assert all(p.name.startswith("Synthetic ") for p in synthetic)
    # RSPs have regions, LSPs are EU-wide, every partnership has a stage history.
    assert not synthetic.filter(kind="rsp", regions__isnull=True).exists()
    assert not synthetic.filter(stage_changes__isnull=True).exists()

    call_command("generate_registry", "--clear", "--verbosity", "0")
    assert Partnership.objects.count() == real
    assert not Organisation.objects.filter(slug__startswith="synthetic-").exists()
