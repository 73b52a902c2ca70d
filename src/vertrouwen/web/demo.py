"""The demo municipality Voorbeeldstad: a database filled with a synthetic municipality, and its server.

The demo only ever works on a database that holds nothing but Voorbeeldstad: it creates accounts with a
published password and its reset empties the database, so it refuses a database with a real municipality.
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from vertrouwen.core.dataset import write_dataset
from vertrouwen.core.simulation import VOORBEELDSTAD, generate
from vertrouwen.web.accounts.services import ensure_demo_users
from vertrouwen.web.registry.models import Experiment, Municipality
from vertrouwen.web.registry.services import import_dataset

SEED = 2017


class DemoRefused(Exception):
    """The database is not a demo database."""


def prepare_demo(*, size: str = "S", reset: bool = False) -> None:
    _refuse_real_municipalities()
    if reset:
        _empty_database()
    call_command("migrate", interactive=False, verbosity=0)
    if Experiment.objects.exists():
        print("De demodatabase bestaat al en wordt hergebruikt (opnieuw beginnen: make demo-reset).")
    else:
        folder = settings.PROJECT_DIR / "var" / f"voorbeeldstad-{size}"
        print(f"Voorbeeldstad wordt aangemaakt (grootte {size}) in {folder} ...")
        write_dataset(folder, generate(size=size, seed=SEED))
        print(import_dataset(folder, actor="systeem:demo").summary())
    call_command("collectstatic", interactive=False, verbosity=0)
    print("\nDemo-accounts (gebruikersnaam / wachtwoord):")
    for username, password, role in ensure_demo_users():
        print(f"  {role.label!s:<14} {username} / {password}")


def serve(bind: str) -> None:
    """Replace this process by gunicorn serving the app and its static files."""
    print(f"\nDe demo draait op http://{bind}/  (stoppen: Ctrl+C)", flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "vertrouwen.web.wsgi:application",  # noqa: S606
                              "--bind", bind, "--workers", "2", "--access-logfile", "-"])


def _refuse_real_municipalities() -> None:
    if Municipality._meta.db_table not in connection.introspection.table_names():
        return  # a new, empty database
    others = Municipality.objects.exclude(code=VOORBEELDSTAD.code).values_list("name", flat=True)[:3]
    if others:
        raise DemoRefused(f"Deze database bevat gegevens van {', '.join(others)}, niet alleen van de demogemeente "
                          f"{VOORBEELDSTAD.name}. De demo wijzigt hem niet; kies een andere DATABASE_URL.")


def _empty_database() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        connection.close()
        Path(database["NAME"]).unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)
    print("De demodatabase is leeggemaakt.")
