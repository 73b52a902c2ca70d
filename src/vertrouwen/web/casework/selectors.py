"""Reading the case manager's workspace and the project lead's overview: a fixed number of queries per page.

A person's group on a day is their membership: the enrollment whose rules they signed on or before that day,
in an experiment running that day (the latest to start, should there be two). Without one, or after they
stopped taking part, they are in the regular service, with the same goals, plans and reviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.http import Http404

from vertrouwen.core import casework, codes
from vertrouwen.core.months import first_of_month, next_month, previous_month
from vertrouwen.core.rules import (
    JobBonus,
    MonthCase,
    Regime,
    RuleBook,
    RuleMissing,
    after_sub_n,
    age_on,
    decision_in_force,
    described,
    effective_regime,
    rule_in_force,
    settle_case,
    sub_n_granted,
    used_before,
)
from vertrouwen.core.rules.settlement import Settlement as CoreSettlement
from vertrouwen.web.accounts.roles import KLANTMANAGER
from vertrouwen.web.casework.models import Action, Assignment, Conversation, Sanction, Story
from vertrouwen.web.registry.membership import Membership, arm_on, memberships_on
from vertrouwen.web.registry.models import (
    Assessment,
    BenefitSpell,
    Contact,
    Enrollment,
    Goal,
    MonthlyEarnings,
    Municipality,
    Person,
)
from vertrouwen.web.registry.predicates import on_benefit_at, spell_ends_for_work_during, spell_running_at
from vertrouwen.web.registry.selectors import ArmInfo
from vertrouwen.web.settlement.models import Settlement, SubNDecision
from vertrouwen.web.settlement.selectors import current_settlements, explain, rulebook, settlements_of

CONTACTS_SHOWN = 15
EARNINGS_MONTHS_SHOWN = 12


def declaration_month(today: date) -> date:
    """The month whose earnings are declared now: the last complete month."""
    return previous_month(today)


def status_of(*, on_benefit: bool, stopped: bool, has_intake: bool) -> str:
    """Where a person on a caseload stands: a code of codes.CASE_STATUSES."""
    if not on_benefit:
        return "uitgestroomd"
    if stopped:
        return "gestopt"
    return "actief" if has_intake else "zonder_startgesprek"


# ---------------------------------------------------------------------------------------------------------
# My caseload


@dataclass(frozen=True)
class CaseloadEntry:
    person_id: int
    person_number: str
    membership: Membership | None
    status: str
    last_contact: date | None
    next_review: date | None
    earnings_missing: bool  # earned in the month before the declaration month, nothing declared for it yet
    today: date

    @property
    def arm(self) -> ArmInfo | None:
        """The group whose rules apply today; None in the regular service."""
        return arm_on(self.membership, self.today)

    @property
    def status_label(self) -> str:
        return codes.CASE_STATUSES[self.status]

    @property
    def review_overdue(self) -> bool:
        return self.next_review is not None and self.next_review < self.today and self.status == "actief"


def _caseload_persons(case_manager_id: int):
    return Assignment.objects.filter(case_manager_id=case_manager_id, ended_on__isnull=True).values("person_id")


def caseload(case_manager_id: int, today: date) -> list[CaseloadEntry]:
    """The persons on the case manager's caseload today, in person-number order; two queries."""
    month = declaration_month(today)
    rows = (Person.objects.filter(pk__in=_caseload_persons(case_manager_id))
            .annotate(
                on_benefit=on_benefit_at(today, person="pk"),
                has_intake=Exists(Conversation.objects.filter(person=OuterRef("pk"), kind="startgesprek")),
                last_conversation=Subquery(Conversation.objects.filter(person=OuterRef("pk"), held_on__lte=today)
                                           .order_by("-held_on").values("held_on")[:1]),
                last_contact=Subquery(Contact.objects.filter(person=OuterRef("pk"), contact_on__lte=today)
                                      .order_by("-contact_on").values("contact_on")[:1]),
                earned_before=Exists(MonthlyEarnings.objects.filter(person=OuterRef("pk"),
                                                                    month=previous_month(month),
                                                                    earnings_cents__gt=0)),
                declared=Exists(MonthlyEarnings.objects.filter(person=OuterRef("pk"), month=month)))
            .order_by("external_id")
            .values("pk", "external_id", "on_benefit", "has_intake", "last_conversation", "last_contact",
                    "earned_before", "declared"))
    rows = list(rows)
    memberships = memberships_on([row["pk"] for row in rows], today)
    entries = []
    for row in rows:
        membership = memberships.get(row["pk"])
        stopped = membership is not None and membership.stopped_by(today)
        entries.append(CaseloadEntry(
            person_id=row["pk"], person_number=row["external_id"], membership=membership,
            status=status_of(on_benefit=row["on_benefit"], stopped=stopped, has_intake=row["has_intake"]),
            last_contact=row["last_contact"], next_review=casework.next_review_due(row["last_conversation"]),
            earnings_missing=row["on_benefit"] and row["earned_before"] and not row["declared"], today=today))
    return entries


