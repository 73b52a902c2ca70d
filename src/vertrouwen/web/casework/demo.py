"""The demo municipality's case management: caseloads and eight months of casework in a running experiment.

Everything is written through the services, as a case manager would, so that the audit trail, the rules of each
group and the refusals apply; dates are relative to the day the demo is prepared. The numbers follow the seeds
where they give one (DESIGN.md section 9: goals at baseline, part-time earnings per arm, about 4% stopping);
the rest (contact rates, how many reviews are on time) are plausible choices for a demo, not findings.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from vertrouwen.core import codes
from vertrouwen.core.months import add_months
from vertrouwen.web.accounts.roles import KLANTMANAGER
from vertrouwen.web.accounts.services import DEMO_PASSWORD, create_user, ensure_demo_users
from vertrouwen.web.casework import services
from vertrouwen.web.lottery.services import record_answer, record_invitation
from vertrouwen.web.registry.membership import memberships_on
from vertrouwen.web.registry.models import BenefitSpell, Enrollment, Person
from vertrouwen.web.registry.predicates import spell_running_at
from vertrouwen.web.registry.services import benefits

ACTOR = "systeem:demo"
Progress = Callable[[int, int], None]  # progress(done, total)
# The demo's own case managers besides the account `klantmanager`, which gets the first caseload.
COLLEAGUES = (("klantmanager_sanne", "Sanne de Vries"), ("klantmanager_mohamed", "Mohamed El Amrani"),
              ("klantmanager_petra", "Petra Jansen"), ("klantmanager_joost", "Joost Bakker"))
DEMO_CASELOAD = 150  # persons on the caseload of the account `klantmanager`, at most an equal share
GOAL_SHARES = {"werk": 0.34, "parttime_werk": 0.30, "opleiding": 0.13, "re_integratie": 0.17,
               "vrijwilligerswerk": 0.23, "zorg_en_hulp": 0.13, "anders": 0.20}  # DESIGN.md section 9
CONTACTS_A_MONTH = {"intensief": 2.2, "regulier": 0.9, "op_verzoek": 0.4}
EARNING_SHARE = {"experiment": 0.32, "standaard": 0.18, "geen": 0.10}  # DESIGN.md section 9: 30-35% vs 20%
# Leaving the benefit, a month: for work about 0.45% without the experiment's rules (Wageningen's reference group:
# 10.7% in two years) and twice that in an experimental group (16.5-26.5%; DESIGN.md section 9); for another
# reason a plausible 0.3%. Of those who left for work, some come back, more often with the experimental disregard
# (a finding of the seeds).
WORK_EXITS_A_MONTH = {"experiment": 0.009, "regular": 0.0045}
OTHER_EXITS_A_MONTH = 0.003
REENTRY_SHARE = {"experiment": 0.25, "standaard": 0.1, "geen": 0.1}
OWN_WORDS = {
    "werk": ("Ik wil weer een vaste baan, het liefst in de logistiek.", "Een baan waar ik van kan rondkomen."),
    "parttime_werk": ("Eerst een paar uur per week werken, naast de zorg voor mijn kinderen.",
                      "Parttime aan de slag en dan kijken of het meer kan worden."),
    "opleiding": ("Mijn diploma mbo-2 halen zodat ik kan solliciteren.",),
    "re_integratie": ("Stap voor stap wennen aan werken, met begeleiding.",),
    "vrijwilligerswerk": ("Vrijwilligerswerk doen in de buurt, onder de mensen zijn.",),
    "zorg_en_hulp": ("Eerst mijn schulden op orde en weer rust in mijn hoofd.",),
    "anders": ("Mijn gezondheid verbeteren; daarna verder kijken.",),
}
ACTIONS = {
    "werk": "Drie sollicitaties per maand versturen", "parttime_werk": "Gesprek met werkgever over 12 uur per week",
    "opleiding": "Inschrijven voor de opleiding", "re_integratie": "Kennismaken bij het re-integratiebedrijf",
    "vrijwilligerswerk": "Langsgaan bij de vrijwilligerscentrale", "zorg_en_hulp": "Aanmelden bij schuldhulpverlening",
    "anders": "Afspraak maken met de huisarts",
}
SUMMARIES = ("Kennismaking, spelregels van de groep doorgenomen en doelen besproken.",
             "Goed gesprek over wat de deelnemer zelf wil; plan samen opgesteld.")
REVIEW_SUMMARIES = ("Voortgang besproken; een doel bijgesteld en nieuwe afspraken gemaakt.",
                    "Het gaat de goede kant op; de acties lopen volgens plan.")
STORIES = ("Ik mocht zelf bepalen wat ik ging doen. Daardoor durfde ik de stap naar een opleiding te zetten.",
           "Dat ik de helft van wat ik verdien mocht houden, maakte dat parttime werken eindelijk loonde.",
           "Mijn klantmanager belde gewoon even om te vragen hoe het ging. Dat vertrouwen deed me goed.")


def case_managers() -> list:
    """The account `klantmanager` and the demo's colleagues, created once."""
    ensure_demo_users()
    users = get_user_model().objects
    managers = [users.get(username=KLANTMANAGER.code)]
    for username, name in COLLEAGUES:
        user = users.filter(username=username).first()
        if user is None:
            first, _, last = name.partition(" ")
            user = create_user(username=username, password=DEMO_PASSWORD, role=KLANTMANAGER, actor=ACTOR,
                               first_name=first, last_name=last)
        managers.append(user)
    return managers


