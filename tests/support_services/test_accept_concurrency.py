"""Two Expressions of Interest from the same new organisation accepted at the same moment: both are
accepted and share one organisation record (no IntegrityError on the unique (normalised name, country))."""

import threading
from unittest import mock

import pytest
from django.db import connection

from partnerships import services as registry
from partnerships.models import Organisation
from support_services import services
from support_services.models import EoiStatus
from tests import reference_data  # noqa: F401  (reference data survives the flushes)
from tests.partnerships.builders import make_staff
from tests.support_services.builders import make_eoi_submitted

NEW_ORGANISATION = "Instituto Técnico de Prueba Concurrente"


def two_applications(staff):
    eois = []
    for n in (1, 2):
        eoi = make_eoi_submitted(
            organisation_name=NEW_ORGANISATION if n == 1 else f"  {NEW_ORGANISATION.upper()} ",
            organisation_country="ES",
            organisation_region="ES30",
            contact={"contact_email": f"applicant-{n}@example.es"},
            proposal={"partnership_name": f"Concurrent Skills Partnership {n}"},
        )
        eois.append(services.eoi_start_assessment(eoi=eoi, by=staff))
    return eois


@pytest.mark.django_db
def test_an_organisation_committed_after_the_look_up_is_reused(django_user_model):
    """The race replayed step by step: the look-up misses a row another transaction has just committed."""
    staff = make_staff()
    first, second = two_applications(staff)
    services.eoi_accept(eoi=first, by=staff)
    original = registry.organisation_find
    calls = []

    def stale_once(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else original(**kwargs)

    with mock.patch.object(registry, "organisation_find", side_effect=stale_once):
        accepted = services.eoi_accept(eoi=second, by=staff)
    first.refresh_from_db()
    assert accepted.status == EoiStatus.ACCEPTED
    assert accepted.organisation == first.organisation
    assert Organisation.objects.filter(normalised_name=first.organisation.normalised_name).count() == 1


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_accepts_creating_the_same_organisation_in_parallel(django_user_model):
    """Real parallel transactions: both look-ups miss before either inserts; the second insert waits for
    the first commit, fails on the unique constraint inside its savepoint and finds the new row."""
    staff = make_staff()
    eois = two_applications(staff)
    original = registry.organisation_find
    barrier = threading.Barrier(2, timeout=20)
    local = threading.local()

    def find_then_meet(**kwargs):
        found = original(**kwargs)
        if found is None and not getattr(local, "met", False):
            local.met = True
            barrier.wait()  # both transactions have looked and found nothing
        return found

    results, errors = {}, []

    def accept(eoi):
        try:
            results[eoi.pk] = services.eoi_accept(eoi=eoi, by=staff)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    with mock.patch.object(registry, "organisation_find", side_effect=find_then_meet):
        threads = [threading.Thread(target=accept, args=(eoi,)) for eoi in eois]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    accepted = list(results.values())
    assert [a.status for a in accepted] == [EoiStatus.ACCEPTED, EoiStatus.ACCEPTED]
    assert accepted[0].organisation_id == accepted[1].organisation_id
    assert Organisation.objects.filter(name__iexact=NEW_ORGANISATION).count() == 1
