"""The demo municipality Voorbeeldstad: a database filled with a synthetic municipality, and its server.

The demo only ever works on a database that holds nothing but Voorbeeldstad: it creates accounts with a
published password and its reset empties the database, so it refuses a database with a real municipality.
"""

import hashlib
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from vertrouwen.core.dataset import write_dataset
from vertrouwen.core.designs import DESIGNS
from vertrouwen.core.months import add_months
from vertrouwen.core.progress import counter, duration, step
from vertrouwen.core.simulation import VOORBEELDSTAD, generate
from vertrouwen.web.accounts.services import DEMO_TOTP_SECRET, ensure_demo_devices, ensure_demo_users
from vertrouwen.web.api.demo import ensure_demo_link_account
from vertrouwen.web.audit.tracking import rows_untracked
from vertrouwen.web.casework.demo import COLLEAGUES, fill_casework
from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.design.selectors import design_power
from vertrouwen.web.design.services import create_experiment, request_diagnosis_now, run_diagnosis, template_values
from vertrouwen.web.evaluation.selectors import evaluation_date
from vertrouwen.web.evaluation.services import request_evaluation
from vertrouwen.web.lottery.selectors import proposed_plan
from vertrouwen.web.lottery.services import DrawRequest, draw_lottery, register_plan
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry.models import Experiment, Municipality
from vertrouwen.web.settlement.models import SettlementRun
from vertrouwen.web.settlement.services import carry_out
from vertrouwen.web.surveys.demo import fill_questionnaires

SEED = 2017
RUNNING_MONTHS = 8  # the second experiment started this many months before the demo is prepared
DEMO_ACTOR = "systeem:demo"


class DemoRefused(Refused):
    """The database is not a demo database."""


def prepare_demo(*, size: str = "S", reset: bool = False) -> None:
    """Fill the demo database, step by step with how long each took. The filling is one transaction: a preparation
    that is interrupted leaves nothing behind, and the next one starts over."""
    _refuse_real_municipalities()
    if reset:
        _empty_database()
    with step("Database bijwerken (migraties)"):
        call_command("migrate", interactive=False, verbosity=0)
    if Experiment.objects.exists():
        print("De demodatabase bestaat al en wordt hergebruikt (opnieuw beginnen: make demo-reset).")
    else:
        with transaction.atomic():
            _fill(size)
    sources = _static_sources()
    stamp = Path(settings.STATIC_ROOT) / ".sources"
    if not stamp.exists() or stamp.read_text() != sources:
        with step("Statische bestanden verzamelen en comprimeren"):
            call_command("collectstatic", interactive=False, verbosity=0)
            stamp.write_text(sources)
    print("\nDemo-accounts (gebruikersnaam / wachtwoord):")
    accounts = ensure_demo_users()
    for username, password, role in accounts:
        print(f"  {role.label!s:<14} {username} / {password}")
    print(ensure_demo_link_account())  # the API's system account; no token unless the beheerder issues one
    _demo_two_factor([username for username, _, _ in accounts] + [username for username, _ in COLLEAGUES])
    _queue_evaluations()


def _queue_evaluations() -> None:
    """Ask for each experiment's evaluation now, so that the worker has computed it before the researcher looks."""
    today = timezone.localdate()
    for experiment in Experiment.objects.all():
        request_evaluation(experiment, evaluation_date(experiment, today))


def _fill(size: str) -> None:
    folder = settings.PROJECT_DIR / "var" / f"voorbeeldstad-{size}"
    with step(f"Voorbeeldstad maken (grootte {size}) in {folder}"):
        write_dataset(folder, generate(size=size, seed=SEED))
    with step("Voorbeeldstad inlezen"):
        print(import_dataset(folder, actor=DEMO_ACTOR, progress=counter("tabellen")).summary())
    _next_experiment()


