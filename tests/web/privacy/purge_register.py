"""A finished experiment ready to be purged, with a record of every kind the purge must erase or keep.

The register is the hand-made dataset of tests/web/dataset_files.py, imported: Voorbeeldstad (9999), experiment
"vw" from 2017-10-01 to 2019-12-31, so with the default term of 24 months it may be purged from 2022-01-01.
P1 and P2 were allocated by the imported draw, P3 and P4 form the reference group. On top of it:

    P1  BSN and date of birth (from the dataset); an ended caseload assignment, an intake, an action, a sanction,
        a story, a note with their contact, a settlement, a lottery invitation and a questionnaire invitation
    P2  also in the reference group of "lopend", an experiment running until 2027, with an answer there
    P3  date of birth 1990-01-31 (from the dataset), nothing else
    P4  still on an open caseload (with an intake)

So P1 and P3 are released; P2 is kept for the running experiment and P4 for the caseload.

Rows the purge erases, counted from the dataset (dataset_files.py) and the list above:

    registry.SurveyResponse 2 (vw's: P1, P2)   surveys.Invitation 1   lottery.Invitation 1
    casework.ContactNote 1   registry.Contact 1 (P1)   settlement.Settlement 1   casework.Story 1
    casework.Sanction 1   casework.Action 1   casework.Conversation 1 (P1's, not P4's)   casework.Assignment 1
    registry.Goal 2   registry.Assessment 1   registry.MonthlyEarnings 1 (P1)   registry.BenefitSpell 3 (P1 2, P3 1)
    registry.Person 2 (P1, P3)
"""

from dataclasses import dataclass
from datetime import date

from dataset_files import write_folder
from django.contrib.auth import get_user_model

from vertrouwen.web.casework.models import Action, Assignment, ContactNote, Conversation, Sanction, Story
from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.lottery.models import Invitation as LotteryInvitation
from vertrouwen.web.registry.models import Contact, Experiment, Person, ReferenceMember, SurveyResponse
from vertrouwen.web.reports.models import StoredReport
from vertrouwen.web.settlement.models import Settlement
from vertrouwen.web.surveys.models import Invitation as SurveyInvitation
from vertrouwen.web.surveys.models import Wave

PURGEABLE_FROM = date(2022, 1, 1)  # 2019-12-31 plus 24 months, plus one day

ERASED_ROWS = {
    "registry.SurveyResponse": 2, "surveys.Invitation": 1, "lottery.Invitation": 1, "evaluation.StoredEvaluation": 0,
    "reports.StoredReport": 1,
    "casework.ContactNote": 1, "registry.Contact": 1, "settlement.Settlement": 1, "casework.Story": 1,
    "casework.Sanction": 1, "casework.Action": 1, "casework.Conversation": 1, "casework.Assignment": 1,
    "registry.Goal": 2, "registry.Assessment": 1, "registry.MonthlyEarnings": 1, "registry.BenefitSpell": 3,
    "registry.Person": 2,
}


@dataclass
class Register:
    experiment: Experiment
    running: Experiment
    persons: dict[str, Person]
    research_root: object  # a tmp_path folder for the research dataset


def build_register(tmp_path) -> Register:
    import_dataset(write_folder(tmp_path / "dataset"), actor="test")
    experiment = Experiment.objects.get(code="vw")
    persons = {p.external_id: p for p in Person.objects.filter(municipality=experiment.municipality)}
    p1, p2, p4 = persons["P1"], persons["P2"], persons["P4"]
    # A plain account will do as case manager: the purge looks at the rows, not at roles.
    manager = get_user_model().objects.create_user(username="km-purge", password="niet-gebruikt-hier")  # noqa: S106

    Assignment.objects.create(person=p1, case_manager=manager, assigned_on=date(2017, 9, 28),
                              ended_on=date(2019, 12, 31))
    Conversation.objects.create(person=p1, kind="startgesprek", held_on=date(2017, 9, 28),
                                summary="Wil graag weer aan het werk.", recorded_by=manager)
    Action.objects.create(person=p1, description="Cv bijwerken", owner="deelnemer", due_on=date(2017, 11, 1),
                          created_on=date(2017, 9, 28))
    Sanction.objects.create(person=p1, started_on=date(2018, 5, 1), obligation="Niet verschenen",
                            recorded_by=manager)
    Story.objects.create(person=p1, told_on=date(2019, 6, 1), text="Mijn verhaal.", consent_on=date(2019, 6, 1))
    ContactNote.objects.create(contact=Contact.objects.get(person=p1), text="Loopt goed.")
    Settlement.objects.create(person=p1, month=date(2018, 1, 1), regime="experiment", earnings_cents=45050,
                              norm_cents=100000, disregarded_cents=19900, deducted_cents=25150,
                              benefit_cents=74850, months_used=1, rule_percent_bp=5000, rule_max_cents=19900,
                              household_type="alleenstaande_ouder", recorded_by="test")
    LotteryInvitation.objects.create(experiment=experiment, person=p1, invited_on=date(2017, 9, 1),
                                     consented_on=date(2017, 9, 10))
    wave = Wave.objects.create(experiment=experiment, number=0, name="Nulmeting", opens_on=date(2017, 10, 1),
                               closes_on=date(2017, 12, 31), instruments=["vertrouwen_welzijn"])
    SurveyInvitation.objects.create(wave=wave, person=p1, token="t" * 43, invited_on=date(2017, 10, 1))
    StoredReport.objects.create(experiment_id=experiment.pk, kind="final", fmt="html", key="k" * 64,
                                data_version="1", as_of=date(2019, 10, 1), content=b"<p>Mijn verhaal.</p>",
                                status="done")  # a report kept for download holds the stories

    running = Experiment.objects.create(municipality=experiment.municipality, code="lopend", name="Lopend",
                                        period_start=date(2026, 1, 1), period_end=date(2027, 12, 31),
                                        count_date=date(2027, 6, 1))
    ReferenceMember.objects.create(experiment=running, person=p2)
    SurveyResponse.objects.create(experiment=running, person=p2, wave=0, instrument="vertrouwen_welzijn",
                                  item="gezondheid", value="2", mode="online")

    Assignment.objects.create(person=p4, case_manager=manager, assigned_on=date(2019, 1, 1))
    Conversation.objects.create(person=p4, kind="startgesprek", held_on=date(2019, 1, 10), summary="Intake.",
                                recorded_by=manager)
    return Register(experiment, running, persons, tmp_path / "research")
