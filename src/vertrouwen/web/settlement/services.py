"""Writing the rule tables (every version kept) and the monthly settlements.

The monthly run settles every person of a municipality who is on benefit in the month, from their declared
earnings, their household's norm and the disregard regime of their group (the standard disregard outside an
experiment), in one transaction: all or nothing. A month already settled with the same result stays as it is;
a different result (earnings corrected, a rule changed) becomes a new version with its reason. What a month pays
is decided by the core's policy (core.rules.policy); this module loads its inputs and writes its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from vertrouwen.core.formatting import euro, long_date
from vertrouwen.core.rules import (
    MAX_EARNINGS_CENTS,
    JobBonus,
    Regime,
    RuleBook,
    RuleMissing,
    SettledMonths,
    after_sub_n,
    age_on,
    effective_regime,
    settle_cases,
    sub_n_granted,
)
from vertrouwen.core.rules.rulebook import PARTICIPATIEWET_START, amounts_missing
from vertrouwen.web import jobs
from vertrouwen.web.audit.actor import Actor
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import record
from vertrouwen.web.jobs import Progress
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry.membership import arm_on, memberships_on
from vertrouwen.web.registry.models import BenefitSpell, MonthlyEarnings, Municipality, Person
from vertrouwen.web.registry.predicates import spell_ends_for_work_during, spell_running_during
from vertrouwen.web.settlement.models import RuleVersion, Settlement, SettlementRun, SubNDecision
from vertrouwen.web.settlement.selectors import months_used_by, rulebook, sub_n_decisions

CHUNK = 20_000  # persons written between progress updates
REASON_MAX_LENGTH = SubNDecision._meta.get_field("reason").max_length
# The columns a monthly run writes, in this order (COPY on PostgreSQL, bulk_create elsewhere).
COLUMNS = ("person_id", "month", "version", "is_current", "regime", "earnings_cents", "norm_cents",
           "disregarded_cents", "deducted_cents", "benefit_cents", "months_used", "bonus_cents", "rule_percent_bp",
           "rule_max_cents", "rule_max_months", "rule_min_age", "age", "household_type", "no_entitlement",
           "amounts_missing_since", "sub_n_granted", "reason", "run_id", "recorded_at", "recorded_by")
# What makes two settlements of a month the same.
RESULT = ("regime", "earnings_cents", "norm_cents", "disregarded_cents", "benefit_cents", "months_used",
          "bonus_cents", "no_entitlement", "amounts_missing_since", "sub_n_granted")


class SettlementRefused(Refused):
    """Nothing was written; the message says why, in Dutch."""


# ---------------------------------------------------------------------------------------------------------
# The rule tables


def save_rule(row, *, actor, changed: list[str] | None = None) -> None:
    """Save a disregard rule or a benefit norm as a new version, keep that version, and record the change."""
    with transaction.atomic():
        if row.pk is not None:
            row.version = type(row).objects.get(pk=row.pk).version + 1
        row.save()
        values = {f.name: _plain(getattr(row, f.name)) for f in row._meta.concrete_fields if f.name != "id"}
        RuleVersion.objects.create(table=row._meta.model_name, row_id=row.pk, version=row.version, values=values,
                                   saved_by=_label(actor))
        record(actor=actor, action="rules.saved", object_type=row._meta.model_name, object_id=row.pk,
               details={"version": row.version, "fields": sorted(changed or values)})


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _label(actor) -> str:
    return Actor.of(actor).label


# ---------------------------------------------------------------------------------------------------------
# The monthly run


@dataclass(frozen=True)
class RunResult:
    month: date
    persons: int
    created: int
    corrected: int
    unchanged: int
    no_entitlement: int = 0  # persons whose means reached the norm
    amounts_missing_since: date | None = None

    def summary(self) -> str:
        text = (f"{self.month:%Y-%m}: {self.persons} personen met een uitkering; {self.created} nieuw verrekend, "
                f"{self.corrected} met een nieuwe versie, {self.unchanged} ongewijzigd.")
        if self.no_entitlement:
            text += f" {self.no_entitlement} zonder recht op bijstand in deze maand (beoordelen)."
        if self.amounts_missing_since:
            text += f" Let op: {amounts_missing(self.amounts_missing_since)}; er is met oudere bedragen gerekend."
        return text


def request_run(municipality_id: int, month: date, *, actor) -> SettlementRun:
    """Queue a monthly run; the worker carries it out (settlement.tasks)."""
    from vertrouwen.web.settlement.tasks import run_month as task

    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise SettlementRefused(f"{month:%m-%Y} is nog niet begonnen; een maand wordt verrekend als hij loopt of "
                                f"voorbij is.")
    with transaction.atomic():
        run = SettlementRun.objects.create(municipality_id=municipality_id, month=month,
                                           requested_by=_label(actor))
        record(actor=actor, action="settlement.run_requested", object_type="settlementrun", object_id=run.pk,
               details={"month": f"{month:%Y-%m}"})
        transaction.on_commit(lambda: task.enqueue(run.pk))
    return run


def carry_out(run_id: int) -> RunResult:
    """Carry out a queued run, writing its progress; a failure is kept with its reason."""
    run = SettlementRun.objects.get(pk=run_id)
    actor = f"systeem:verrekening ({run.requested_by})"
    outcome: list[RunResult] = []

    def work(progress: Progress) -> dict:
        result = run_month(run.municipality_id, run.month, actor=actor, progress=progress, run=run)
        outcome.append(result)
        return {"total": result.persons, "done": result.persons, "created": result.created,
                "corrected": result.corrected}

    def failed(exc: Exception) -> None:
        with transaction.atomic():
            record(actor=actor, action="settlement.month_failed", object_type="settlementrun", object_id=run_id,
                   result=AuditEvent.Result.FAILED, details={"month": run.month.isoformat(),
                                                             "error": type(exc).__name__})

    jobs.carry_out(SettlementRun, run_id, work, on_failure=failed)
    return outcome[0]


def run_month(municipality_id: int, month: date, *, actor, progress: Callable[[int, int], None] | None = None,
              run: SettlementRun | None = None) -> RunResult:
    """Settle every person of the municipality on benefit in `month`; all or nothing."""
    month = month.replace(day=1)
    with transaction.atomic():
        Municipality.objects.select_for_update().get(pk=municipality_id)  # one run of a municipality at a time
        with _rules_known():
            inputs = _inputs(municipality_id, month)
            computed = _compute(inputs, month)
        rows, replaced, corrected = _compare(inputs, computed, month)
        Settlement.objects.filter(pk__in=replaced).update(is_current=False)
        _write(rows, month, run, _label(actor), progress)
        _follow_on(municipality_id, month, None, run, _label(actor))
        result = RunResult(month, len(inputs.person_ids), len(rows) - corrected, corrected,
                           len(inputs.person_ids) - len(rows), int(computed.no_entitlement.sum()),
                           min((d for d in computed.amounts_missing_since if d is not None), default=None))
        record(actor=actor, action="settlement.month_run", object_type="municipality", object_id=municipality_id,
               details={"month": f"{month:%Y-%m}", "persons": result.persons, "created": result.created,
                        "corrected": result.corrected})
    return result


@dataclass
class _Inputs:
    person_ids: np.ndarray
    household: list[str]
    age: np.ndarray  # -1 where unknown
    earnings: np.ndarray
    regime: list[Regime]
    bonus: np.ndarray  # the job bonus due this month
    sub_n_granted: np.ndarray  # the college's decision on the standard disregard
    used_before: np.ndarray
    book: RuleBook  # the rule tables as read for this month, once


def _inputs(municipality_id: int, month: date, person_ids: list[int] | None = None) -> _Inputs:
    """The month's inputs of everyone on benefit in the municipality, or of some (a correction and what follows)."""
    persons = Person.objects.filter(municipality_id=municipality_id)
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    persons = persons.filter(
        pk__in=BenefitSpell.objects.filter(spell_running_during(month)).values("person_id"))
    rows = list(persons.order_by("pk").values_list("pk", "household_type", "birth_date", "birth_year"))
    ids = [r[0] for r in rows]
    earned = {p: (c, h) for p, c, h in MonthlyEarnings.objects.filter(person__in=persons, month=month)
              .values_list("person_id", "earnings_cents", "hours")}
    memberships = memberships_on(persons.values("pk"), month)
    book = rulebook(municipality_id)
    used = months_used_by(persons, month, book)
    exits = set(BenefitSpell.objects.filter(spell_ends_for_work_during(month), person__in=persons)
                .values_list("person_id", flat=True))
    paid = bonus_paid_this_year(persons, month)
    decisions = sub_n_decisions(persons)
    by_default = Municipality.objects.values_list("grants_sub_n", flat=True).get(pk=municipality_id)
    regimes, bonus = [], []
    for person_id, household in ((r[0], r[1]) for r in rows):
        arm = arm_on(memberships.get(person_id), month)
        regime = effective_regime(book, Regime.of_arm(arm.disregard_regime if arm else None), month)
        regimes.append(after_sub_n(book, regime, household, month, {r: used.get((person_id, r), 0) for r in Regime}))
        hours = earned.get(person_id, (0, None))[1]
        bonus.append(JobBonus.of(arm).due(person_id in exits, None if hours is None else float(hours),
                                          paid.get(person_id, 0)))
    return _Inputs(
        person_ids=np.array(ids, dtype=np.int64), household=[r[1] for r in rows],
        age=np.array([-1 if (age := age_on(month, r[2], r[3])) is None else age for r in rows], dtype=np.int64),
        earnings=np.array([earned.get(p, (0, None))[0] for p in ids], dtype=np.int64),
        regime=regimes, bonus=np.array(bonus, dtype=np.int64),
        sub_n_granted=np.array([sub_n_granted(decisions.get(p, ()), month, by_default) for p in ids], dtype=bool),
        used_before=np.array([used.get((p, r), 0) for p, r in zip(ids, regimes, strict=True)], dtype=np.int64),
        book=book)


