"""Deliveries through the API: benefit spells and monthly earnings, all or nothing, each delivery audited.

An item is checked by the dataset format's own checks (core.dataset.validation), as a row of the same table in a
delivered folder would be, so `vertrouwen import` and the API accept exactly the same values. What a folder checks
across its files is checked against the register instead: the person must be known in the token's municipality,
and a person's benefit spells may not overlap, counting those stored already.

Items are matched on the table's natural key (docs/dataset-format.md): a new key is added, a known one takes the
delivered values, as `vertrouwen import --update` does. Nothing is deleted.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import polars as pl
from django.db import transaction

from vertrouwen.core.dataset.schema import BENEFIT_SPELLS, EARNINGS, Table
from vertrouwen.core.dataset.validation import LINE, PERSON_ID_NAME, Problem, RawTable, check_tables, sort_problems
from vertrouwen.web import refusals
from vertrouwen.web.audit.services import record
from vertrouwen.web.registry.mapping import PERSON_RECORD_TARGETS, Target
from vertrouwen.web.registry.models import BenefitSpell, Municipality, Person

Item = Mapping[str, str | None]  # one delivered item: each column's value as the text a file would hold

_TARGETS = {target.table.name: target for target in PERSON_RECORD_TARGETS}
# "regel 3" in a message of the dataset checks: for the API, the item at that index (or a stored spell).
_LINE_REFERENCE = re.compile(r"(de uitkering van )?regel (\d+)")


class DeliveryRefused(refusals.Refused):
    """Nothing was stored. Each problem's line is the item's position in the delivery, from 0 (None for the
    delivery as a whole)."""

    headline = "Levering geweigerd, er is niets opgeslagen"


@dataclass(frozen=True)
class DeliveryResult:
    received: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def deliver_benefit_spells(items: Sequence[Item], *, municipality: Municipality, actor,
                           origin: str | None = None) -> DeliveryResult:
    return _deliver(BENEFIT_SPELLS, items, municipality, actor, origin)


def deliver_earnings(items: Sequence[Item], *, municipality: Municipality, actor,
                     origin: str | None = None) -> DeliveryResult:
    return _deliver(EARNINGS, items, municipality, actor, origin)


def _deliver(table: Table, items: Sequence[Item], municipality: Municipality, actor, origin) -> DeliveryResult:
    action = f"api.{table.name}_delivered"
    try:
        typed = _checked(table, items)
        with transaction.atomic():
            persons = _known_persons(typed, municipality)
            # Locked, so that two deliveries for the same person cannot both pass the overlap check.
            list(Person.objects.select_for_update().filter(pk__in=sorted(persons.values())).values_list("pk"))
            if table is BENEFIT_SPELLS:
                _check_against_stored_spells(items, typed, persons)
            result = _store(_TARGETS[table.name], typed, persons)
            record(actor=actor, action=action, object_type="municipality", object_id=municipality.code,
                   details=asdict(result), origin=origin)
            return result
    except DeliveryRefused as refused:
        record_refusal(table, len(items), refused, municipality=municipality, actor=actor, origin=origin)
        raise


def record_refusal(table: Table, received: int, refused: DeliveryRefused, *, municipality: Municipality, actor,
                   origin: str | None = None) -> None:
    """A refused delivery is audited too, after its own transaction was rolled back: how many items, how many
    problems; never their values."""
    with transaction.atomic():
        record(actor=actor, action=f"api.{table.name}_delivered", object_type="municipality",
               object_id=municipality.code, details={"received": received, "errors": len(refused.problems)},
               result="refused", origin=origin)


def _checked(table: Table, items: Sequence[Item]) -> pl.DataFrame:
    """The items as a typed table (with LINE = index), or DeliveryRefused with every problem the dataset
    checks find in them as rows of `table`."""
    typed, problems = dataset_checks(table, items)
    if problems:
        raise DeliveryRefused([refusals.Problem(_api_wording(p.reason), p.column, p.line) for p in problems])
    return typed


def dataset_checks(table: Table, items: Sequence[Item]) -> tuple[pl.DataFrame, list[Problem]]:
    """The dataset format's checks on the items as the rows of `table`, each item's index as its line: the typed
    table and every problem, in the order `vertrouwen validate` lists them."""
    frame = pl.DataFrame({LINE: list(range(len(items))),
                          **{name: [item.get(name) for item in items] for name in table.column_names}},
                         schema={LINE: pl.Int64, **dict.fromkeys(table.column_names, pl.String)})
    typed, problems = check_tables({table.name: RawTable(frame, frozenset(table.column_names))}, None)
    return typed[table.name], sort_problems(problems)


def _api_wording(reason: str, stored: Mapping[int, str] | None = None) -> str:
    """A message of the dataset checks with its line references turned into item indexes, or for a stored
    spell (`stored`: line -> its start) into that spell."""
    def place(match: re.Match) -> str:
        line = int(match.group(2))
        if stored and line in stored:
            return f"de opgeslagen uitkering vanaf {stored[line]}"
        return f"{match.group(1) or ''}item {line}"

    return _LINE_REFERENCE.sub(place, reason).replace("dubbele regel", "dubbel item")


def _known_persons(typed: pl.DataFrame, municipality: Municipality) -> dict[str, int]:
    """external_id -> pk of every person the items name; DeliveryRefused for a person not in the register."""
    wanted = set(typed.get_column(PERSON_ID_NAME).to_list())
    known = dict(Person.objects.filter(municipality=municipality, external_id__in=wanted)
                 .values_list("external_id", "pk"))
    errors = [refusals.Problem(f"persoon {person_id} is niet bekend bij {municipality.name}; personen komen in het "
                               f"register met een levering van persons.csv (vertrouwen import)", PERSON_ID_NAME, index)
              for index, person_id in typed.select(LINE, PERSON_ID_NAME).iter_rows() if person_id not in known]
    if errors:
        raise DeliveryRefused(errors)
    return known


def _check_against_stored_spells(items: Sequence[Item], typed: pl.DataFrame, persons: Mapping[str, int]) -> None:
    """The dataset's overlap check on each person's spells after the delivery: the stored ones that the delivery
    does not replace (same start), with the delivered ones. Stored spells get the lines after the items'."""
    delivered = set(typed.select(PERSON_ID_NAME, "spell_start").iter_rows())
    stored = [row for row in BenefitSpell.objects.filter(person_id__in=persons.values())
              .order_by("person_id", "spell_start")
              .values_list("person__external_id", "spell_start", "spell_end", "end_reason")
              if (row[0], row[1]) not in delivered]
    if not stored:
        return
    first = len(items)
    starts = {first + i: row[1].isoformat() for i, row in enumerate(stored)}
    rows = [*items, *({"person_id": person_id, "spell_start": start.isoformat(),
                       "spell_end": end.isoformat() if end else None, "end_reason": reason or None}
                      for person_id, start, end, reason in stored)]
    errors = []
    for problem in dataset_checks(BENEFIT_SPELLS, rows)[1]:
        if problem.line < first:
            errors.append(refusals.Problem(_api_wording(problem.reason, starts), problem.column, problem.line))
            continue
        # A stored spell that a delivered one, starting earlier, runs into: the delivered one is at fault. A
        # problem among stored spells alone was not made by this delivery.
        named = [int(n) for n in re.findall(r"regel (\d+)", problem.reason) if int(n) < first]
        if named:
            errors.append(refusals.Problem(f"overlapt met de opgeslagen uitkering vanaf {starts[problem.line]}: deze "
                                           f"uitkering moet uiterlijk op die dag eindigen", "spell_end", named[0]))
    if errors:
        raise DeliveryRefused(sorted(errors, key=lambda e: (e.line, e.field or "")))


def _store(target: Target, typed: pl.DataFrame, persons: Mapping[str, int]) -> DeliveryResult:
    """Add the new keys, update the known ones that differ, count the rest."""
    model, key, values = target.model, target.key, target.values
    text = target.text_fields()
    rows = []
    for row in typed.drop(LINE).iter_rows(named=True):
        row = {name: ("" if value is None and name in text else value) for name, value in row.items()}
        row[PERSON_ID_NAME] = persons[row[PERSON_ID_NAME]]
        rows.append(row)
    existing = {tuple(r[1:1 + len(key)]): (r[0], r[1 + len(key):]) for r in
                model.objects.filter(person_id__in=persons.values()).values_list("pk", *key, *values)}
    new, changed, unchanged = [], [], 0
    for row in rows:
        found = existing.get(tuple(row[k] for k in key))
        if found is None:
            new.append(model(**row))
        elif tuple(row[v] for v in values) != tuple(found[1]):
            changed.append(model(pk=found[0], **row))
        else:
            unchanged += 1
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, list(values))
    return DeliveryResult(received=len(rows), created=len(new), updated=len(changed), unchanged=unchanged)

