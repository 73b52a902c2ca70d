"""`vertrouwen verify-allocations`: redo every draw and walk the hash chain; name every row that does not fit.

Read-only. For each experiment, draw by draw in sequence: the numbering has no gaps; the previous hash is the
link before it; the chain hash covers the record; the input hash covers the stored input; a draw made here is
redone from its seed, input and algorithm version and each allocation row must hold the arm the redo gives, on the
draw's date; an imported allocation must still hash to what was recorded. Finally every enrollment must repeat
its allocation, and every allocation must have its enrollment.

The analysis plan's versions form a chain of their own: each version's text must still hash to the plan hash it
was registered with and read as a plan, and each draw that names a plan must name a version registered before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vertrouwen.core import hashchain as chain
from vertrouwen.core.evaluation.plan import PlanError, plan_hash_of, read_plan
from vertrouwen.core.lottery.randomization import ALGORITHM_VERSIONS, randomize
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.lottery.models import Allocation, Draw, PlanVersion
from vertrouwen.web.lottery.services import draw_record, plan_record
from vertrouwen.web.registry.models import Enrollment, Experiment


@dataclass
class Verification:
    draws: int = 0
    allocations: int = 0
    plans: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        plans = f", {_count(self.plans, 'versie', 'versies')} van analyseplannen" if self.plans else ""
        head = (f"{_count(self.draws, 'loting', 'lotingen')}{plans} en "
                f"{_count(self.allocations, 'toewijzing', 'toewijzingen')} gecontroleerd: "
                + ("alles klopt" if self.ok else _count(len(self.problems), "afwijking", "afwijkingen")))
        return "\n".join([head, *(f"- {p}" for p in self.problems)])


def _count(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"


def verify_allocations() -> Verification:
    result = Verification()
    for experiment in Experiment.objects.select_related("municipality").order_by("id"):
        _verify_experiment(experiment, result)
    return result


def _verify_experiment(experiment: Experiment, result: Verification) -> None:
    plans = _verify_plans(experiment, result)
    previous = chain.GENESIS
    for expected_sequence, draw in enumerate(Draw.objects.filter(experiment=experiment).order_by("sequence"), 1):
        where = f"{experiment.code}, loting {draw.sequence}"
        if draw.sequence != expected_sequence:
            result.problems.append(f"{where}: loting {expected_sequence} ontbreekt in de keten")
        if draw.previous_hash != previous:
            result.problems.append(f"{where}: de vorige hash past niet bij de loting ervoor (keten verbroken)")
        if chain.chain_hash(draw.previous_hash, draw_record(draw, experiment)) != draw.chain_hash:
            result.problems.append(f"{where}: de gegevens van de loting passen niet bij haar kettinghash")
        previous = draw.chain_hash
        if draw.plan_hash and draw.plan_hash not in plans.get(draw.sequence, ()):
            result.problems.append(f"{where}: noemt analyseplan {draw.plan_hash[:12]}…, dat vóór deze loting niet "
                                   f"is vastgelegd")
        rows = list(Allocation.objects.filter(draw=draw).order_by("position")
                    .values_list("id", "position", "person__external_id", "arm__code", "allocated_on"))
        result.draws += 1
        result.allocations += len(rows)
        if len(rows) != draw.size:
            result.problems.append(f"{where}: {len(rows)} toewijzingen gevonden, {draw.size} vastgelegd")
        check = _verify_import if draw.kind == "import" else _verify_redo
        result.problems += [f"{where}: {p}" for p in check(draw, rows)]
    result.problems += _enrollment_problems(experiment)
    result.problems += _draws_missing_from_the_chain(experiment)
    result.problems += _plans_missing_from_the_chain(experiment)


def _verify_plans(experiment: Experiment, result: Verification) -> dict[int, set[str]]:
    """Walk the plan's chain; returns per draw sequence the plan hashes registered before that draw."""
    previous = chain.GENESIS
    registered: list[tuple[int, str]] = []  # (draws before it, plan hash)
    for expected, version in enumerate(PlanVersion.objects.filter(experiment=experiment).order_by("version"), 1):
        where = f"{experiment.code}, analyseplan versie {version.version}"
        result.plans += 1
        if version.version != expected:
            result.problems.append(f"{where}: versie {expected} ontbreekt in de keten")
        if version.previous_hash != previous:
            result.problems.append(f"{where}: de vorige hash past niet bij de versie ervoor (keten verbroken)")
        if chain.chain_hash(version.previous_hash, plan_record(version, experiment)) != version.chain_hash:
            result.problems.append(f"{where}: de gegevens van de versie passen niet bij haar kettinghash")
        if plan_hash_of(version.text) != version.plan_hash:
            result.problems.append(f"{where}: de tekst van het plan past niet bij de vastgelegde hash "
                                   f"{version.plan_hash[:12]}… (met de hand gewijzigd?)")
        else:
            try:
                read_plan(version.text, where)
            except PlanError as unreadable:
                result.problems.append(str(unreadable))
        previous = version.chain_hash
        registered.append((version.draws_before, version.plan_hash))
    sequences = Draw.objects.filter(experiment=experiment).values_list("sequence", flat=True)
    return {sequence: {plan for before, plan in registered if before < sequence} for sequence in sequences}


