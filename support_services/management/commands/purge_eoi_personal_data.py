from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.services import join_request_purge_declined
from support_services.services.applications import eoi_purge_personal_data
from support_services.services.newsletter import newsletter_purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Erase the personal data of declined and withdrawn Expressions of Interest, and delete expired drafts, "
        "once EOI_RETENTION_DAYS have passed, and declined requests to join a partnership with them; delete "
        "newsletter subscriptions left unconfirmed past "
        "NEWSLETTER_CONFIRM_DAYS. Run it daily (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retention-days",
            type=int,
            default=None,
            help=f"Override EOI_RETENTION_DAYS (now {settings.EOI_RETENTION_DAYS}).",
        )

    def handle(self, *args, retention_days=None, **options):
        anonymised, deleted = eoi_purge_personal_data(retention_days=retention_days)
        declined = join_request_purge_declined(retention_days=retention_days)
        unconfirmed = newsletter_purge_unconfirmed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Personal data erased from {anonymised} applications; {deleted} expired drafts deleted; "
                f"{declined} declined requests to join deleted; "
                f"{unconfirmed} unconfirmed newsletter subscriptions deleted."
            )
        )
