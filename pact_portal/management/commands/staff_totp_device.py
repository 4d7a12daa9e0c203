"""Give a staff account an authenticator app (TOTP) for the admin's two-factor login (STAFF_REQUIRE_2FA).

    manage.py staff_totp_device USERNAME [--name NAME] [--svg qr.svg]

Prints the otpauth:// provisioning address and, with --svg, writes it as a QR code to scan with the app.
Treat both as a password: hand them to the person only, then delete the file.
"""

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a TOTP device (authenticator app) for a staff account and show its provisioning QR code."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="a label for the device")
        parser.add_argument("--svg", help="write the provisioning QR code to this SVG file")

    def handle(self, *args, username, name, svg, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account with the username {username!r}.") from None
        if not user.is_staff:
            raise CommandError(f"{username!r} is not a staff account.")
        # One authenticator per account (a new phone replaces the old one): the login forms use the single
        # device without asking which, and a lost phone's codes stop working here.
        replaced, _by_model = TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        if replaced:
            self.stdout.write(f"Replaced {replaced} earlier device(s) of {username}.")
        if svg:
            segno.make(device.config_url, error="m").save(svg, kind="svg", scale=4, title="TOTP provisioning")
            self.stdout.write(f"QR code written to {svg}")
        self.stdout.write(device.config_url)