def plan_file_problems(text: str, where: str) -> list[str]:
    """Whether a plan file (an export's analyseplan.json, a copy sent to a journal) is a registered version of
    its experiment's plan, unchanged."""
    try:
        plan = read_plan(text, where)
    except PlanError as unreadable:
        return [str(unreadable)]
    versions = list(PlanVersion.objects.filter(experiment__code=plan.experiment).order_by("version")
                    .values_list("version", "plan_hash"))
    if not versions:
        return [f"{where}: experiment {plan.experiment} heeft geen vastgelegd analyseplan"]
    if any(plan_hash == plan_hash_of(text) for _, plan_hash in versions):
        return []
    known = ", ".join(f"versie {version} {plan_hash[:12]}…" for version, plan_hash in versions)
    return [f"{where}: SHA-256 {plan_hash_of(text)[:12]}… is geen vastgelegde versie van het analyseplan van "
            f"{plan.experiment} ({known}); het bestand is gewijzigd na het vastleggen"]


def _verify_redo(draw: Draw, rows: list[tuple]) -> list[str]:
    if draw.algorithm_version not in ALGORITHM_VERSIONS:
        return [f"algoritmeversie {draw.algorithm_version} is onbekend; deze versie van vertrouwen doet "
                f"{' en '.join(ALGORITHM_VERSIONS)} over"]
    try:
        numbers = [unit[0] for unit in draw.units]
        strata = {name: [unit[1 + i] for unit in draw.units] for i, name in enumerate(draw.strata)}
        redo = randomize(numbers, draw.arms, draw.ratio, draw.seed, method=draw.method, strata=strata,
                         stratify_by=draw.strata, algorithm_version=draw.algorithm_version)
    except (ValueError, TypeError, IndexError) as exc:  # RandomizationError is a ValueError
        return [f"de opgeslagen invoer kan niet opnieuw worden geloot ({exc})"]
    problems = []
    if redo.input_hash != draw.input_hash:
        problems.append("de opgeslagen invoer past niet bij haar hash")
    if redo.result_hash != draw.result_hash:
        problems.append("de herberekende uitkomst past niet bij de vastgelegde uitkomsthash")
    by_position = {position: (row_id, number, arm, on) for row_id, position, number, arm, on in rows}
    for position, (number, arm) in enumerate(zip(numbers, redo.arm.to_list(), strict=True)):
        found = by_position.get(position)
        if found is None:
            problems.append(f"positie {position}, persoon {number}: toewijzing ontbreekt")
        elif (found[1], found[2]) != (number, arm):
            problems.append(f"toewijzing {found[0]} (positie {position}): in de database persoon {found[1]} in "
                            f"{found[2]}, volgens de herberekening persoon {number} in {arm}")
        elif found[3] != draw.drawn_on:
            problems.append(f"toewijzing {found[0]} (positie {position}): persoon {number} toegewezen op "
                            f"{found[3]}, de loting was op {draw.drawn_on}")
    return problems


def _verify_import(draw: Draw, rows: list[tuple]) -> list[str]:
    problems = []
    if chain.digest(draw.units) != draw.input_hash:
        problems.append("de opgeslagen invoer past niet bij haar hash")
    for row_id, position, number, arm, on in rows:
        unit = draw.units[position] if position < len(draw.units) else None
        if unit != [number, arm, on.isoformat()]:
            problems.append(f"toewijzing {row_id} (positie {position}): persoon {number} in {arm} op {on} past "
                            f"niet bij de ingelezen toewijzing")
    return problems


def _enrollment_problems(experiment: Experiment) -> list[str]:
    allocations = {person: (arm, on) for person, arm, on in Allocation.objects.filter(experiment=experiment)
                   .values_list("person__external_id", "arm__code", "allocated_on")}
    problems = []
    enrolled = set()
    for person, arm, on in (Enrollment.objects.filter(experiment=experiment)
                            .values_list("person__external_id", "arm__code", "allocated_on")):
        enrolled.add(person)
        if allocations.get(person) != (arm, on):
            problems.append(f"{experiment.code}, deelname van persoon {person}: groep {arm} op {on} past niet bij "
                            f"een toewijzing uit de loting")
    problems += [f"{experiment.code}, toewijzing van persoon {person}: groep {arm} op {on} heeft geen deelname"
                 for person, (arm, on) in sorted(allocations.items()) if person not in enrolled]
    return problems


DRAW_EVENTS = ("lottery.drawn", "lottery.imported")
PLAN_EVENT = "lottery.plan_registered"


def _draws_missing_from_the_chain(experiment: Experiment) -> list[str]:
    chain = set(Draw.objects.filter(experiment=experiment).values_list("chain_hash", flat=True))
    events = AuditEvent.objects.filter(action__in=DRAW_EVENTS, details__experiment=experiment.code).order_by("at")
    return [f"{experiment.code}, loting {event.details.get('sequence')} van {event.at:%Y-%m-%d %H:%M} door "
            f"{event.actor_label} staat in de audittrail maar ontbreekt in de keten"
            for event in events if event.details.get("chain_hash") not in chain]


def _plans_missing_from_the_chain(experiment: Experiment) -> list[str]:
    chain = set(PlanVersion.objects.filter(experiment=experiment).values_list("chain_hash", flat=True))
    events = AuditEvent.objects.filter(action=PLAN_EVENT, details__experiment=experiment.code).order_by("at")
    return [f"{experiment.code}, analyseplan versie {event.details.get('version')} van {event.at:%Y-%m-%d %H:%M} "
            f"door {event.actor_label} staat in de audittrail maar ontbreekt in de keten"
            for event in events if event.details.get("chain_hash") not in chain]