def find_in_caseload(case_manager_id: int, *, person_number: str = "", bsn_pseudonym: str = "") -> int | None:
    """The id of the person on the caseload with this person number or BSN (as its keyed pseudonym)."""
    persons = Person.objects.filter(pk__in=_caseload_persons(case_manager_id))
    if person_number:
        persons = persons.filter(external_id=person_number)
    elif bsn_pseudonym:
        persons = persons.filter(bsn_pseudonym=bsn_pseudonym)
    else:
        return None
    return persons.values_list("pk", flat=True).first()


def in_caseload(case_manager_id: int, person_id: int) -> bool:
    return Assignment.objects.filter(case_manager_id=case_manager_id, person_id=person_id,
                                     ended_on__isnull=True).exists()


# ---------------------------------------------------------------------------------------------------------
# The participant page


@dataclass(frozen=True)
class GoalMoment:
    """The goals and the assessment recorded at one conversation: a row of "goals over time"."""

    recorded_on: date
    occasion: str
    goals: tuple[str, ...]
    good_prospects: bool | None
    ladder_rung: int | None

    @property
    def highest(self) -> str | None:
        return casework.highest_goal(self.goals)

    @property
    def occasion_label(self) -> str:
        return codes.OCCASIONS.get(self.occasion, self.occasion)

    @property
    def goal_labels(self) -> list[str]:
        return [codes.GOALS[g] for g in self.goals]

    @property
    def highest_label(self) -> str:
        return codes.GOALS.get(self.highest, "")

    @property
    def ladder_label(self) -> str:
        return codes.LADDER_RUNGS.get(str(self.ladder_rung), "")


@dataclass(frozen=True)
class EarningsMonth:
    month: date
    earnings_cents: int
    hours: object
    settlement: CoreSettlement | None  # the month as settled, or as it will be (None: no rule known)
    settled: bool  # False: worked out by the policy ahead of the monthly run

    @property
    def at_maximum(self) -> bool:
        return self.settlement is not None and self.settlement.disregard_at_maximum


@dataclass(frozen=True)
class SpellBar:
    """A benefit spell on the person's line of time: where it starts and how long it is, in percent of the line."""

    spell: BenefitSpell
    left: float
    width: float
    reentry: bool

    @property
    def end_reason_label(self) -> str:
        return codes.END_REASONS.get(self.spell.end_reason, self.spell.end_reason)


def timeline(spells: list[BenefitSpell], today: date) -> list[SpellBar]:
    """The spells on one line from the first start to today; every spell after the first is a re-entry."""
    if not spells:
        return []
    first = spells[0].spell_start
    length = max((today - first).days, 1)
    bars = []
    for i, spell in enumerate(spells):
        end = min(spell.spell_end or today, today)
        left = 100 * (spell.spell_start - first).days / length
        bars.append(SpellBar(spell, round(left, 2), round(max(100 * (end - spell.spell_start).days / length, 0.5), 2),
                             reentry=i > 0))
    return bars


@dataclass(frozen=True)
class SubNStatus:
    """The college's decision on the standard disregard (art. 31 lid 2 sub n Pw) for a person: granted today or
    not, by which decision (None: the municipality's default), and every decision made."""

    granted: bool
    decision: SubNDecision | None
    decisions: list[SubNDecision]
    by_default: bool

    def granted_in(self, month: date) -> bool:
        return sub_n_granted([(d.valid_from, d.granted) for d in self.decisions], month, self.by_default)


