"""Reading the register for the start pages: a few aggregate queries each, returning plain values.

Definitions follow docs and the brief (DESIGN.md section 6). At a date C:

- an event counts when its date is before C;
- a person is on benefit at C when a benefit spell has spell_start < C and (no spell_end, or spell_end >= C);
- a participant is a person whose enrollment has the arm's rules signed (consented_on) before C;
- Gestopt: the participant stopped taking part before C (stopped_on < C);
- Uitstroom: not stopped before C and not on benefit at C;
- Stand: not stopped before C and on benefit at C (re-entrants included).

So Deelnemers = Gestopt + Uitstroom + Stand for every arm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q

from vertrouwen.core import codes
from vertrouwen.core.dataset import manifest as folder  # a dataset folder's manifest
from vertrouwen.core.months import first_of_month, next_month
from vertrouwen.core.rules import JobBonus
from vertrouwen.web.registry.mapping import ARM_PARAMETERS
from vertrouwen.web.registry.models import (
    Arm,
    Contact,
    Enrollment,
    Experiment,
    MonthlyEarnings,
    Municipality,
    ReferenceMember,
    SurveyResponse,
)
from vertrouwen.web.registry.predicates import on_benefit_at, participant_at, signed_before, stopped_before


def percentage(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`; None when `whole` is zero."""
    return None if whole == 0 else 100.0 * part / whole


# ---------------------------------------------------------------------------------------------------------
# The municipality, the experiment and its arms


@dataclass(frozen=True)
class ExperimentInfo:
    id: int
    code: str
    name: str
    municipality_name: str
    period_start: date
    period_end: date
    count_date: date

    def has_ended(self, today: date) -> bool:
        return today > self.period_end

    def as_of(self, today: date) -> date:
        """The date the figures are "now" at: today while the experiment runs, its count date once it has ended."""
        return self.count_date if self.has_ended(today) else today


@dataclass(frozen=True)
class ArmInfo:
    id: int
    position: int
    code: str
    name: str
    rules_text: str
    is_control: bool
    exempt_from_obligations: bool
    guidance_intensity: str
    disregard_regime: str
    job_bonus_cents: int
    job_bonus_condition: str
    job_bonus_min_hours_a_week: int
    job_bonus_max_per_year_cents: int
    target_contacts_per_month: int
    allocation_ratio: int

    @property
    def job_bonus(self) -> JobBonus:
        return JobBonus.of(self)

    @property
    def guidance_label(self) -> str:
        return codes.GUIDANCE_INTENSITIES.get(self.guidance_intensity, self.guidance_intensity)

    @property
    def disregard_label(self) -> str:
        return codes.DISREGARD_REGIMES.get(self.disregard_regime, self.disregard_regime)


def served_municipality() -> Municipality | None:
    """The municipality this installation serves: the first one registered. Others in the register came with a
    dataset delivered for research (a pooled evaluation); their persons are never anyone's caseload."""
    return Municipality.objects.order_by("id").first()


def municipality_name() -> str | None:
    """The name of the municipality this installation serves."""
    served = served_municipality()
    return served.name if served else None


_EXPERIMENT_FIELDS = ("id", "code", "name", "municipality__name", "period_start", "period_end", "count_date")


def _experiment_info(row: dict) -> ExperimentInfo:
    return ExperimentInfo(id=row["id"], code=row["code"], name=row["name"],
                          municipality_name=row["municipality__name"], period_start=row["period_start"],
                          period_end=row["period_end"], count_date=row["count_date"])


def current_experiment() -> ExperimentInfo | None:
    """The municipality's experiment: the first one registered, or None before there is one."""
    row = Experiment.objects.order_by("municipality_id", "period_start", "id").values(*_EXPERIMENT_FIELDS).first()
    return None if row is None else _experiment_info(row)


def experiments() -> list[ExperimentInfo]:
    """Every experiment, the earliest to start first."""
    return [_experiment_info(row) for row in
            Experiment.objects.order_by("period_start", "id").values(*_EXPERIMENT_FIELDS)]


_ARM_FIELDS = ("id", "position", "code", *ARM_PARAMETERS)


def arms_of(experiment: ExperimentInfo) -> list[ArmInfo]:
    """The experiment's arms in their order, with their parameters."""
    rows = Arm.objects.filter(experiment_id=experiment.id).order_by("position", "id").values(*_ARM_FIELDS)
    return [ArmInfo(**row) for row in rows]


def reference_group_size(experiment: ExperimentInfo) -> int:
    return ReferenceMember.objects.filter(experiment_id=experiment.id).count()


# ---------------------------------------------------------------------------------------------------------
# Klantmanager: the caseload per arm