def _compute(inputs: _Inputs, month: date) -> SettledMonths:
    return settle_cases(inputs.book, month, household=inputs.household, regime=inputs.regime, age=inputs.age,
                        earnings=inputs.earnings, bonus=inputs.bonus, months_used=inputs.used_before,
                        sub_n_granted=inputs.sub_n_granted)


def bonus_paid_this_year(persons, month: date) -> dict[int, int]:
    """The job bonus each person was paid in the calendar year before `month`, from the settled history."""
    return dict(Settlement.objects.filter(person__in=persons, is_current=True, bonus_cents__gt=0,
                                          month__gte=month.replace(month=1), month__lt=month)
                .values_list("person_id").annotate(paid=Sum("bonus_cents")).order_by())


@contextmanager
def _rules_known():
    """A norm or rule missing in the month refuses the whole run: nothing is written."""
    try:
        yield
    except RuleMissing as missing:
        raise SettlementRefused(f"{missing}; vul de regeltabellen aan (beheer) en verreken de maand opnieuw. "
                                f"Er is niets vastgelegd.") from None


def _follow_on(municipality_id: int, month: date, person_ids: list[int] | None, run: SettlementRun | None,
               by: str) -> None:
    """The months after `month` that were settled already, settled again in order (of everyone, or of these
    persons): their counters follow from the months before, so a month settled late or corrected flows on. A month
    that comes out differently becomes a new version naming its cause."""
    later = Settlement.objects.filter(person__municipality_id=municipality_id, month__gt=month, is_current=True)
    if person_ids is not None:
        later = later.filter(person_id__in=person_ids)
    for following in sorted(set(later.values_list("month", flat=True))):
        with _rules_known():
            inputs = _inputs(municipality_id, following, person_ids)
            computed = _compute(inputs, following)
        rows, replaced, _ = _compare(inputs, computed, following, cause=f"Gevolg van correctie van {month:%m-%Y}")
        Settlement.objects.filter(pk__in=replaced).update(is_current=False)
        _write(rows, following, run, by, None)


