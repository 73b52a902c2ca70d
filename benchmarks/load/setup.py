"""Prepare the load test's actors in a demo database, through the services, and write the plan for locust.

Case managers: accounts with the role klantmanager, a random password and a confirmed TOTP device with a random
key (both only in the plan file of this run), each with a caseload assigned through casework.services.assign.
For every person on a caseload the plan lists contact slots (date, channel, initiative) that are still free and
months on benefit without declared earnings, so that the load test only records what the services accept: a
refusal during the run is then a real failure. Respondents: the running experiment's wave "after 12 months" is
opened today and every participant invited through surveys.services; the plan holds the links not yet used.

    python -m benchmarks.load.setup --managers 50 --caseload 150 --out PLAN.json   (DJANGO settings from env)
"""

import argparse
import json
import os
import random
import secrets
import sys
from collections import defaultdict
from datetime import date, timedelta

ACTOR = "systeem:loadtest"
USERNAME = "loadtest_km{:03d}"
SEED = 2017
CONTACT_DAYS = 28  # contact slots on the last four weeks, today included
EARNINGS_MONTHS = 12  # months with declarable earnings: the last twelve, as the participant page shows them
SLOTS_PER_PERSON = 6
WAVE_OPEN_DAYS = 30


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load.setup")
    parser.add_argument("--managers", type=int, required=True)
    parser.add_argument("--caseload", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
    import django

    django.setup()
    from django.utils import timezone

    today = timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 - which persons and slots, reproducible; not a secret
    managers = case_managers(args.managers)
    caseloads = assign_caseloads(managers, args.caseload, today, rng)
    plan = {"today": today.isoformat(), "managers": [], **questionnaire(today, rng)}
    plan["before"] = counts(plan["wave"])
    for manager, persons in zip(managers, caseloads, strict=True):
        plan["managers"].append({**manager, "persons": person_slots(persons, today, rng)})
    with open(args.out, "w") as file:
        json.dump(plan, file)
    print(f"{len(managers)} klantmanagers met samen {sum(map(len, caseloads))} personen; "
          f"{len(plan['tokens'])} open uitnodigingen.")
    return 0


def case_managers(number: int) -> list[dict]:
    """The load test's case managers, made when missing; every run gives them a new password and TOTP key."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vertrouwen.web.accounts.roles import KLANTMANAGER
    from vertrouwen.web.accounts.services import create_user
    from vertrouwen.web.audit.services import record

    result = []
    for i in range(1, number + 1):
        username, password = USERNAME.format(i), secrets.token_urlsafe(16)
        with transaction.atomic():
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                user = create_user(username=username, password=password, role=KLANTMANAGER, actor=ACTOR,
                                   first_name="Last", last_name=f"Test {i}")
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="authenticator-app", confirmed=True)
            record(actor=ACTOR, action="user.two_factor_set_up", object_type="user", object_id=user.pk,
                   details={"username": username, "load_test": True})
        result.append({"id": user.pk, "username": username, "password": password, "totp_key": device.key})
    return result


def assign_caseloads(managers: list[dict], size: int, today: date, rng: random.Random) -> list[list[int]]:
    """Persons on benefit today, participants first, shared out as caseloads of at most `size` each."""
    from django.db.models import Q

    from vertrouwen.web.casework import services
    from vertrouwen.web.registry.models import BenefitSpell, Enrollment, Person

    on_benefit = set(BenefitSpell.objects.filter(Q(spell_end__isnull=True) | Q(spell_end__gte=today),
                                                 spell_start__lte=today).values_list("person_id", flat=True))
    participants = set(Enrollment.objects.filter(consented_on__isnull=False, stopped_on__isnull=True)
                       .values_list("person_id", flat=True))
    first, rest = sorted(on_benefit & participants), sorted(on_benefit - participants)
    rng.shuffle(first)
    rng.shuffle(rest)
    people = first + rest
    per_manager = min(size, len(people) // len(managers))
    if per_manager == 0:
        raise SystemExit(f"setup: {len(people)} persons on benefit, too few for {len(managers)} case managers")
    numbers = dict(Person.objects.filter(pk__in=people).values_list("pk", "external_id"))
    caseloads = []
    for i, manager in enumerate(managers):
        persons = people[i * per_manager:(i + 1) * per_manager]
        services.assign([numbers[p] for p in persons], manager["id"], on=today, actor=ACTOR)
        caseloads.append(persons)
    return caseloads


def person_slots(persons: list[int], today: date, rng: random.Random) -> list[dict]:
    """Per person: free contact slots and months on benefit without earnings, each in random order."""
    from vertrouwen.core import codes
    from vertrouwen.core.months import add_months
    from vertrouwen.web.registry.models import BenefitSpell, Contact, MonthlyEarnings, Person

    taken_contacts = set(Contact.objects.filter(person_id__in=persons, contact_on__gt=today - timedelta(
        days=CONTACT_DAYS)).values_list("person_id", "contact_on", "channel", "initiated_by"))
    declared = set(MonthlyEarnings.objects.filter(person_id__in=persons).values_list("person_id", "month"))
    spells = defaultdict(list)
    for person_id, start, end in BenefitSpell.objects.filter(person_id__in=persons).values_list(
            "person_id", "spell_start", "spell_end"):
        spells[person_id].append((start, end))
    numbers = dict(Person.objects.filter(pk__in=persons).values_list("pk", "external_id"))
    this_month = today.replace(day=1)
    months = [add_months(this_month, -k) for k in range(EARNINGS_MONTHS)]
    result = []
    for person_id in persons:
        slots = [(today - timedelta(days=d), channel, "klantmanager") for d in range(CONTACT_DAYS)
                 for channel in codes.CHANNELS]
        free = [(d.isoformat(), c, i) for d, c, i in slots if (person_id, d, c, i) not in taken_contacts]
        open_months = [m.isoformat()[:7] for m in months if (person_id, m) not in declared
                       and any(s <= add_months(m, 1) - timedelta(days=1) and (e is None or e >= m)
                               for s, e in spells[person_id])]
        rng.shuffle(free)
        rng.shuffle(open_months)
        result.append({"pk": person_id, "number": numbers[person_id], "contacts": free[:SLOTS_PER_PERSON],
                       "months": open_months})
    return result


def questionnaire(today: date, rng: random.Random) -> dict:
    """Open the running experiment's second wave today, invite every participant, and the links not yet used."""
    from vertrouwen.core.surveys import INSTRUMENTS
    from vertrouwen.web.surveys import services
    from vertrouwen.web.surveys.models import Invitation, Wave

    wave = Wave.objects.filter(number=1).order_by("-experiment__period_start", "-id").first()
    if wave is None:
        raise SystemExit("setup: the demo has no questionnaire wave to open")
    if not wave.is_open(today):
        services.set_period(wave.pk, opens_on=today, closes_on=today + timedelta(days=WAVE_OPEN_DAYS), actor=ACTOR)
    services.invite_participants(wave.pk, on=today, actor=ACTOR)
    tokens = list(Invitation.objects.filter(wave=wave, page=0, completed_at__isnull=True)
                  .order_by("pk").values_list("token", flat=True))
    rng.shuffle(tokens)
    pages = [[{"code": item.code, "minimum": item.scale.minimum, "maximum": item.scale.maximum,
               "number": bool(item.scale.number)} for item in INSTRUMENTS[code].items] for code in wave.instruments]
    return {"wave": wave.pk, "tokens": tokens, "pages": pages}


def counts(wave_id: int) -> dict:
    """What the load test's checks compare with afterwards: rows that only the load test adds."""
    from vertrouwen.web.registry.models import Contact, MonthlyEarnings, SurveyResponse
    from vertrouwen.web.surveys.models import Invitation, Wave

    wave = Wave.objects.get(pk=wave_id)
    return {"contacts": Contact.objects.count(), "earnings": MonthlyEarnings.objects.count(),
            "answers": SurveyResponse.objects.filter(experiment_id=wave.experiment_id, wave=wave.number).count(),
            "questionnaires": Invitation.objects.filter(wave=wave, completed_at__isnull=False).count()}


if __name__ == "__main__":
    sys.exit(main())