@dataclass(frozen=True)
class CaseloadRow:
    arm: ArmInfo | None  # None for the total row
    participants: int
    on_benefit: int
    with_offset_earnings: int
    contacts: int


@dataclass(frozen=True)
class CaseloadOverview:
    as_of: date
    uses_count_date: bool
    earnings_month: date | None  # latest month with earnings data before as_of
    contacts_month: date | None  # last full month of contact data before as_of
    rows: list[CaseloadRow]
    total: CaseloadRow


def caseload_overview(experiment: ExperimentInfo, today: date) -> CaseloadOverview:
    """Per arm: active participants at the date `as_of`, how many of them are on benefit, how many had
    offset earnings in the latest month with earnings data, and their contacts in the last full month.

    Active participants signed the rules before `as_of` and did not stop before it. `as_of` is today, or the
    count date once the experiment has ended.
    """
    as_of = experiment.as_of(today)
    active = Enrollment.objects.filter(participant_at(as_of), experiment_id=experiment.id)
    persons = active.values("person_id")

    earnings_month = MonthlyEarnings.objects.filter(person_id__in=persons, month__lt=as_of).aggregate(
        month=Max("month"))["month"]
    last_contact = Contact.objects.filter(person_id__in=persons, contact_on__lt=as_of).aggregate(
        day=Max("contact_on"))["day"]
    contacts_month = None
    if last_contact is not None:
        data_end = min(as_of, last_contact + timedelta(days=1))  # the data are complete up to this day
        contacts_month = first_of_month(first_of_month(data_end) - timedelta(days=1))

    aggregates = {"participants": Count("id"), "on_benefit": Count("id", filter=on_benefit_at(as_of))}
    if earnings_month is not None:
        aggregates["with_offset_earnings"] = Count("id", filter=Exists(MonthlyEarnings.objects.filter(
            person=OuterRef("person_id"), month=earnings_month, earnings_cents__gt=0)))
    per_arm = {row["arm_id"]: row for row in active.values("arm_id").annotate(**aggregates).order_by()}

    contacts: dict[int, int] = {}
    if contacts_month is not None:
        contacts = dict(
            Contact.objects.filter(contact_on__gte=contacts_month, contact_on__lt=next_month(contacts_month),
                                   person__enrollments__in=active)
            .values_list("person__enrollments__arm_id").annotate(n=Count("id")).order_by())

    rows = []
    for arm in arms_of(experiment):
        row = per_arm.get(arm.id, {})
        rows.append(CaseloadRow(arm=arm, participants=row.get("participants", 0),
                                on_benefit=row.get("on_benefit", 0),
                                with_offset_earnings=row.get("with_offset_earnings", 0),
                                contacts=contacts.get(arm.id, 0)))
    total = CaseloadRow(arm=None, participants=sum(r.participants for r in rows),
                        on_benefit=sum(r.on_benefit for r in rows),
                        with_offset_earnings=sum(r.with_offset_earnings for r in rows),
                        contacts=sum(r.contacts for r in rows))
    return CaseloadOverview(as_of=as_of, uses_count_date=experiment.has_ended(today),
                            earnings_month=earnings_month, contacts_month=contacts_month, rows=rows, total=total)


# ---------------------------------------------------------------------------------------------------------
# Projectleider: participant development at the count date (report table 1)


@dataclass(frozen=True)
class DevelopmentColumn:
    arm: ArmInfo | None  # None for the total column
    participants: int  # Deelnemers
    stopped: int  # Gestopt
    exited: int  # Uitstroom
    on_benefit: int  # Stand

    @property
    def stopped_pct(self) -> float | None:
        return percentage(self.stopped, self.participants)

    @property
    def exited_pct(self) -> float | None:
        return percentage(self.exited, self.participants)

    @property
    def on_benefit_pct(self) -> float | None:
        return percentage(self.on_benefit, self.participants)

    @property
    def participants_pct(self) -> float | None:
        return percentage(self.participants, self.participants)


@dataclass(frozen=True)
class ParticipantDevelopment:
    count_date: date
    columns: list[DevelopmentColumn]
    total: DevelopmentColumn
    reference_group: int


