"""Reading for the lottery: who can be drawn, the person attributes strata come from, draws and their balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db.models import Count, Exists, OuterRef

from vertrouwen.core.dataset import schema
from vertrouwen.core.evaluation.evaluate import contrasts_of
from vertrouwen.core.evaluation.plan import AnalysisPlan, default_plan, read_plan
from vertrouwen.core.lottery.balance import BALANCE_COVARIATES, BalanceTable, balance_table
from vertrouwen.core.lottery.randomization import METHOD_LABELS
from vertrouwen.core.lottery.strata import person_attributes
from vertrouwen.core.months import next_month
from vertrouwen.web.lottery.models import Allocation, Draw, Invitation, PlanVersion
from vertrouwen.web.registry.models import Arm, BenefitSpell, Experiment, Person
from vertrouwen.web.registry.predicates import on_benefit_at
from vertrouwen.web.registry.selectors import experiment_manifest


def person_frames(person_ids) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The persons and their benefit spells as the dataset's typed tables, person_id being the person number.
    Also a 'pk' column on persons, to map back."""
    persons = list(Person.objects.filter(pk__in=person_ids).values_list(
        "pk", "external_id", "birth_date", "birth_year", "sex", "household_type", "refugee_status_holder",
        "limitation", "education"))
    columns = ["pk", "person_id", "birth_date", "birth_year", "sex", "household_type", "refugee_status_holder",
               "limitation", "education"]
    person_schema = {"pk": pl.Int64, **{c: t for c, t in schema.table_schema(schema.PERSONS).items()
                                        if c in columns}}
    persons_frame = pl.DataFrame(persons, schema=person_schema, orient="row")
    spells = list(BenefitSpell.objects.filter(person_id__in=person_ids).values_list(
        "person__external_id", "spell_start", "spell_end", "end_reason"))
    spells_frame = pl.DataFrame(spells, schema=schema.table_schema(schema.BENEFIT_SPELLS), orient="row")
    return persons_frame, spells_frame


def attributes(person_ids, on: date) -> pl.DataFrame:
    """Person attributes at `on` (core.lottery.strata), keyed by person_id (the person number), with 'pk'."""
    persons, spells = person_frames(person_ids)
    found = person_attributes(persons.drop("pk"), spells, on)
    return found.join(persons.select("person_id", "pk"), on="person_id", how="left")


def candidate_ids(experiment: Experiment, on: date, cohort_month: date | None = None) -> list[int]:
    """The persons the lottery may draw at `on`, in person-number order: the municipality's persons not yet
    allocated; on benefit at `on` when the experiment asks for it; for a cohort, those whose benefit started in
    that month; with consent first, only those who consented. Age is checked on the attributes."""
    persons = Person.objects.filter(municipality_id=experiment.municipality_id,
                                    erased_on__isnull=True).exclude(  # an erased skeleton is no candidate
        Exists(Allocation.objects.filter(experiment=experiment, person=OuterRef("pk"))))
    if experiment.requires_benefit:
        persons = persons.filter(on_benefit_at(on, person="pk"))
    if cohort_month is not None:
        persons = persons.filter(Exists(BenefitSpell.objects.filter(
            person=OuterRef("pk"), spell_start__gte=cohort_month, spell_start__lt=next_month(cohort_month))))
    if experiment.lottery_order == "consent_first":
        persons = persons.filter(Exists(Invitation.objects.filter(
            experiment=experiment, person=OuterRef("pk"), consented_on__isnull=False, consented_on__lte=on)))
    return list(persons.order_by("external_id").values_list("pk", flat=True))


@dataclass(frozen=True)
class DrawSummary:
    id: int
    sequence: int
    kind: str
    kind_label: str
    cohort_month: date | None
    drawn_on: date
    actor_label: str
    seed: int | None
    method: str
    method_label: str
    strata: list
    size: int
    chain_hash: str
    plan_hash: str | None
    per_arm: list[tuple[str, int]]  # (arm name, allocated) in the arms' order


