"""The lottery's writes: a draw, one person's allocation, invitations and consent, an imported allocation.

Each public function is one transaction that locks the experiment row first, so draws of one experiment run
one after the other and the hash chain has one line. A draw either allocates every person of its list or
nothing: any problem with the list refuses the whole draw with every problem named.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone

from vertrouwen.core import hashchain as chain
from vertrouwen.core.evaluation.plan import AnalysisPlan
from vertrouwen.core.lottery.randomization import RandomizationError, randomize
from vertrouwen.core.lottery.strata import STRATUM_VARIABLES
from vertrouwen.core.months import next_month
from vertrouwen.web.audit.actor import Actor
from vertrouwen.web.audit.services import record
from vertrouwen.web.lottery import selectors
from vertrouwen.web.lottery.models import Allocation, Draw, Invitation, PlanVersion
from vertrouwen.web.refusals import Problem, Refused
from vertrouwen.web.registry.models import Arm, Enrollment, Experiment, Person, ReferenceMember

PROBLEMS_SHOWN = 20
SEED_BITS = 62  # fits a signed 64-bit column
REASON_LENGTH = 2000  # an amendment's reason: a paragraph, not a document


class LotteryRefused(Refused):
    """The draw or allocation was refused; nothing was written. Every problem names the person or the setting."""

    headline = "Loting geweigerd, er is niets vastgelegd"


@dataclass(frozen=True)
class DrawRequest:
    """What the onderzoeker asks for. Without person numbers the draw takes every person the experiment's
    eligibility admits (for a cohort: that month's new inflow)."""

    drawn_on: date
    method: str = "stratified_block"
    strata: tuple[str, ...] = ()
    cohort_month: date | None = None
    person_numbers: tuple[str, ...] | None = None
    seed: int | None = None  # None: a fresh random seed, unknown to anyone before the draw


def draw_lottery(experiment_id: int, request: DrawRequest, *, actor) -> Draw:
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().select_related("municipality").get(pk=experiment_id)
        ids, found = _list_to_draw(experiment, request)
        seed = request.seed if request.seed is not None else secrets.randbits(SEED_BITS)
        kind = "cohort" if request.cohort_month else "list"
        draw = _draw(experiment, ids, found, request, seed, kind, actor)
    return draw


def allocate_person(experiment_id: int, person_number: str, *, on: date, actor) -> Allocation:
    """Allocate one person (for instance someone who consented, with consent first). A person already allocated
    keeps the arm they have: asking again, also at the same moment, gives that same allocation."""
    try:
        with transaction.atomic():
            experiment = Experiment.objects.select_for_update().select_related("municipality").get(pk=experiment_id)
            existing = _allocation_of(experiment, person_number)
            if existing is not None:
                return existing
            ids, found = _checked(experiment, [person_number], on, ())
            request = DrawRequest(drawn_on=on, method="complete", person_numbers=(person_number,))
            draw = _draw(experiment, ids, found, request, secrets.randbits(SEED_BITS), "single", actor)
            return draw.allocations.get()
    except IntegrityError:
        # Another connection allocated this person between our check and our insert (a database without row
        # locks); the allocation that won is the one.
        existing = _allocation_of(Experiment.objects.get(pk=experiment_id), person_number)
        if existing is None:
            raise
        return existing


def _allocation_of(experiment: Experiment, person_number: str) -> Allocation | None:
    return (Allocation.objects.select_related("arm", "person")
            .filter(experiment=experiment, person__external_id=person_number).first())


def _list_to_draw(experiment: Experiment, request: DrawRequest) -> tuple[list[int], pl.DataFrame]:
    problems = []
    if request.cohort_month is not None:
        problems += _cohort_problems(experiment, request)
    if problems:
        raise LotteryRefused(problems)
    if request.person_numbers is None:
        found = _within_age(experiment, selectors.candidate_ids(experiment, request.drawn_on, request.cohort_month),
                            request.drawn_on)
        return _checked(experiment, found["person_id"].to_list(), request.drawn_on, request.strata, found)
    return _checked(experiment, list(request.person_numbers), request.drawn_on, request.strata)


def _cohort_problems(experiment: Experiment, request: DrawRequest) -> list[str]:
    month = request.cohort_month
    problems = []
    if request.person_numbers is not None:
        problems.append("kies een maandcohort of een lijst met persoonsnummers, niet allebei")
    if month.day != 1:
        problems.append(f"cohortmaand {month}: geef de eerste dag van de maand")
    if month < experiment.period_start.replace(day=1) or month > experiment.period_end:
        problems.append(f"cohortmaand {month:%Y-%m} ligt buiten de periode van het experiment")
    if request.drawn_on < next_month(month):
        problems.append(f"cohortmaand {month:%Y-%m} is op de lotingsdatum {request.drawn_on} nog niet voorbij; "
                        f"een cohort wordt geloot als de hele maand binnen is")
    earlier = Draw.objects.filter(experiment=experiment, kind="cohort", cohort_month=month).first()
    if earlier is not None:
        problems.append(f"cohortmaand {month:%Y-%m} is al geloot (loting {earlier.sequence} op "
                        f"{earlier.drawn_on}); een cohort wordt één keer geloot")
    return problems


def _within_age(experiment: Experiment, ids: list[int], on: date) -> pl.DataFrame:
    """The attributes at `on` of the candidates inside the age limits, in the candidates' order; a candidate
    without a known age stays, to be named by the check."""
    order = pl.DataFrame({"pk": ids, "order": range(len(ids))}, schema={"pk": pl.Int64, "order": pl.Int64})
    age = pl.col("age")
    return (selectors.attributes(ids, on).join(order, on="pk").sort("order").drop("order")
            .filter(age.is_null() | age.is_between(experiment.min_age, experiment.max_age)))


def _checked(experiment: Experiment, numbers: list[str], on: date, strata: tuple[str, ...],
             found: pl.DataFrame | None = None) -> tuple[list[int], pl.DataFrame]:
    """The persons of the list, in its order, and their attributes at `on` (`found`, when the caller has them
    already), after checking every one of them; raises with all problems."""
    problems = []
    if on > experiment.period_end:
        raise LotteryRefused([f"de lotingsdatum {on} ligt na het einde van het experiment ({experiment.period_end})"])
    if not numbers:
        raise LotteryRefused(["de lijst is leeg: er is niemand om te loten"])
    if unknown_strata := [s for s in strata if s not in STRATUM_VARIABLES]:
        raise LotteryRefused([f"onbekende stratumvariabele {', '.join(unknown_strata)}"])
    seen = set()
    for number in numbers:
        if number in seen:
            problems.append(f"persoon {number}: staat meer dan eens op de lijst")
        seen.add(number)
    pks = dict(Person.objects.filter(municipality_id=experiment.municipality_id, external_id__in=numbers)
               .values_list("external_id", "pk"))
    problems += [f"persoon {n}: onbekend persoonsnummer in {experiment.municipality.name}"
                 for n in dict.fromkeys(numbers) if n not in pks]
    allocated = set(Allocation.objects.filter(experiment=experiment, person_id__in=pks.values())
                    .values_list("person__external_id", flat=True))
    problems += [f"persoon {n}: is al geloot voor dit experiment" for n in dict.fromkeys(numbers) if n in allocated]
    if found is None:
        found = selectors.attributes(list(pks.values()), on)
    problems += _eligibility_problems(experiment, found, on, strata)
    if experiment.lottery_order == "consent_first":
        consented = set(Invitation.objects.filter(experiment=experiment, person_id__in=pks.values(),
                                                  consented_on__isnull=False, consented_on__lte=on)
                        .values_list("person__external_id", flat=True))
        problems += [f"persoon {n}: heeft (nog) geen toestemming gegeven; bij dit experiment komt de toestemming "
                     f"vóór de loting" for n in dict.fromkeys(numbers) if n in pks and n not in consented]
    if problems:
        raise LotteryRefused(problems)
    return [pks[n] for n in numbers], found


def _eligibility_problems(experiment: Experiment, found, on: date, strata: tuple[str, ...]) -> list[str]:
    problems = []
    for row in found.sort("person_id").iter_rows(named=True):
        who = f"persoon {row['person_id']}"
        if experiment.requires_benefit and not row["on_benefit"]:
            problems.append(f"{who}: heeft op {on:%d-%m-%Y} geen uitkering")
        age = row["age"]
        if age is None:
            problems.append(f"{who}: leeftijd onbekend (geboortedatum en geboortejaar ontbreken)")
        elif not experiment.min_age <= age <= experiment.max_age:
            problems.append(f"{who}: leeftijd {age} valt buiten de grenzen van het experiment "
                            f"({experiment.min_age} tot en met {experiment.max_age} jaar)")
        problems += [f"{who}: {STRATUM_VARIABLES[s].lower()} ontbreekt, nodig voor de stratificatie"
                     for s in strata if row.get(s) is None]
    return problems


def _draw(experiment: Experiment, ids: list[int], found: pl.DataFrame, request: DrawRequest, seed: int, kind: str,
          actor) -> Draw:
    """Randomize the checked persons (`found`: their attributes at the draw date) and record the draw."""
    arms = list(Arm.objects.filter(experiment=experiment).order_by("position", "id"))
    if len(arms) < 2:
        raise LotteryRefused(["het experiment heeft minder dan twee groepen; richt eerst de groepen in"])
    by_pk = {row["pk"]: row for row in found.iter_rows(named=True)}
    numbers = [by_pk[pk]["person_id"] for pk in ids]
    strata = {s: [by_pk[pk][s] for pk in ids] for s in request.strata}
    try:
        result = randomize(numbers, [a.code for a in arms], [a.allocation_ratio for a in arms], seed,
                           method=request.method, strata=strata, stratify_by=request.strata)
    except RandomizationError as exc:
        raise LotteryRefused([str(exc)]) from exc
    units = [[n, *(strata[s][i] for s in request.strata)] for i, n in enumerate(numbers)]
    draw = _record_draw(experiment, kind, request, seed, units, result.input_hash, result.result_hash,
                        arms=[a.code for a in arms], ratio=[a.allocation_ratio for a in arms],
                        algorithm_version=result.algorithm_version, actor=actor)
    arm_by_code = {a.code: a for a in arms}
    _allocate(experiment, draw, list(zip(ids, (arm_by_code[c] for c in result.arm.to_list()), strict=True)),
              request.drawn_on, blocks=result.block.tolist(), block_sizes=result.block_sizes.tolist())
    record(actor=actor, action="lottery.drawn", object_type="draw", object_id=draw.pk,
           details={"experiment": experiment.code, "sequence": draw.sequence, "kind": kind, "size": draw.size,
                    "method": draw.method, "strata": draw.strata, "chain_hash": draw.chain_hash,
                    "cohort_month": request.cohort_month.isoformat() if request.cohort_month else None})
    return draw


def _record_draw(experiment: Experiment, kind: str, request: DrawRequest, seed: int | None, units: list,
                 input_hash: str, result_hash: str, *, arms: list[str], ratio: list[int], algorithm_version: str,
                 actor) -> Draw:
    last = Draw.objects.filter(experiment=experiment).order_by("-sequence").first()
    draw = Draw(experiment=experiment, sequence=(last.sequence + 1) if last else 1, kind=kind,
                cohort_month=request.cohort_month, drawn_on=request.drawn_on, seed=seed,
                method=request.method if kind != "import" else "", strata=list(request.strata), arms=arms,
                ratio=ratio, algorithm_version=algorithm_version, units=units, size=len(units),
                input_hash=input_hash, result_hash=result_hash,
                previous_hash=last.chain_hash if last else chain.GENESIS,
                plan_hash=selectors.plan_hash_in_force(experiment))
    who = Actor.of(actor)
    draw.drawn_by_id, draw.actor_label = who.user_id, who.label
    draw.chain_hash = chain.chain_hash(draw.previous_hash, draw_record(draw, experiment))
    draw.save()
    return draw


def draw_record(draw: Draw, experiment: Experiment) -> dict:
    """What the chain hash of a draw covers."""
    return {
        "municipality": experiment.municipality.code, "experiment": experiment.code, "sequence": draw.sequence,
        "kind": draw.kind, "cohort_month": draw.cohort_month.isoformat() if draw.cohort_month else None,
        "drawn_on": draw.drawn_on.isoformat(), "seed": draw.seed, "method": draw.method, "strata": draw.strata,
        "arms": draw.arms, "ratio": draw.ratio, "algorithm_version": draw.algorithm_version, "size": draw.size,
        "input_hash": draw.input_hash, "result_hash": draw.result_hash,
        **({"plan_hash": draw.plan_hash} if draw.plan_hash else {}),  # older draws keep the record they had
    }


def _allocate(experiment: Experiment, draw: Draw, allocated: list[tuple[int, Arm]], on: date, *,
              blocks: list[int], block_sizes: list[int]) -> None:
    """The allocation rows, and the enrollment of each person with the block it was dealt in (the evaluation
    re-deals these blocks); an allocated person leaves the reference group. With consent first the person already
    agreed, so they take part from the draw on."""
    Allocation.objects.bulk_create([
        Allocation(draw=draw, experiment=experiment, person_id=pk, arm=arm, position=i, allocated_on=on)
        for i, (pk, arm) in enumerate(allocated)])
    consented_on = on if experiment.lottery_order == "consent_first" else None
    Enrollment.objects.bulk_create([
        Enrollment(experiment=experiment, person_id=pk, arm=arm, allocated_on=on, consented_on=consented_on,
                   draw=str(draw.sequence), method=draw.method, block=block, block_size=size)
        for (pk, arm), block, size in zip(allocated, blocks, block_sizes, strict=True)])
    ReferenceMember.objects.filter(experiment=experiment, person_id__in=[pk for pk, _ in allocated]).delete()


def record_imported_allocation(experiment: Experiment, enrollments: list[tuple[int, str, int, date]], *,
                               actor) -> Draw | None:
    """Register enrollments read from a dataset, drawn outside this system, as one draw of kind 'import':
    (person pk, person number, arm pk, allocation date) each. They join the hash chain, so later changes are
    found, but cannot be recomputed. Called by the import inside its transaction."""
    if not enrollments:
        return None
    Experiment.objects.select_for_update().filter(pk=experiment.pk).first()
    arm_codes = dict(Arm.objects.filter(experiment=experiment).values_list("pk", "code"))
    rows = sorted((number, arm_codes[arm], on.isoformat(), pk, arm) for pk, number, arm, on in enrollments)
    units = [[number, code, on] for number, code, on, _, _ in rows]
    digest = chain.digest(units)
    request = DrawRequest(drawn_on=min(on for _, _, _, on in enrollments), method="")
    draw = _record_draw(experiment, "import", request, None, units, digest, digest, arms=sorted(arm_codes.values()),
                        ratio=[], algorithm_version="", actor=actor)
    Allocation.objects.bulk_create([
        Allocation(draw=draw, experiment=experiment, person_id=pk, arm_id=arm, position=i,
                   allocated_on=date.fromisoformat(on))
        for i, (_, _, on, pk, arm) in enumerate(rows)], batch_size=2000)
    record(actor=actor, action="lottery.imported", object_type="draw", object_id=draw.pk,
           details={"experiment": experiment.code, "sequence": draw.sequence, "kind": "import", "size": draw.size,
                    "chain_hash": draw.chain_hash})
    return draw


# --- the analysis plan --------------------------------------------------------------------------------------


def register_plan(experiment_id: int, plan: AnalysisPlan, *, on: date, reason: str = "", actor) -> PlanVersion:
    """Register the experiment's analysis plan, or amend it: a new version, chained to the one before, in force for
    every later draw and for the evaluation. An amendment needs a reason and must come before the count date."""
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().select_related("municipality").get(pk=experiment_id)
        last = PlanVersion.objects.filter(experiment=experiment).order_by("-version").first()
        problems = _plan_problems(experiment, plan, on, reason.strip(), last)
        if problems:
            raise LotteryRefused(problems)
        version = PlanVersion(experiment=experiment, version=last.version + 1 if last else 1, text=plan.to_json(),
                              plan_hash=plan.hash, reason=reason.strip(), registered_on=on,
                              draws_before=Draw.objects.filter(experiment=experiment).count(),
                              previous_hash=last.chain_hash if last else chain.GENESIS)
        who = Actor.of(actor)
        version.registered_by_id, version.actor_label = who.user_id, who.label
        version.chain_hash = chain.chain_hash(version.previous_hash, plan_record(version, experiment))
        version.save()
        record(actor=actor, action="lottery.plan_registered", object_type="plan_version", object_id=version.pk,
               details={"experiment": experiment.code, "version": version.version, "plan_hash": version.plan_hash,
                        "chain_hash": version.chain_hash, "draws_before": version.draws_before})
        return version


def _plan_problems(experiment: Experiment, plan: AnalysisPlan, on: date, reason: str,
                   last: PlanVersion | None) -> list[str | Problem]:
    problems = []
    if plan.experiment != experiment.code:
        problems.append(f"het plan hoort bij experiment {plan.experiment}, niet bij {experiment.code}")
    if plan.count_date != experiment.count_date:
        problems.append(f"het plan noemt de teldatum {plan.count_date:%d-%m-%Y}; het experiment telt op "
                        f"{experiment.count_date:%d-%m-%Y}")
    today = timezone.localdate()
    if on > today:
        problems.append(Problem(f"de datum {on:%d-%m-%Y} ligt in de toekomst", "registered_on"))
    if today >= experiment.count_date:  # the outcomes can be known: what is fixed now is no longer a plan
        problems.append(f"de teldatum ({experiment.count_date:%d-%m-%Y}) is bereikt: het plan kan niet meer "
                        f"worden vastgelegd of gewijzigd")
    elif on >= experiment.count_date:
        problems.append(Problem(f"op {on:%d-%m-%Y} is de teldatum ({experiment.count_date:%d-%m-%Y}) bereikt: het "
                                f"plan kan niet meer worden vastgelegd of gewijzigd", "registered_on"))
    if last is not None:
        if not reason:
            problems.append(Problem("een wijziging van het plan heeft een reden nodig", "reason"))
        if last.plan_hash == plan.hash:
            problems.append(f"het plan is gelijk aan versie {last.version}; er is niets te wijzigen")
        if on < last.registered_on:
            problems.append(Problem(f"de datum {on:%d-%m-%Y} ligt vóór versie {last.version} "
                                    f"({last.registered_on:%d-%m-%Y})", "registered_on"))
    if len(reason) > REASON_LENGTH:
        problems.append(Problem(f"ten hoogste {REASON_LENGTH} tekens, gegeven {len(reason)}", "reason"))
    return problems


def plan_record(version: PlanVersion, experiment: Experiment) -> dict:
    """What the chain hash of a plan version covers."""
    return {"municipality": experiment.municipality.code, "experiment": experiment.code, "version": version.version,
            "plan_hash": version.plan_hash, "reason": version.reason,
            "registered_on": version.registered_on.isoformat(), "by": version.actor_label,
            "draws_before": version.draws_before}


# --- invitations and consent ------------------------------------------------------------------------------


def record_invitation(experiment_id: int, person_number: str, *, invited_on: date, actor) -> Invitation:
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=experiment_id)  # one invitation at a time
        person = _person(experiment, person_number)
        invitation, created = Invitation.objects.get_or_create(experiment=experiment, person=person,
                                                               defaults={"invited_on": invited_on})
        if not created:
            raise LotteryRefused([f"persoon {person_number}: is al uitgenodigd op {invitation.invited_on}"])
        record(actor=actor, action="lottery.invited", object_type="invitation", object_id=invitation.pk,
               details={"experiment": experiment.code, "person": person_number, "invited_on": invited_on.isoformat()})
        return invitation