def _compare(inputs: _Inputs, c: SettledMonths, month: date, cause: str = "") -> tuple[list[tuple], list[int], int]:
    """The rows to write (new, or a new version where the result differs, its reason naming `cause` when given),
    the ids they replace, and how many are new versions."""
    existing = {row[0]: row[1:] for row in Settlement.objects.filter(
        person_id__in=inputs.person_ids.tolist(), month=month, is_current=True).values_list(
        "person_id", "pk", "version", *RESULT)} if len(inputs.person_ids) else {}
    rows, replaced, corrected = [], [], 0
    for i, person_id in enumerate(inputs.person_ids.tolist()):
        result = (str(inputs.regime[i]), int(inputs.earnings[i]), int(c.norm[i]), int(c.disregarded[i]),
                  int(c.benefit[i]), int(c.months_used[i]), int(c.bonus[i]), bool(c.no_entitlement[i]),
                  c.amounts_missing_since[i], bool(inputs.sub_n_granted[i]))
        old = existing.get(person_id)
        if old is not None and tuple(old[2:]) == result:
            continue
        version, reason = 1, ""
        if old is not None:
            version, reason = old[1] + 1, _what_changed(old[2:], result, cause)
            replaced.append(old[0])
            corrected += 1
        rows.append((person_id, month, version, True, result[0], result[1], result[2], result[3],
                     int(c.deducted[i]), result[4], result[5], result[6], int(c.percent_bp[i]), int(c.max_cents[i]),
                     None if c.max_months[i] < 0 else int(c.max_months[i]),
                     None if c.min_age[i] < 0 else int(c.min_age[i]),
                     None if inputs.age[i] < 0 else int(inputs.age[i]), inputs.household[i], result[7], result[8],
                     result[9], reason))
    return rows, replaced, corrected