def fill_casework(experiment, draw, today: date, seed: int, *, invited: Progress | None = None,
                  guided: Progress | None = None) -> str:
    """Invitations and answers for everyone drawn, caseloads for everyone on benefit, and casework since then;
    `invited` and `guided` hear how far each part is."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    numbers = list(draw.allocations.order_by("position").values_list("person__external_id", flat=True))
    _answer(experiment, numbers, draw.drawn_on, today, rng, invited)
    on_benefit = set(BenefitSpell.objects.filter(spell_running_at(today), spell_end__isnull=True)
                     .values_list("person__external_id", flat=True))
    participants = list(Enrollment.objects.filter(experiment=experiment, consented_on__isnull=False)
                        .order_by("person__external_id").values_list("person__external_id", flat=True))
    regular = sorted(on_benefit - set(participants))[:len(participants) // 5]
    people = [n for n in participants if n in on_benefit] + regular
    rng.shuffle(people)
    managers = case_managers()
    size = min(DEMO_CASELOAD, len(people) // len(managers) + 1)
    first, rest = people[:size], people[size:]
    services.assign(first, managers[0].pk, on=draw.drawn_on, actor=ACTOR)
    for i, manager in enumerate(managers[1:]):
        services.assign(rest[i::len(managers) - 1], manager.pk, on=draw.drawn_on, actor=ACTOR)
    persons = dict(Person.objects.filter(municipality_id=experiment.municipality_id, external_id__in=people)
                   .values_list("external_id", "pk"))
    memberships = memberships_on(list(persons.values()), today)
    stories = list(STORIES)
    exits = random.Random(f"{seed}-exits")  # noqa: S311 - its own stream: who leaves is drawn apart from the rest
    for done, number in enumerate(people, 1):
        person_id = persons[number]
        membership = memberships.get(person_id)
        with transaction.atomic():  # one person's history at a time: fewer commits, same services
            _casework(person_id, membership, draw.drawn_on, today, rng, stories, exits)
        if guided:
            guided(done, len(people))
    return (f"{len(participants)} deelnemers tekenden de spelregels; {len(people)} personen verdeeld over "
            f"{len(managers)} klantmanagers, met acht maanden begeleiding.")


def _answer(experiment, numbers: list[str], drawn_on: date, today: date, rng: random.Random,
            progress: Progress | None) -> None:
    """Everyone drawn is invited within a week; 82% sign their group's rules, 10% decline, the rest wait."""
    for done, number in enumerate(numbers, 1):
        invited = min(today, drawn_on + timedelta(days=rng.randint(1, 7)))
        record_invitation(experiment.pk, number, invited_on=invited, actor=ACTOR)
        draw = rng.random()
        if draw < 0.92:
            record_answer(experiment.pk, number, consented=draw < 0.82,
                          on=min(today, invited + timedelta(days=rng.randint(1, 14))), actor=ACTOR)
        if progress:
            progress(done, len(numbers))


def _goals(rng: random.Random) -> list[str]:
    goals = [g for g, share in GOAL_SHARES.items() if rng.random() < share]
    return goals or [rng.choice(list(GOAL_SHARES))]


def _casework(person_id: int, membership, start: date, today: date, rng: random.Random,
              stories: list[str], exits: random.Random) -> None:
    arm = membership.arm if membership else None
    since = membership.consented_on if membership else start
    exit_on, reason = _benefit_end(arm, since, today, exits)
    on_benefit_until = exit_on or today
    _contacts(person_id, arm, since, on_benefit_until, today, rng)
    _earnings(person_id, arm, since, on_benefit_until, today, rng)
    stops = membership is not None and rng.random() < 0.04  # about 4% stop taking part (DESIGN.md section 9)
    until = min(on_benefit_until, since + timedelta(days=rng.randint(60, 200))) if stops else on_benefit_until
    if rng.random() >= 0.05:  # else the intake is still to be held
        _plan(person_id, arm, since, until, today, rng, stories)
    if stops and until < on_benefit_until:  # stopping is leaving the experiment while still on benefit
        services.stop_participation(person_id, stopped_on=until, reason=rng.choice(list(codes.STOP_REASONS)),
                                    today=today, actor=ACTOR)
    if exit_on is not None:
        _leave_benefit(person_id, arm, exit_on, reason, today, exits)


