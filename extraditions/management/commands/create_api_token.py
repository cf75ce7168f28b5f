"""python manage.py create_api_token USERNAME --name "what it is for" [--days N]

Issues an API token to a member of staff and prints it, once: only its hash is kept
(extraditions/tokens.py). Revoke tokens in the staff workspace (API tokens › Revoke selected).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from extraditions.tokens import DEFAULT_DAYS, MAX_DAYS, issue_token


class Command(BaseCommand):
    help = "Issue an API token to a member of staff and print it (it cannot be shown again)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'nightly import'.")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"How long it lasts (1 to {MAX_DAYS}; default {DEFAULT_DAYS}).")

    def handle(self, *args, username, name, days, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        try:
            token, secret = issue_token(user, name, days)
        except ValidationError as error:
            raise CommandError(" ".join(message for messages in error.message_dict.values() for message in messages)) from None
        self.stdout.write(secret)
        self.stderr.write(
            f"Token {token.prefix}… “{token.name}” for {username}, valid until {token.expires_at:%Y-%m-%d %H:%M} UTC. "
            "Copy it now: it cannot be shown again."
        )
