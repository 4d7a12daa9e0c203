from django.core.management.base import BaseCommand
from django.db import transaction

from partnerships.models import Ecosystem, Region, RegionBoundary
from partnerships.reference_data import load_ecosystems, load_regions


class Command(BaseCommand):
    help = "Load or refresh the industrial ecosystems and the NUTS 2024 regions from partnerships/data."

    def handle(self, *args, **options):
        with transaction.atomic():
            ecosystems = load_ecosystems(Ecosystem)
            regions = load_regions(Region, RegionBoundary)
        self.stdout.write(self.style.SUCCESS(f"{ecosystems} ecosystems, {regions} regions."))
