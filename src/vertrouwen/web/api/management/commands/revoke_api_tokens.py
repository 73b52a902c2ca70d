"""`vertrouwen manage revoke_api_tokens USERNAME`: every valid API token of the account stops working at once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from vertrouwen.web.api.tokens import revoke_tokens
from vertrouwen.web.audit.context import acting


class Command(BaseCommand):
    help = "Revoke every valid API token of an account."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Er is geen account {username}.")
        with acting("systeem:revoke_api_tokens", "opdrachtregel"):
            revoked = revoke_tokens(user, actor=None)
        self.stdout.write(f"{revoked} API-token(s) van {username} ingetrokken.")
