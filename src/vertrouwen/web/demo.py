"""The demo municipality Voorbeeldstad: a database filled with a synthetic municipality, and its server.

The demo only ever works on a database that holds nothing but Voorbeeldstad: it creates accounts with a
published password and its reset empties the database, so it refuses a database with a real municipality.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import segno
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from vertrouwen.core.casework import add_months
from vertrouwen.core.dataset import write_dataset
from vertrouwen.core.designs import DESIGNS
from vertrouwen.core.simulation import VOORBEELDSTAD, generate
from vertrouwen.web.accounts.services import DEMO_TOTP_SECRET, ensure_demo_devices, ensure_demo_users
from vertrouwen.web.api.demo import ensure_demo_link_account
from vertrouwen.web.audit.tracking import rows_untracked
from vertrouwen.web.casework.demo import COLLEAGUES, fill_casework
from vertrouwen.web.design.selectors import design_power
from vertrouwen.web.design.services import create_experiment, request_diagnosis_now, run_diagnosis, template_values
from vertrouwen.web.lottery.services import DrawRequest, draw_lottery
from vertrouwen.web.registry.models import Experiment, Municipality
from vertrouwen.web.registry.services import import_dataset
from vertrouwen.web.settlement.models import SettlementRun
from vertrouwen.web.settlement.services import carry_out
from vertrouwen.web.surveys.demo import fill_questionnaires

SEED = 2017
RUNNING_MONTHS = 8  # the second experiment started this many months before the demo is prepared
DEMO_ACTOR = "systeem:demo"


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
        print(import_dataset(folder, actor=DEMO_ACTOR).summary())
        print(_next_experiment())
    call_command("collectstatic", interactive=False, verbosity=0)
    print("\nDemo-accounts (gebruikersnaam / wachtwoord):")
    accounts = ensure_demo_users()
    for username, password, role in accounts:
        print(f"  {role.label!s:<14} {username} / {password}")
    print(ensure_demo_link_account())  # the API's system account; no token unless the beheerder issues one
    _demo_two_factor([username for username, _, _ in accounts] + [username for username, _ in COLLEAGUES])


def _demo_two_factor(usernames: list[str]) -> None:
    """Every demo account logs in with the published demo key in an authenticator app (docs/handleiding-beheerder.md):
    print the key, its otpauth:// address and a QR code to scan from the terminal."""
    ensure_demo_devices(usernames)
    address = (f"otpauth://totp/{quote(settings.OTP_TOTP_ISSUER)}:demo?secret={DEMO_TOTP_SECRET}"
               f"&issuer={quote(settings.OTP_TOTP_ISSUER)}&algorithm=SHA1&digits=6&period=30")
    print("\nTweestapsverificatie: na het wachtwoord vraagt de demo een code uit een authenticator-app.")
    print("Alle demo-accounts gebruiken dezelfde demosleutel; voeg hem een keer toe aan de app:")
    print(f"  sleutel (tijdgebaseerd): {DEMO_TOTP_SECRET}")
    print(f"  adres: {address}")
    print("  of scan deze QR-code:")
    segno.make(address, error="m").terminal(compact=True)


def _next_experiment() -> str:
    """A second experiment, set up from the decree's template and running now: it started on the first of the
    month eight months ago and runs two years. Its power, a simulation of its design, a stratified draw of
    everyone on benefit the day before it starts, the answers of those drawn, and the casework since."""
    municipality = Municipality.objects.get(code=VOORBEELDSTAD.code)
    values, arms = template_values(DESIGNS["besluit"])
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -RUNNING_MONTHS)
    period = {"period_start": start, "period_end": add_months(start, 24) - timedelta(days=1),
              "count_date": add_months(start, 21)}
    experiment = create_experiment(municipality, {**values, **period, "planned_participants": 1200}, arms,
                                   actor=DEMO_ACTOR)
    power = design_power(experiment)
    run_diagnosis(request_diagnosis_now(experiment, power.n_per_arm, actor=DEMO_ACTOR))
    draw = draw_lottery(experiment.pk, DrawRequest(drawn_on=experiment.period_start - timedelta(days=1),
                                                   method="stratified_block",
                                                   strata=("household_type", "benefit_duration_band")),
                        actor=DEMO_ACTOR)
    with rows_untracked():  # synthetic seeding: each action is recorded, not each row's values
        casework = fill_casework(experiment, draw, today, SEED)
        settled = _settle_months(municipality, start, today)
        questionnaires = fill_questionnaires(experiment, today, SEED)
    return (f"{experiment.name}: opgezet uit het sjabloon van het Tijdelijk besluit, ontwerp gesimuleerd, "
            f"{draw.size} personen geloot. {casework} {settled} {questionnaires}")


def _settle_months(municipality: Municipality, start, today) -> str:
    """The monthly runs from the experiment's start up to last month, in order, as the beheerder starts them."""
    month, runs = start, 0
    while month < today.replace(day=1):
        run = SettlementRun.objects.create(municipality=municipality, month=month, requested_by=DEMO_ACTOR)
        carry_out(run.pk)
        month, runs = add_months(month, 1), runs + 1
    return f"{runs} maanden verrekend."


def serve(bind: str) -> None:
    """Start the background worker (simulations), then replace this process by gunicorn serving the app and its
    static files. Ctrl+C stops both: they share the terminal's process group."""
    subprocess.Popen([sys.executable, "-m", "vertrouwen.cli", "worker"])  # noqa: S603
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