def _sub_n_status(person: Person, today: date) -> SubNStatus:
    decisions = list(SubNDecision.objects.filter(person=person).order_by("id"))
    by_default = Municipality.objects.values_list("grants_sub_n", flat=True).get(pk=person.municipality_id)
    k = decision_in_force([(d.valid_from, d.granted) for d in decisions], today)  # as the settlement decides
    decision = None if k is None else decisions[k]
    return SubNStatus(by_default if decision is None else decision.granted, decision, decisions, by_default)


@dataclass
class ParticipantFile:
    person: Person
    today: date
    membership: Membership | None
    case_manager_name: str
    on_benefit: bool
    spells: list[BenefitSpell]
    conversations: list[Conversation]
    moments: list[GoalMoment]
    actions: list[Action]
    contacts: list[Contact]
    contact_count: int
    guidance: list[casework.GuidanceMonth]
    earnings: list[EarningsMonth]
    sanctions: list[Sanction]
    stories: list[Story]
    settlements: list
    disregard_summary: str  # the regime's rule this month, in words and figures
    sub_n: SubNStatus

    @property
    def timeline(self) -> list[SpellBar]:
        return timeline(self.spells, self.today)

    @property
    def arm(self) -> ArmInfo | None:
        return arm_on(self.membership, self.today)

    @property
    def stopped(self) -> bool:
        return self.membership is not None and self.membership.stopped_by(self.today)

    @property
    def intake(self) -> Conversation | None:
        return next((c for c in self.conversations if c.kind == "startgesprek"), None)

    @property
    def next_review(self) -> date | None:
        return casework.next_review_due(self.conversations[-1].held_on if self.conversations else None)

    @property
    def review_overdue(self) -> bool:
        return self.next_review is not None and self.next_review < self.today and not self.stopped

    @property
    def own_words(self) -> str:
        """The participant's goal in their own words, as last recorded."""
        return next((c.goals_in_own_words for c in reversed(self.conversations) if c.goals_in_own_words), "")

    @property
    def current_goals(self) -> GoalMoment | None:
        return self.moments[-1] if self.moments else None

    @property
    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if a.status in codes.OPEN_ACTION_STATUSES]

    @property
    def exempt(self) -> bool:
        return self.arm is not None and self.arm.exempt_from_obligations


    @property
    def status(self) -> str:
        return status_of(on_benefit=self.on_benefit, stopped=self.stopped, has_intake=self.intake is not None)

    @property
    def status_label(self) -> str:
        return codes.CASE_STATUSES[self.status]


def participant_file(person_id: int, today: date, *, case_manager_id: int | None) -> ParticipantFile:
    """Everything the participant page shows, in a fixed number of queries. With a case manager, a person who is
    not on their caseload does not exist (404)."""
    persons = Person.objects.filter(pk=person_id)
    if case_manager_id is not None:
        persons = persons.filter(assignments__case_manager_id=case_manager_id, assignments__ended_on__isnull=True)
    person = persons.annotate(
        case_manager_first=Subquery(Assignment.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)
                                    .values("case_manager__first_name")[:1]),
        case_manager_username=Subquery(Assignment.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)
                                       .values("case_manager__username")[:1]),
    ).first()
    if person is None:
        raise Http404
    membership = memberships_on([person.pk], today).get(person.pk)
    spells = list(BenefitSpell.objects.filter(person=person).order_by("spell_start"))
    on_benefit = BenefitSpell.objects.filter(spell_running_at(today), person=person).exists()
    contacts = list(Contact.objects.filter(person=person).select_related("note")
                    .order_by("-contact_on", "-id")[:CONTACTS_SHOWN])
    arm = arm_on(membership, today)
    book = rulebook(person.municipality_id)
    settled = current_settlements(person.pk)  # all: the counters of the months ahead of the run follow from them
    sub_n = _sub_n_status(person, today)
    return ParticipantFile(
        person=person, today=today, membership=membership,
        case_manager_name=person.case_manager_first or person.case_manager_username or "",
        on_benefit=on_benefit, spells=spells,
        conversations=list(Conversation.objects.filter(person=person).order_by("held_on", "id")),
        moments=_goal_moments(person.pk), actions=list(Action.objects.filter(person=person)),
        contacts=contacts, contact_count=Contact.objects.filter(person=person).count(),
        guidance=_guidance(person.pk, membership, arm, today),
        earnings=_earnings(person, membership, today, book, settled, sub_n),
        sanctions=list(Sanction.objects.filter(person=person).order_by("-started_on")),
        stories=list(Story.objects.filter(person=person)), settlements=settlements_of(person.pk, current=settled),
        disregard_summary=_summary(book, person, Regime.of_arm(arm.disregard_regime if arm else None), today, settled),
        sub_n=sub_n)


