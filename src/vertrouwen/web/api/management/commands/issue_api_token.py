"""`vertrouwen manage issue_api_token USERNAME`: a new API token for the link's system account, printed once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from vertrouwen.web.api.tokens import DEFAULT_VALID_DAYS, TokenRefused, issue_token
from vertrouwen.web.audit.context import acting
from vertrouwen.web.registry.models import Municipality


class Command(BaseCommand):
    help = ("Issue an API token for a system account with the role koppeling and print it once. Earlier tokens of "
            "the account are revoked, unless --keep-others.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--municipality", help="CBS code of the municipality the token delivers for; needed "
                                                   "only when the database holds more than one")
        parser.add_argument("--days", type=int, default=DEFAULT_VALID_DAYS,
                            help=f"how many days the token is valid (default {DEFAULT_VALID_DAYS})")
        parser.add_argument("--keep-others", action="store_true",
                            help="keep the account's earlier tokens valid, to switch over without a gap")

    def handle(self, *args, username, municipality, days, keep_others, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Er is geen account {username}.")
        try:
            with acting("systeem:issue_api_token", "opdrachtregel"):
                issued = issue_token(user, municipality=_municipality(municipality), valid_days=days,
                                     keep_others=keep_others, actor=None)
        except TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(issued.token)
        self.stderr.write(f"API-token voor {username} ({issued.record.municipality.name}), geldig tot en met "
                          f"{issued.record.expires_at:%Y-%m-%d}. Dit is de enige keer dat het token wordt getoond: "
                          f"bewaar het in de kluis van de koppeling.")


def _municipality(code: str | None) -> Municipality:
    if code:
        found = Municipality.objects.filter(code=code).first()
        if found is None:
            raise CommandError(f"Er is geen gemeente met code {code}.")
        return found
    municipalities = list(Municipality.objects.order_by("code")[:2])
    if len(municipalities) != 1:
        raise CommandError("Geef met --municipality de code van de gemeente: de database heeft "
                           + ("er geen." if not municipalities else "er meer dan een."))
    return municipalities[0]