LABELS = {"regime": "regeling", "earnings_cents": "inkomsten", "norm_cents": "norm", "disregarded_cents": "vrijlating",
          "benefit_cents": "uitkering", "months_used": "teller", "bonus_cents": "premie",
          "no_entitlement": "recht op bijstand", "amounts_missing_since": "bedragen",
          "sub_n_granted": "besluit over de standaard vrijlating"}


def _what_changed(old: tuple, new: tuple, cause: str = "") -> str:
    changed = [LABELS[name] for name, a, b in zip(RESULT, old, new, strict=True) if a != b]
    return f"{cause or 'Herberekend'}: {', '.join(changed)} gewijzigd."


def _write(rows: list[tuple], month: date, run: SettlementRun | None, by: str,
           progress: Callable[[int, int], None] | None) -> None:
    now = timezone.now()
    run_id = run.pk if run else None
    total = len(rows)
    for start in range(0, total, CHUNK):
        chunk = [(*row, run_id, now, by) for row in rows[start:start + CHUNK]]
        if connection.vendor == "postgresql":
            _copy(chunk)
        else:
            Settlement.objects.bulk_create(Settlement(**dict(zip(COLUMNS, row, strict=True))) for row in chunk)
        if progress:
            progress(min(start + CHUNK, total), total)
    if progress and not total:
        progress(0, 0)


def _copy(rows: list[tuple]) -> None:
    """PostgreSQL's COPY: the fastest way to write many rows in one statement."""
    table = Settlement._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor
        with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # noqa: S608 - fixed names
            for row in rows:
                copy.write_row(row)