def _goal_moments(person_id: int) -> list[GoalMoment]:
    """Goals and assessments per (date, occasion), oldest first: the goals over time."""
    goals: dict[tuple[date, str], list[str]] = {}
    for recorded_on, occasion, goal in (Goal.objects.filter(person_id=person_id)
                                        .values_list("recorded_on", "occasion", "goal")):
        goals.setdefault((recorded_on, occasion), []).append(goal)
    assessments = {(a.recorded_on, a.occasion): a for a in Assessment.objects.filter(person_id=person_id)}
    order = {code: i for i, code in enumerate(codes.GOALS)}
    moments = []
    for key in sorted(set(goals) | set(assessments)):
        assessment = assessments.get(key)
        moments.append(GoalMoment(
            recorded_on=key[0], occasion=key[1], goals=tuple(sorted(goals.get(key, []), key=order.__getitem__)),
            good_prospects=assessment.good_prospects if assessment else None,
            ladder_rung=assessment.ladder_rung if assessment else None))
    return moments


def _guidance(person_id: int, membership: Membership | None, arm: ArmInfo | None,
              today: date) -> list[casework.GuidanceMonth]:
    """For a group with a guidance target: the months since signing the rules, newest first."""
    if arm is None or not arm.target_contacts_per_month:
        return []
    last = min(today, membership.experiment_end)
    days = Contact.objects.filter(person_id=person_id, contact_on__gte=first_of_month(membership.consented_on),
                                  contact_on__lte=last).values_list("contact_on", flat=True)
    return list(reversed(casework.guidance_months(days, arm.target_contacts_per_month, membership.consented_on,
                                                  last)))


def _summary(book: RuleBook, person: Person, regime: Regime, today: date, settled: list[Settlement]) -> str:
    """What the person's regime lets them keep this month, from the rule tables: why another regime applies where
    the group's own is not in force, and sub r once a single parent's sub n months are used."""
    try:
        rule, notes = rule_in_force(book, regime, today)
        used = used_before(book, [(s.month, s.regime, s.disregarded_cents) for s in settled], today)
        rule = book.rule(after_sub_n(book, Regime(rule.regime), person.household_type, today, used), today)
    except RuleMissing as missing:
        return f"{regime.label}: {missing}."
    return " ".join([*notes, f"{described(rule)}."])


def _ahead_of_the_run(book: RuleBook, person: Person, arm: ArmInfo | None, month: date, cents: int, hours,
                      earlier: list[Settlement], sub_n: SubNStatus) -> CoreSettlement | None:
    """The month as the monthly run will settle it (None: no rule known for the month), from the settled
    months before it."""
    used = used_before(book, [(s.month, s.regime, s.disregarded_cents) for s in earlier], month)
    hours = None if hours is None else float(hours)
    exits = BenefitSpell.objects.filter(spell_ends_for_work_during(month), person=person).exists()
    paid = sum(s.bonus_cents for s in earlier if s.month.year == month.year)
    try:
        regime = effective_regime(book, Regime.of_arm(arm.disregard_regime if arm else None), month)
        regime = after_sub_n(book, regime, person.household_type, month, used)
        return settle_case(book, MonthCase(
            month, person.household_type, regime, cents, hours=hours,
            age=age_on(month, person.birth_date, person.birth_year),
            months_used=used[regime],
            bonus_cents=JobBonus.of(arm).due(exits, hours, paid), sub_n_granted=sub_n.granted_in(month)))
    except RuleMissing:
        return None