def _benefit_end(arm, since: date, today: date, rng: random.Random) -> tuple[date | None, str]:
    """When and why the benefit ends between signing and yesterday, if it does."""
    days = (today - since).days - 1
    if days < 30:
        return None, ""
    experimental = arm is not None and not arm.is_control
    work = 1 - (1 - WORK_EXITS_A_MONTH["experiment" if experimental else "regular"]) ** (days / 30)
    other = 1 - (1 - OTHER_EXITS_A_MONTH) ** (days / 30)
    draw = rng.random()
    if draw >= work + other:
        return None, ""
    reason = rng.choice(("werk", "werk", "werk", "zelfstandig")) if draw < work else \
        rng.choice(("verhuizing", "vermogen", "partner", "overig"))
    return since + timedelta(days=rng.randint(30, days)), reason


def _leave_benefit(person_id: int, arm, exit_on: date, reason: str, today: date, rng: random.Random) -> None:
    """The case manager ends the benefit; some who left for work are back on benefit a few months later."""
    benefits.end_benefit(person_id, end_on=exit_on, reason=reason, today=today, actor=ACTOR)
    back_on = exit_on + timedelta(days=rng.randint(30, 120))
    regime = arm.disregard_regime if arm else "standaard"
    if reason in codes.WORK_END_REASONS and back_on < today and rng.random() < REENTRY_SHARE.get(regime, 0.1):
        benefits.start_benefit(person_id, start_on=back_on, today=today, actor=ACTOR)


def _plan(person_id: int, arm, since: date, until: date, today: date, rng: random.Random,
          stories: list[str]) -> None:
    """The intake with goals and actions, and the half-yearly review where it was due before `until`."""
    intake_on = min(until, since + timedelta(days=rng.randint(5, 30)))
    goals = _goals(rng)
    rung = rng.choices(range(1, 7), weights=(5, 20, 30, 20, 15, 10))[0]
    services.record_intake(person_id, held_on=intake_on, summary=rng.choice(SUMMARIES),
                           goals_in_own_words=rng.choice(OWN_WORDS[min(goals, key=list(codes.GOALS).index)]),
                           goals=goals, good_prospects=rng.random() < 0.3, ladder_rung=rung, today=today,
                           actor=ACTOR)
    actions = [services.add_action(person_id, description=ACTIONS[goal], owner=rng.choice(("deelnemer", "samen")),
                                   due_on=intake_on + timedelta(days=rng.randint(30, 120)), goal=goal,
                                   today=intake_on, actor=ACTOR) for goal in goals[:2]]
    review_on = add_months(intake_on, 6) + timedelta(days=rng.randint(-10, 20))
    if review_on < until and rng.random() < 0.9:
        if rng.random() < 0.4 and "parttime_werk" not in goals:
            goals = [*goals, "parttime_werk"]
        services.record_review(person_id, held_on=review_on, summary=rng.choice(REVIEW_SUMMARIES),
                               goals_in_own_words="", goals=goals, good_prospects=rng.random() < 0.35,
                               ladder_rung=min(6, rung + rng.choice((0, 0, 1))),
                               action_statuses={a.pk: rng.choice(("afgerond", "afgerond", "bezig")) for a in actions},
                               today=today, actor=ACTOR)
    if stories and arm is not None and rng.random() < 0.02:
        services.record_story(person_id, told_on=today - timedelta(days=rng.randint(5, 60)), text=stories.pop(),
                              consent=True, today=today, actor=ACTOR)


def _contacts(person_id: int, arm, since: date, until: date, today: date, rng: random.Random) -> None:
    rate = CONTACTS_A_MONTH[arm.guidance_intensity if arm else "regulier"]
    day = since
    while True:
        day += timedelta(days=max(1, round(rng.expovariate(rate / 30))))
        if day > until:
            return
        try:
            services.log_contact(person_id, contact_on=day, channel=rng.choice(("gesprek", "telefoon", "telefoon",
                                                                                 "email", "huisbezoek")),
                                 minutes=rng.choice((10, 15, 30, 45, 60)),
                                 initiated_by=rng.choice(("klantmanager", "klantmanager", "deelnemer")), note="",
                                 today=today, actor=ACTOR)
        except services.Refused:
            continue  # the same channel twice on one day: one contact in the register


def _earnings(person_id: int, arm, since: date, until: date, today: date, rng: random.Random) -> None:
    """Part-time earnings every month on benefit since signing, for the share that works; the last month is
    sometimes not yet declared."""
    if rng.random() >= EARNING_SHARE[arm.disregard_regime if arm else "standaard"]:
        return
    month = add_months(since.replace(day=1), rng.randint(1, 3))
    last = add_months(until.replace(day=1), -1)
    if rng.random() < 0.3:
        last = add_months(last, -1)
    while month <= last:
        services.declare_earnings(person_id, month=month, earnings_cents=rng.randint(150, 950) * 100,
                                  hours=rng.choice((8, 12, 16, 20, 24)) * 4, today=today, actor=ACTOR)
        month = add_months(month, 1)
