"""Keep the reference data (ecosystems, NUTS regions) through transactional tests.

Migrations load the reference data; a transactional test (live server, browser) ends with a flush that
empties every table, so the next such test would find no regions. The flush emits ``post_migrate``:
reload the reference data then, when it is missing. Imported by the test modules that use transactions.
"""

from django.db.models.signals import post_migrate


def reload_reference_data(sender, using="default", **kwargs):
    if sender.name != "partnerships":
        return
    from partnerships.models import Ecosystem, Region, RegionBoundary
    from partnerships.reference_data import load_ecosystems, load_regions

    if Region.objects.using(using).exists():
        return
    load_ecosystems(Ecosystem)
    load_regions(Region, RegionBoundary)


post_migrate.connect(reload_reference_data, dispatch_uid="tests-reload-reference-data")