def _earnings(person: Person, membership: Membership | None, today: date, book: RuleBook,
              current: list[Settlement], sub_n: SubNStatus) -> list[EarningsMonth]:
    """The declared earnings of the last twelve months, newest first, each with its settlement: as stored by the
    monthly run, or worked out by the same policy ahead of it."""
    since = first_of_month(today).replace(year=today.year - 1)
    rows = list(MonthlyEarnings.objects.filter(person=person, month__gte=since)
                .order_by("-month").values_list("month", "earnings_cents", "hours")[:EARNINGS_MONTHS_SHOWN])
    settled = {s.month: s for s in current}
    months = []
    for month, cents, hours in rows:
        if month in settled:
            months.append(EarningsMonth(month, cents, hours, explain(settled[month]), True))
            continue
        months.append(EarningsMonth(month, cents, hours, _ahead_of_the_run(
            book, person, arm_on(membership, month), month, cents, hours,
            [s for s in current if s.month < month], sub_n), False))
    return months


# ---------------------------------------------------------------------------------------------------------
# Reassignment and the project lead's overview


def case_managers() -> list:
    """The active users with the case manager's role, by name."""
    return list(get_user_model().objects.filter(groups__name=KLANTMANAGER.code, is_active=True)
                .order_by("first_name", "username"))


@dataclass(frozen=True)
class CaseManagerLoad:
    user_id: int
    name: str
    persons: int
    participants: int  # in a group of a running experiment, not stopped
    without_intake: int
    overdue_reviews: int
    contacts_last_month: int


def caseload_per_case_manager(today: date) -> list[CaseManagerLoad]:
    """Per case manager: how many persons, how many in an experiment, intakes still to hold, reviews overdue and
    contacts in the last complete month. A fixed number of queries, whatever the number of case managers."""
    open_assignments = Assignment.objects.filter(ended_on__isnull=True)
    assignments = list(open_assignments.values_list("case_manager_id", "person_id"))
    persons = open_assignments.values("person_id")
    memberships = memberships_on(persons, today)
    last_conversation = dict(Conversation.objects.filter(person_id__in=persons, held_on__lte=today)
                             .values_list("person_id").annotate(last=Max("held_on")).order_by())
    with_intake = set(Conversation.objects.filter(person_id__in=persons, kind="startgesprek")
                      .values_list("person_id", flat=True))
    on_benefit = set(BenefitSpell.objects.filter(spell_running_at(today), person_id__in=persons)
                     .values_list("person_id", flat=True))
    month = previous_month(today)
    contacts = dict(Contact.objects.filter(person_id__in=persons, contact_on__gte=month,
                                           contact_on__lt=next_month(month))
                    .values_list("person_id").annotate(n=Count("id")).order_by())
    totals: dict[int, dict[str, int]] = {}
    for manager, person in assignments:
        t = totals.setdefault(manager, dict.fromkeys(("persons", "participants", "without_intake", "overdue",
                                                      "contacts"), 0))
        membership = memberships.get(person)
        stopped = membership is not None and membership.stopped_by(today)
        status = status_of(on_benefit=person in on_benefit, stopped=stopped, has_intake=person in with_intake)
        due = casework.next_review_due(last_conversation.get(person))
        t["persons"] += 1
        t["participants"] += membership is not None and not stopped
        t["without_intake"] += status == "zonder_startgesprek"
        t["overdue"] += status == "actief" and due is not None and due < today
        t["contacts"] += contacts.get(person, 0)
    return [CaseManagerLoad(user.pk, user.get_full_name() or user.username, **_load(totals.get(user.pk)))
            for user in case_managers()]


def _load(t: dict | None) -> dict:
    t = t or dict.fromkeys(("persons", "participants", "without_intake", "overdue", "contacts"), 0)
    return {"persons": t["persons"], "participants": t["participants"], "without_intake": t["without_intake"],
            "overdue_reviews": t["overdue"], "contacts_last_month": t["contacts"]}


@dataclass(frozen=True)
class OverdueReview:
    person_number: str
    case_manager: str
    due_on: date
    arm_name: str


