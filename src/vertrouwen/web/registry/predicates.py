"""The SQL twin of vertrouwen.core.predicates: the register's time predicates as Django query expressions, for
the pages that query the database. Each says the same as its namesake there (DESIGN.md section 6);
tests/web/registry/test_predicates_agree.py runs both on one hand-built register."""

from datetime import date

from django.db.models import Exists, Min, OuterRef, Q, QuerySet

from vertrouwen.core import codes
from vertrouwen.core.months import next_month
from vertrouwen.web.registry.models import BenefitSpell

WORK = sorted(codes.WORK_END_REASONS)


def spell_running_at(day: date) -> Q:
    """On BenefitSpell: the spell holds at the start of `day`."""
    return Q(spell_start__lt=day) & (Q(spell_end__isnull=True) | Q(spell_end__gte=day))


def spell_running_during(month: date) -> Q:
    """On BenefitSpell: the spell holds on some day of the month starting at `month`."""
    return Q(spell_start__lt=next_month(month)) & (Q(spell_end__isnull=True) | Q(spell_end__gte=month))


def spell_ends_for_work_during(month: date) -> Q:
    """On BenefitSpell: the benefit ends for work (or an own business) in the month starting at `month`."""
    return Q(spell_end__gte=month, spell_end__lt=next_month(month), end_reason__in=WORK)


def on_benefit_at(day: date, person: str = "person_id") -> Exists:
    """For an outer query whose field `person` is a person's id: on benefit at `day`."""
    return Exists(BenefitSpell.objects.filter(spell_running_at(day), person=OuterRef(person)))


def on_benefit_during(month: date, person: str = "person_id") -> Exists:
    return Exists(BenefitSpell.objects.filter(spell_running_during(month), person=OuterRef(person)))


def persons_on_benefit_at(day: date) -> QuerySet:
    """The ids of the persons on benefit at `day`."""
    return BenefitSpell.objects.filter(spell_running_at(day)).values("person_id").distinct()


def stopped_before(day: date, prefix: str = "") -> Q:
    """On Enrollment (or through `prefix`, e.g. 'enrollment__'): stopped taking part before `day`."""
    return Q(**{f"{prefix}stopped_on__isnull": False, f"{prefix}stopped_on__lt": day})


def signed_before(day: date, prefix: str = "") -> Q:
    """On Enrollment: the group's rules were signed before `day`."""
    return Q(**{f"{prefix}consented_on__isnull": False, f"{prefix}consented_on__lt": day})


def participant_at(day: date, prefix: str = "") -> Q:
    """On Enrollment: signed before `day` and not stopped before it."""
    return signed_before(day, prefix) & ~stopped_before(day, prefix)


def rules_apply_on(day: date, prefix: str = "") -> Q:
    """On Enrollment: the group's rules apply on `day` (signed on or before it, not stopped by it)."""
    return (Q(**{f"{prefix}consented_on__isnull": False, f"{prefix}consented_on__lte": day})
            & (Q(**{f"{prefix}stopped_on__isnull": True}) | Q(**{f"{prefix}stopped_on__gt": day})))


def first_exits_to_work(since: date, before: date) -> QuerySet:
    """Rows of person_id and first_exit: the earliest spell end with a work reason in [since, before)."""
    return (BenefitSpell.objects.filter(end_reason__in=WORK, spell_end__gte=since, spell_end__lt=before)
            .values("person_id").annotate(first_exit=Min("spell_end")).order_by())


def reentries(since: date, before: date) -> dict[int, date]:
    """Per person with a first exit to work in [since, before): the start of the first spell on or after that
    exit and before `before`."""
    exits = dict(first_exits_to_work(since, before).values_list("person_id", "first_exit"))
    starts = (BenefitSpell.objects.filter(person_id__in=exits, spell_start__lt=before)
              .values_list("person_id", "spell_start"))
    back: dict[int, date] = {}
    for person, start in starts:
        if start >= exits[person] and (person not in back or start < back[person]):
            back[person] = start
    return back
