"""`vertrouwen verify-allocations`: redo every draw and walk the hash chain; name every row that does not fit.

Read-only. For each experiment, draw by draw in sequence: the numbering has no gaps; the previous hash is the
link before it; the chain hash covers the record; the input hash covers the stored input; a draw made here is
redone from its seed, input and algorithm version and each allocation row must hold the arm the redo gives, on the
draw's date; an imported allocation must still hash to what was recorded. Finally every enrollment must repeat
its allocation, and every allocation must have its enrollment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vertrouwen.core import hashchain as chain
from vertrouwen.core.lottery.randomization import ALGORITHM_VERSION, randomize
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.lottery.services import draw_record
from vertrouwen.web.registry.models import Enrollment, Experiment


@dataclass
class Verification:
    draws: int = 0
    allocations: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = (f"{self.draws} lotingen en {self.allocations} toewijzingen gecontroleerd: "
                + ("alles klopt" if self.ok else f"{len(self.problems)} afwijkingen"))
        return "\n".join([head, *(f"- {p}" for p in self.problems)])


def verify_allocations() -> Verification:
    result = Verification()
    for experiment in Experiment.objects.select_related("municipality").order_by("id"):
        _verify_experiment(experiment, result)
    return result


def _verify_experiment(experiment: Experiment, result: Verification) -> None:
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


def _verify_redo(draw: Draw, rows: list[tuple]) -> list[str]:
    if draw.algorithm_version != ALGORITHM_VERSION:
        return [f"algoritmeversie {draw.algorithm_version} kan deze versie ({ALGORITHM_VERSION}) niet overdoen"]
    try:
        numbers = [unit[0] for unit in draw.units]
        strata = {name: [unit[1 + i] for unit in draw.units] for i, name in enumerate(draw.strata)}
        redo = randomize(numbers, draw.arms, draw.ratio, draw.seed, method=draw.method, strata=strata,
                         stratify_by=draw.strata)
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


def _draws_missing_from_the_chain(experiment: Experiment) -> list[str]:
    chain = set(Draw.objects.filter(experiment=experiment).values_list("chain_hash", flat=True))
    events = AuditEvent.objects.filter(action__in=DRAW_EVENTS, details__experiment=experiment.code).order_by("at")
    return [f"{experiment.code}, loting {event.details.get('sequence')} van {event.at:%Y-%m-%d %H:%M} door "
            f"{event.actor_label} staat in de audittrail maar ontbreekt in de keten"
            for event in events if event.details.get("chain_hash") not in chain]
