"""A running experiment with a caseload built by hand, dated around today so that every rule applies now.

Experiment "Nu" in Werkstad runs from 300 days ago to 400 days from now. Its groups:

    code     name               rules
    EXEMPT   Zelf in actie      exempt from obligations, guidance on request
    INTENS   Extra begeleiding  intensive guidance, target 2 contacts a month
    DISREG   Verdienen loont    the decree's disregard: 50%, at most EUR 199 a month
    CONTROL  Onderzoeksgroep    control group, regular service

    person  group    caseload       notes
    K1      EXEMPT   klantmanager   signed 250 days ago
    K2      INTENS   klantmanager   signed 250 days ago
    K3      DISREG   klantmanager   signed 250 days ago; earned EUR 600 two months ago
    K4      CONTROL  klantmanager   signed 250 days ago
    K5      -        klantmanager   regular service (no enrollment)
    K6      EXEMPT   klantmanager   stopped taking part 30 days ago (personal reason)
    K7      -        klantmanager   benefit ended 10 days ago (werk)
    O1      INTENS   klantmanager2  someone else's caseload
    U1      -        nobody         on benefit, on no caseload

Everyone's benefit started two years ago; only K7's ended. K3's BSN is BSN_K3.

The fixture `workspace` is made available to every web test by conftest.py.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from vertrouwen.core import privacy
from vertrouwen.web.accounts.roles import KLANTMANAGER
from vertrouwen.web.accounts.services import create_user
from vertrouwen.web.casework.models import Assignment
from vertrouwen.web.registry.models import (
    Arm,
    BenefitSpell,
    Enrollment,
    Experiment,
    MonthlyEarnings,
    Municipality,
    Person,
)

BSN_K3 = "111222333"  # passes the 11-proef (dataset_files.py)


@dataclass
class Workspace:
    today: date
    experiment: Experiment
    arms: dict[str, Arm]
    persons: dict[str, Person]
    manager: object
    other_manager: object

    def pk(self, number: str) -> int:
        return self.persons[number].pk

    def page(self, number: str) -> str:
        return f"/persoon/{self.pk(number)}/"

    def step(self, number: str, step: str) -> str:
        return f"/persoon/{self.pk(number)}/{step}/"


@pytest.fixture
def workspace(db, users, password) -> Workspace:
    today = timezone.localdate()
    municipality = Municipality.objects.create(code="GM8888", name="Werkstad")
    experiment = Experiment.objects.create(municipality=municipality, code="nu", name="Nu",
                                           period_start=today - timedelta(days=300),
                                           period_end=today + timedelta(days=400),
                                           count_date=today + timedelta(days=370))
    arm_specs = [
        ("EXEMPT", "Zelf in actie", {"exempt_from_obligations": True, "guidance_intensity": "op_verzoek"}),
        ("INTENS", "Extra begeleiding", {"guidance_intensity": "intensief", "target_contacts_per_month": 2}),
        ("DISREG", "Verdienen loont", {"disregard_regime": "experiment"}),
        ("CONTROL", "Onderzoeksgroep", {"is_control": True}),
    ]
    arms = {code: Arm.objects.create(experiment=experiment, position=i, code=code, name=name,
                                     rules_text=f"Spelregels van {name}.", **params)
            for i, (code, name, params) in enumerate(arm_specs, start=1)}
    numbers = ("K1", "K2", "K3", "K4", "K5", "K6", "K7", "O1", "U1")
    persons = {n: Person.objects.create(municipality=municipality, external_id=n, birth_year=1985, sex="vrouw",
                                        household_type="alleenstaande", limitation="geen", education="middelbaar")
               for n in numbers}
    Person.objects.filter(pk=persons["K3"].pk).update(bsn_pseudonym=privacy.pseudonym(BSN_K3,
                                                                                      settings.PSEUDONYM_KEY))
    for n in numbers:
        BenefitSpell.objects.create(person=persons[n], spell_start=today - timedelta(days=730),
                                    spell_end=today - timedelta(days=10) if n == "K7" else None,
                                    end_reason="werk" if n == "K7" else "")
    signed = today - timedelta(days=250)
    for n, arm in (("K1", "EXEMPT"), ("K2", "INTENS"), ("K3", "DISREG"), ("K4", "CONTROL"), ("K6", "EXEMPT"),
                   ("O1", "INTENS")):
        stopped = today - timedelta(days=30) if n == "K6" else None
        Enrollment.objects.create(experiment=experiment, person=persons[n], arm=arms[arm],
                                  allocated_on=signed - timedelta(days=5), consented_on=signed, stopped_on=stopped,
                                  stop_reason="persoonlijke_reden" if stopped else "")
    two_months_ago = (today.replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    MonthlyEarnings.objects.create(person=persons["K3"], month=two_months_ago.replace(day=1), earnings_cents=60000)
    other = create_user(username="klantmanager2", password=password, role=KLANTMANAGER, actor="test",
                        first_name="Tweede klantmanager")
    manager = users["klantmanager"]
    for n in ("K1", "K2", "K3", "K4", "K5", "K6", "K7"):
        Assignment.objects.create(person=persons[n], case_manager=manager, assigned_on=signed)
    Assignment.objects.create(person=persons["O1"], case_manager=other, assigned_on=signed)
    return Workspace(today, experiment, arms, persons, manager, other)