def draws_of(experiment: Experiment, only: int | None = None) -> list[DrawSummary]:
    """Every draw of the experiment (or only the draw with pk `only`), newest first, with the number allocated
    per arm."""
    draws = Draw.objects.filter(experiment=experiment)
    allocations = Allocation.objects.filter(experiment=experiment)
    if only is not None:
        draws, allocations = draws.filter(pk=only), allocations.filter(draw_id=only)
    arms = list(Arm.objects.filter(experiment=experiment).order_by("position", "id").values_list("id", "name"))
    counts = {(row["draw_id"], row["arm_id"]): row["n"] for row in
              allocations.values("draw_id", "arm_id").annotate(n=Count("id"))}
    return [
        DrawSummary(id=d.id, sequence=d.sequence, kind=d.kind, kind_label=d.get_kind_display(),
                    cohort_month=d.cohort_month, drawn_on=d.drawn_on, actor_label=d.actor_label, seed=d.seed,
                    method=d.method, method_label=METHOD_LABELS.get(d.method, ""), strata=d.strata, size=d.size,
                    chain_hash=d.chain_hash, plan_hash=d.plan_hash,
                    per_arm=[(name, counts.get((d.id, arm_id), 0)) for arm_id, name in arms])
        for d in draws.order_by("-sequence").only(
            "id", "sequence", "kind", "cohort_month", "drawn_on", "actor_label", "seed", "method", "strata", "size",
            "chain_hash", "plan_hash")
    ]


def draw_balance(draw: Draw) -> BalanceTable:
    """The balance table of one draw: the persons' attributes at the draw date, per arm."""
    rows = list(Allocation.objects.filter(draw=draw).values_list("person_id", "arm__code"))
    allocated = pl.DataFrame(rows, schema={"pk": pl.Int64, "arm": pl.String}, orient="row")
    found = attributes([pk for pk, _ in rows], draw.drawn_on).join(allocated, on="pk")
    arms = list(Arm.objects.filter(experiment_id=draw.experiment_id).order_by("position", "id")
                .values_list("code", "is_control"))
    control = next((code for code, is_control in arms if is_control), arms[0][0])
    return balance_table(found, arm_column="arm", covariates=BALANCE_COVARIATES,
                         arms=[code for code, _ in arms], control=control)


def plan_versions(experiment: Experiment) -> list[PlanVersion]:
    """Every version of the experiment's analysis plan, the first first."""
    return list(PlanVersion.objects.filter(experiment=experiment).order_by("version"))


def plan_hash_in_force(experiment: Experiment) -> str | None:
    """The hash of the plan version in force (the newest), none without a plan."""
    return (PlanVersion.objects.filter(experiment=experiment).order_by("-version")
            .values_list("plan_hash", flat=True).first())


def registered_plan(experiment: Experiment) -> AnalysisPlan | None:
    """The analysis plan in force, as registered; none without a plan."""
    text = (PlanVersion.objects.filter(experiment=experiment).order_by("-version")
            .values_list("text", flat=True).first())
    return None if text is None else read_plan(text, f"analyseplan van {experiment.code}")


def planned_contrasts(experiment: Experiment) -> list[tuple[str, str]]:
    """The comparisons a plan can name, as the evaluation makes them, with the arms' names: (code, label)."""
    manifest = experiment_manifest(experiment)
    control = next((arm for arm in manifest.arms if arm.is_control), None)
    if control is None:
        return []
    names = dict(experiment.arms.values_list("code", "name"))
    contrasts = contrasts_of(manifest, control.code, {arm.code: 2 for arm in manifest.arms})
    return [(c.code, f"{' en '.join(names[a] for a in c.arms)} tegen {names[control.code]} ({c.code})")
            for c in contrasts]


def proposed_plan(experiment: Experiment) -> AnalysisPlan:
    """The plan in force, or before there is one the plan vertrouwen proposes (core.evaluation.plan)."""
    registered = registered_plan(experiment)
    if registered is not None:
        return registered
    return default_plan(experiment_manifest(experiment), tuple(code for code, _ in planned_contrasts(experiment)))