# ---------------------------------------------------------------------------------------------------------
# A correction of one person's month


def correct_month(person_id: int, month: date, *, earnings_cents: int, reason: str, actor) -> Settlement:
    """Correct the declared earnings of a settled month: the earnings change, and the month gets a new version
    with the reason given; the person's later settled months follow (their counters may change). Nothing is
    overwritten."""
    month = month.replace(day=1)
    if not reason.strip():
        raise SettlementRefused("Geef de reden van de correctie.")
    if not 0 <= earnings_cents <= MAX_EARNINGS_CENTS:
        raise SettlementRefused(f"Inkomsten tussen {euro(0)} en {euro(MAX_EARNINGS_CENTS)} in een maand.")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        if not Settlement.objects.filter(person=person, month=month, is_current=True).exists():
            raise SettlementRefused(f"{month:%m-%Y} is voor deze persoon nog niet verrekend.")
        MonthlyEarnings.objects.update_or_create(person=person, month=month,
                                                 defaults={"earnings_cents": earnings_cents})
        made = settle_again(person, month, reason=reason.strip(), actor=actor)
        if made is None:
            raise SettlementRefused("De correctie verandert niets aan de verrekening.")
        record(actor=actor, action="settlement.corrected", object_type="person", object_id=person.external_id,
               details={"month": f"{month:%Y-%m}", "version": made.version, "earnings_cents": earnings_cents})
        return made


def decide_sub_n(person_id: int, *, granted: bool, valid_from: date, reason: str, actor) -> SubNDecision:
    """Record the college's decision on the standard disregard (art. 31 lid 2 sub n Pw) for a person, from a date,
    with its reason; the months settled from that month on are settled again at once and follow as new versions."""
    reason = reason.strip()
    if not reason:
        raise SettlementRefused({"reason": "Geef de reden van het besluit."})
    if len(reason) > REASON_MAX_LENGTH:
        raise SettlementRefused({"reason": f"De reden is {len(reason)} tekens; schrijf hem in hoogstens "
                                           f"{REASON_MAX_LENGTH}."})
    if valid_from < PARTICIPATIEWET_START:
        raise SettlementRefused({"valid_from": f"Een besluit geldt niet vóór {long_date(PARTICIPATIEWET_START)}, "
                                               f"de eerste dag van de Participatiewet."})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        decision = SubNDecision.objects.create(person=person, granted=granted, valid_from=valid_from,
                                               reason=reason, recorded_by=_label(actor))
        record(actor=actor, action="settlement.sub_n_decided", object_type="person", object_id=person.external_id,
               details={"granted": granted, "from": f"{valid_from:%Y-%m-%d}"})
        first = Settlement.objects.filter(person=person, is_current=True, month__gte=valid_from.replace(day=1))\
            .order_by("month").values_list("month", flat=True).first()
        if first is not None:
            word = "toegekend" if granted else "niet toegekend"
            settle_again(person, first, reason=f"Besluit vrijlating sub n ({word} vanaf {long_date(valid_from)}): "
                                               f"{reason}", actor=actor)
    return decision


def settle_again(person: Person, month: date, *, reason: str, actor) -> Settlement | None:
    """One person's settled month worked out again from what is declared now, as a new version with `reason`
    (None when nothing changes); the later settled months follow. Inside the caller's transaction."""
    with _rules_known():
        inputs = _inputs(person.municipality_id, month, [person.pk])
        computed = _compute(inputs, month)
    rows, replaced, _ = _compare(inputs, computed, month)
    if not rows:
        return None
    Settlement.objects.filter(pk__in=replaced).update(is_current=False)
    row = dict(zip(COLUMNS, (*rows[0][:-1], reason, None, timezone.now(), _label(actor)), strict=True))
    made = Settlement.objects.create(**row)
    _follow_on(person.municipality_id, month, [person.pk], None, _label(actor))
    return made
