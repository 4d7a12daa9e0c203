from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from tqdm import tqdm

from commitments import demo as commitments_demo
from commitments.models import Declaration
from partnerships import demo as partnerships_demo
from partnerships.models import Membership, Organisation, Partnership
from support_services import demo as support_services_demo
from support_services.models import ExpressionOfInterest, Resource


class Command(BaseCommand):
    help = (
        "Load the demo registry: the real Pact for Skills partnerships with their leads, pledges and "
        "demo member organisations. Idempotent: running it again changes nothing."
    )

    # The project package seeds every app in dependency order (partnerships ← commitments ← support_services),
    # so no app has to know about the ones that build on it.
    def handle(self, *args, **options):
        show_bar = options["verbosity"] > 0
        # Demo people do not exist: whatever the services would e-mail them goes nowhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.seed(show_bar)

    def seed(self, show_bar):
        with transaction.atomic():
            partnerships_demo.seed_demo(
                progress=lambda rows: tqdm(rows, desc="Partnerships", unit="", disable=not show_bar)
            )
            commitments_demo.seed_demo(
                progress=lambda rows: tqdm(rows, desc="Declarations", unit="", disable=not show_bar)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo registry: {Partnership.objects.count()} partnerships, "
                f"{Organisation.objects.count()} organisations, {Membership.objects.count()} memberships, "
                f"{Declaration.objects.filter(status='signed').count()} signed declarations."
            )
        )
        support_services_demo.seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo expressions of interest: {ExpressionOfInterest.objects.filter(is_demo=True).count()}; "
                f"resources: {Resource.objects.count()}."
            )
        )