def record_answer(experiment_id: int, person_number: str, *, consented: bool, on: date, actor) -> Invitation:
    """The person's answer to the invitation: consent to take part (and, after the lottery, the signing of the
    allocated arm's rules) or declining."""
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=experiment_id)
        person = _person(experiment, person_number)
        invitation = Invitation.objects.select_for_update().filter(experiment=experiment, person=person).first()
        if invitation is None:
            raise LotteryRefused([f"persoon {person_number}: is niet uitgenodigd"])
        if invitation.consented_on or invitation.declined_on:
            raise LotteryRefused([f"persoon {person_number}: het antwoord is al vastgelegd"])
        if on < invitation.invited_on:
            raise LotteryRefused([f"persoon {person_number}: het antwoord ligt vóór de uitnodiging "
                                  f"({invitation.invited_on})"])
        if consented:
            invitation.consented_on = on
            _sign_rules(experiment, person, on)
        else:
            invitation.declined_on = on
        invitation.save(update_fields=["consented_on", "declined_on"])
        record(actor=actor, action="lottery.consented" if consented else "lottery.declined",
               object_type="invitation", object_id=invitation.pk,
               details={"experiment": experiment.code, "person": person_number, "on": on.isoformat()})
        return invitation


def _sign_rules(experiment: Experiment, person: Person, on: date) -> None:
    """With the lottery first, consent is signing the allocated arm's rules, after the draw."""
    if experiment.lottery_order != "lottery_first":
        return
    enrollment = Enrollment.objects.filter(experiment=experiment, person=person).first()
    if enrollment is None:
        raise LotteryRefused([f"persoon {person.external_id}: is nog niet geloot; bij dit experiment komt de "
                              f"loting vóór het tekenen van de spelregels"])
    if on < enrollment.allocated_on:
        raise LotteryRefused([f"persoon {person.external_id}: tekenen kan pas na de loting "
                              f"({enrollment.allocated_on})"])
    enrollment.consented_on = on
    enrollment.save(update_fields=["consented_on"])


def _person(experiment: Experiment, person_number: str) -> Person:
    person = Person.objects.filter(municipality_id=experiment.municipality_id, external_id=person_number).first()
    if person is None:
        raise LotteryRefused([f"persoon {person_number}: onbekend persoonsnummer"])
    return person