def overdue_reviews(today: date) -> list[OverdueReview]:
    """Persons on a caseload, on benefit, not stopped, whose half-yearly review is past due; oldest first."""
    rows = (Assignment.objects.filter(ended_on__isnull=True)
            .annotate(last=Max("person__conversations__held_on", filter=Q(person__conversations__held_on__lte=today)),
                      on_benefit=on_benefit_at(today))
            .filter(last__isnull=False, on_benefit=True)
            .values_list("person_id", "person__external_id", "case_manager__first_name", "case_manager__username",
                         "last"))
    rows = list(rows)
    memberships = memberships_on([r[0] for r in rows], today)
    overdue = []
    for person_id, number, first_name, username, last in rows:
        membership = memberships.get(person_id)
        if membership is not None and membership.stopped_by(today):
            continue
        due = casework.next_review_due(last)
        if due < today:
            overdue.append(OverdueReview(number, first_name or username, due,
                                         membership.arm.name if membership else ""))
    return sorted(overdue, key=lambda r: (r.due_on, r.person_number))


def _participant_ids(experiment):
    return Enrollment.objects.filter(experiment_id=experiment.id, consented_on__isnull=False).values("person_id")


@dataclass(frozen=True)
class ContactMonth:
    month: date
    per_arm: list[float | None]  # contacts per participant in the month, in the arms' order


def contacts_per_participant(experiment, arms: list[ArmInfo], today: date) -> list[ContactMonth]:
    """The process evaluation: per month of the experiment up to today, the contacts per participant per group.

    A participant counts in a month when they signed the rules before the month ended and did not stop before
    it began; their contacts in that month count. Two queries.
    """
    last = min(today, experiment.period_end)
    enrollments = list(Enrollment.objects.filter(experiment_id=experiment.id, consented_on__isnull=False)
                       .values_list("person_id", "arm_id", "consented_on", "stopped_on"))
    contact_months: dict[tuple[int, date], int] = {}
    for person_id, day in (Contact.objects.filter(person_id__in=_participant_ids(experiment),
                                                  contact_on__gte=experiment.period_start, contact_on__lte=last)
                           .values_list("person_id", "contact_on")):
        key = (person_id, first_of_month(day))
        contact_months[key] = contact_months.get(key, 0) + 1
    months = []
    month = first_of_month(experiment.period_start)
    while month <= last:
        end = next_month(month)
        participants: dict[int, int] = {}
        contacts: dict[int, int] = {}
        for person_id, arm_id, consented, stopped in enrollments:
            if consented < end and (stopped is None or stopped >= month):
                participants[arm_id] = participants.get(arm_id, 0) + 1
                contacts[arm_id] = contacts.get(arm_id, 0) + contact_months.get((person_id, month), 0)
        months.append(ContactMonth(month, [contacts.get(a.id, 0) / participants[a.id] if participants.get(a.id)
                                           else None for a in arms]))
        month = end
    return months


@dataclass(frozen=True)
class GoalsByArm:
    arm: ArmInfo
    with_goal: int
    participants: int
    per_goal: dict[str, int]
    highest: dict[str, int]
    good_prospects: int


def baseline_goals_by_arm(experiment, arms: list[ArmInfo]) -> list[GoalsByArm]:
    """Report table 2 and the highest goal (table 3) per group: the goals and the judgement of good prospects
    at the intake (occasion nulmeting) of the participants who signed the rules."""
    participants = dict(Enrollment.objects.filter(experiment_id=experiment.id, consented_on__isnull=False)
                        .values_list("person_id", "arm_id"))
    goals: dict[int, set[str]] = {}
    for person_id, goal in Goal.objects.filter(person_id__in=_participant_ids(experiment), occasion="nulmeting"
                                               ).values_list("person_id", "goal"):
        goals.setdefault(person_id, set()).add(goal)
    prospects = set(Assessment.objects.filter(person_id__in=_participant_ids(experiment), occasion="nulmeting",
                                              good_prospects=True).values_list("person_id", flat=True))
    result = []
    for arm in arms:
        members = [p for p, a in participants.items() if a == arm.id]
        per_goal = dict.fromkeys(codes.GOALS, 0)
        highest = dict.fromkeys(codes.GOALS, 0)
        for person in members:
            for goal in goals.get(person, ()):
                per_goal[goal] += 1
            top = casework.highest_goal(goals.get(person, ()))
            if top:
                highest[top] += 1
        result.append(GoalsByArm(arm, sum(1 for p in members if goals.get(p)), len(members), per_goal, highest,
                                 sum(1 for p in members if p in prospects)))
    return result
