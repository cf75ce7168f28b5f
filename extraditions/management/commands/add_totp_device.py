"""python manage.py add_totp_device USERNAME: give a staff member an authenticator (TOTP).

Prints the otpauth:// link to enter in an authenticator app (or scan, rendered as a QR code in
the terminal with --qr). Administrators cannot open the staff workspace without one.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a confirmed TOTP authenticator for a staff member and print its setup link."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="A name for the device.")
        parser.add_argument("--qr", action="store_true", help="Also draw the link as a QR code.")

    def handle(self, *args, username, name, qr, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(f"Enter this link in {username}'s authenticator app:\n{device.config_url}")
        if qr:
            import qrcode

            code = qrcode.QRCode()
            code.add_data(device.config_url)
            code.print_ascii(out=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{username} now logs in with a code from device {name!r}."))