def _static_sources() -> str:
    """A fingerprint of every static file's source (name, size, time): collecting and compressing them all again
    takes seconds, so a demo started again does it only after a change."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for name, storage in sorted(finder.list([]), key=lambda found: found[0]):
            status = Path(storage.path(name)).stat()
            digest.update(f"{name}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


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


def _next_experiment() -> None:
    """A second experiment, set up from the template of what the law allows today and running now: it started on
    the first of the month eight months ago and runs two years. Its power, a simulation of its design, its analysis
    plan, a stratified draw of everyone on benefit the day before it starts, the answers of those drawn, and the
    casework since."""
    municipality = Municipality.objects.get(code=VOORBEELDSTAD.code)
    values, arms = template_values(DESIGNS["binnen_de_wet"])
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -RUNNING_MONTHS)
    period = {"period_start": start, "period_end": add_months(start, 24) - timedelta(days=1),
              "count_date": add_months(start, 21)}
    with step("Tweede experiment opzetten uit het sjabloon 'binnen de Participatiewet' en het ontwerp simuleren"):
        experiment = create_experiment(municipality, {**values, **period, "planned_participants": 1200}, arms,
                                       actor=DEMO_ACTOR)
        power = design_power(experiment)
        run_diagnosis(request_diagnosis_now(experiment, power.n_per_arm, actor=DEMO_ACTOR),
                      progress=counter("simulaties"))
    drawn_on = experiment.period_start - timedelta(days=1)
    with step("Analyseplan vastleggen, vóór de loting"):
        plan = register_plan(experiment.pk, proposed_plan(experiment), on=drawn_on, actor=DEMO_ACTOR)
        print(f"  versie {plan.version}, SHA-256 {plan.plan_hash}")
    with step("Loten"):
        draw = draw_lottery(experiment.pk, DrawRequest(drawn_on=drawn_on,
                                                       method="stratified_block",
                                                       strata=("household_type", "benefit_duration_band")),
                            actor=DEMO_ACTOR)
        print(f"  {experiment.name}: {draw.size} personen geloot.")
    with rows_untracked():  # synthetic seeding: each action is recorded, not each row's values
        with step("Uitnodigen, spelregels tekenen en acht maanden begeleiding"):
            casework = fill_casework(experiment, draw, today, SEED, invited=counter("uitnodigingen"),
                                     guided=counter("personen begeleid"))
            print(f"  {casework}")
        with step("De maanden sinds de start verrekenen"):
            print(f"  {_settle_months(municipality, start, today, counter('maanden'))}")
        with step("Nulmeting: vragenlijsten beantwoorden"):
            print(f"  {fill_questionnaires(experiment, today, SEED, progress=counter('uitnodigingen'))}")


def _settle_months(municipality: Municipality, start, today, progress) -> str:
    """The monthly runs from the experiment's start up to last month, in order, as the beheerder starts them."""
    months = []
    month = start
    while month < today.replace(day=1):
        months.append(month)
        month = add_months(month, 1)
    for done, month in enumerate(months, 1):
        run = SettlementRun.objects.create(municipality=municipality, month=month, requested_by=DEMO_ACTOR)
        carry_out(run.pk)
        progress(done, len(months))
    return f"{len(months)} maanden verrekend."


def serve(bind: str, *, started: float) -> int:
    """Start the background worker and gunicorn, wait until the app answers and has shown its first pages, and only
    then say where it runs. Ctrl+C reaches all three (one process group); this waits until both have stopped, and
    stops both when it is itself told to stop."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _refuse_address_in_use(bind)
    with step("De server starten en opwarmen"):
        worker = subprocess.Popen([sys.executable, "-m", "vertrouwen.cli", "worker"])  # noqa: S603
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "vertrouwen.web.wsgi:application",  # noqa: S603
                                   "--bind", bind, "--workers", "2",
                                   "--logger-class", "vertrouwen.web.logs.GunicornLogger"])
        processes = (server, worker)
        try:
            _warm(_local_address(bind), server)
        except (DemoRefused, KeyboardInterrupt, SystemExit):
            _stop(processes)
            raise
    print(f"\nDe demo draait op http://{bind}/  (klaar in {duration(time.monotonic() - started)}; "
          "stoppen: Ctrl+C)", flush=True)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(processes)


WARM_PAGES = ("/inloggen/", "/wat-houd-ik-over/", "/inloggen/", "/wat-houd-ik-over/")
STARTUP_SECONDS = 120


def _warm(address: str, server: subprocess.Popen) -> None:
    """Wait for the first answer, then ask for the public pages (each worker has imported every view at start)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(address + WARM_PAGES[0]):
        if server.poll() is not None:
            raise DemoRefused(f"De webserver stopte meteen (code {server.returncode}); zie de melding hierboven.")
        if time.monotonic() > deadline:
            raise DemoRefused(f"De webserver antwoordde niet binnen {STARTUP_SECONDS} s op {address}.")
        time.sleep(0.2)
    for page in WARM_PAGES:
        _answers(address + page)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server on this machine
            return response.status == 200
    except OSError:
        return False


def _refuse_address_in_use(bind: str) -> None:
    """Another server on the address would answer for the demo: refuse at once, naming the way out."""
    host, colon, port = bind.rpartition(":")
    if not colon or not port.isdigit():
        raise DemoRefused(f"--bind {bind}: geef een adres als HOST:POORT, bijvoorbeeld 127.0.0.1:8001.")
    with socket.socket(socket.AF_INET6 if host.startswith("[") else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host.strip("[]") or "0.0.0.0", int(port)))  # noqa: S104 - only a probe
        except OSError as error:
            raise DemoRefused(f"Het adres {bind} is al in gebruik ({error.strerror}). Kies een andere poort: "
                              "make demo PORT=8001") from error


def _local_address(bind: str) -> str:
    """The address to reach a server bound to `bind` from this machine."""
    host, _, port = bind.rpartition(":")
    if host in ("", "0.0.0.0", "[::]"):  # noqa: S104 - reading the bind address, not binding
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