def participant_development(experiment: ExperimentInfo) -> ParticipantDevelopment:
    """Deelnemers = Gestopt + Uitstroom + Stand per arm and in total, at the experiment's count date."""
    c = experiment.count_date
    on_benefit = on_benefit_at(c)
    not_stopped = ~stopped_before(c)
    per_arm = {
        row["arm_id"]: row
        for row in Enrollment.objects.filter(signed_before(c), experiment_id=experiment.id)
        .values("arm_id")
        .annotate(participants=Count("id"), stopped=Count("id", filter=stopped_before(c)),
                  exited=Count("id", filter=not_stopped & ~on_benefit),
                  on_benefit=Count("id", filter=not_stopped & on_benefit))
        .order_by()
    }
    columns = []
    for arm in arms_of(experiment):
        row = per_arm.get(arm.id, {})
        columns.append(DevelopmentColumn(arm=arm, participants=row.get("participants", 0),
                                         stopped=row.get("stopped", 0), exited=row.get("exited", 0),
                                         on_benefit=row.get("on_benefit", 0)))
    total = DevelopmentColumn(arm=None, participants=sum(col.participants for col in columns),
                              stopped=sum(col.stopped for col in columns),
                              exited=sum(col.exited for col in columns),
                              on_benefit=sum(col.on_benefit for col in columns))
    return ParticipantDevelopment(count_date=c, columns=columns, total=total,
                                  reference_group=reference_group_size(experiment))


# ---------------------------------------------------------------------------------------------------------
# Onderzoeker: allocation and questionnaire response


@dataclass(frozen=True)
class AllocationRow:
    arm: ArmInfo | None  # None for the total row
    allocated: int
    consented: int
    stopped: int

    @property
    def consented_pct(self) -> float | None:
        return percentage(self.consented, self.allocated)


@dataclass(frozen=True)
class AllocationOverview:
    rows: list[AllocationRow]
    total: AllocationRow
    reference_group: int


def allocation_overview(experiment: ExperimentInfo) -> AllocationOverview:
    """Per arm, as registered so far: allocated by the lottery, rules signed, stopped taking part."""
    per_arm = {
        row["arm_id"]: row
        for row in Enrollment.objects.filter(experiment_id=experiment.id)
        .values("arm_id")
        .annotate(allocated=Count("id"), consented=Count("id", filter=Q(consented_on__isnull=False)),
                  stopped=Count("id", filter=Q(stopped_on__isnull=False)))
        .order_by()
    }
    rows = []
    for arm in arms_of(experiment):
        row = per_arm.get(arm.id, {})
        rows.append(AllocationRow(arm=arm, allocated=row.get("allocated", 0), consented=row.get("consented", 0),
                                  stopped=row.get("stopped", 0)))
    total = AllocationRow(arm=None, allocated=sum(r.allocated for r in rows),
                          consented=sum(r.consented for r in rows), stopped=sum(r.stopped for r in rows))
    return AllocationOverview(rows=rows, total=total, reference_group=reference_group_size(experiment))


@dataclass(frozen=True)
class Respondents:
    respondents: int  # participants with at least one answer in the wave
    participants: int  # participants: rules signed

    @property
    def pct(self) -> float | None:
        return percentage(self.respondents, self.participants)


@dataclass(frozen=True)
class WaveResponse:
    wave: int
    per_arm: list[Respondents]  # in the order of the experiment's arms
    total: Respondents


def survey_response(experiment: ExperimentInfo) -> list[WaveResponse]:
    """Per questionnaire wave, per arm and in total: participants with at least one answer / participants."""
    arms = arms_of(experiment)
    participants = dict(Enrollment.objects.filter(experiment_id=experiment.id, consented_on__isnull=False)
                        .values_list("arm_id").annotate(n=Count("id")).order_by())
    answered: dict[int, dict[int, int]] = {}
    for wave, arm_id, n in (
        SurveyResponse.objects.filter(experiment_id=experiment.id, person__enrollments__experiment_id=experiment.id,
                                      person__enrollments__consented_on__isnull=False)
        .values_list("wave", "person__enrollments__arm_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    ):
        answered.setdefault(wave, {})[arm_id] = n
    total_participants = sum(participants.values())
    waves = []
    for wave in sorted(answered):
        cells = [Respondents(answered[wave].get(arm.id, 0), participants.get(arm.id, 0)) for arm in arms]
        waves.append(WaveResponse(wave=wave, per_arm=cells,
                                  total=Respondents(sum(answered[wave].values()), total_participants)))
    return waves


def experiment_manifest(experiment: Experiment) -> folder.Manifest:
    """The experiment's manifest as a dataset folder has it: municipality, period, count date and arms."""
    municipality = experiment.municipality
    return folder.Manifest(
        municipality=folder.Municipality(municipality.code, municipality.name),
        experiment=folder.Experiment(experiment.code, experiment.name, experiment.period_start,
                                     experiment.period_end, experiment.count_date),
        arms=tuple(folder.Arm(code=a.code, **{f: getattr(a, f) for f in ARM_PARAMETERS})
                   for a in experiment.arms.all()),
        provenance={"exported_from": "vertrouwen"},
    )
