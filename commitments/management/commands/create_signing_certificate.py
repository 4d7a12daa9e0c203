from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commitments.signing import create_self_signed_certificate


class Command(BaseCommand):
    help = (
        "Create a self-signed DEVELOPMENT certificate and key for signing declaration PDFs, at the paths in "
        "DECLARATION_SIGNING_CERT and DECLARATION_SIGNING_KEY. Production uses a real certificate (README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Replace existing files.")

    def handle(self, *args, force=False, **options):
        cert, key = settings.DECLARATION_SIGNING_CERT, settings.DECLARATION_SIGNING_KEY
        if not cert or not key:
            raise CommandError("Set DECLARATION_SIGNING_CERT and DECLARATION_SIGNING_KEY first.")
        from pathlib import Path

        if Path(cert).exists() and not force:
            raise CommandError(f"{cert} exists; use --force to replace it.")
        create_self_signed_certificate(cert_path=cert, key_path=key)
        self.stdout.write(self.style.SUCCESS(f"Development certificate written to {cert} (key: {key})."))
