"""The case manager's writes and the project lead's reassignment.

Each function is one transaction that locks the person's row first (so two writes about one person run one
after the other), checks the rules of the person's group on the day of the event, and records its audit event.
A refusal names the field it is about, in Dutch, and writes nothing. `today` is the caller's date, so that
nothing is recorded in the future.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.formats import date_format

from vertrouwen.core import codes, privacy
from vertrouwen.core.formatting import euro
from vertrouwen.core.privacy import bsns_in
from vertrouwen.core.rules import MAX_EARNINGS_CENTS
from vertrouwen.web.accounts.roles import KLANTMANAGER, role_of
from vertrouwen.web.audit.actor import Actor
from vertrouwen.web.audit.services import record
from vertrouwen.web.casework.models import Action, Assignment, ContactNote, Conversation, Sanction, Story
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry.membership import memberships_on, rules_on
from vertrouwen.web.registry.models import (
    Assessment,
    BenefitSpell,
    Contact,
    Enrollment,
    Goal,
    MonthlyEarnings,
    Person,
)
from vertrouwen.web.registry.predicates import spell_running_during
from vertrouwen.web.registry.selectors import served_municipality
from vertrouwen.web.settlement.models import Settlement
from vertrouwen.web.settlement.services import settle_again


def _day(d: date) -> str:
    return date_format(d, "j F Y")


def _lock(person_id: int) -> Person:
    return Person.objects.select_for_update().get(pk=person_id)


def _not_in_future(day: date, today: date, name: str, what: str) -> dict:
    return {name: f"{what} ligt in de toekomst ({_day(day)}); vandaag is het {_day(today)}."} if day > today else {}


def _no_bsn(**texts: str) -> dict:
    """Free text never holds a BSN: it would reach reports, exports and the audit pages. Refused, with the reason,
    at the field that holds a number that passes the 11-proef."""
    return {field: "Deze tekst bevat een nummer dat een BSN kan zijn (het voldoet aan de 11-proef). Laat het weg: "
                   "een BSN hoort niet in vrije tekst." for field, text in texts.items() if bsns_in(text or "")}


def _refuse_if(problems: dict) -> None:
    if problems:
        raise Refused(problems)


def _stopped_problem(person_id: int, day: date, name: str, what: str) -> dict:
    """A person who stopped taking part gets no new goals or plans through the experiment's workspace."""
    membership = memberships_on([person_id], day).get(person_id)
    if membership is not None and membership.stopped_by(day):
        return {name: f"Deze deelnemer is op {_day(membership.stopped_on)} gestopt met deelname aan "
                      f"{membership.experiment_name}; {what} kan niet meer."}
    return {}


# ---------------------------------------------------------------------------------------------------------
# The caseload


def assign(person_numbers: Iterable[str], case_manager_id: int, *, on: date, actor) -> int:
    """Put persons (by person number of the served municipality: another municipality's numbers may be the same)
    on a case manager's caseload from `on`; a person on another caseload moves. All or nothing: every unknown
    number is named. Returns how many persons moved."""
    numbers = list(dict.fromkeys(person_numbers))
    with transaction.atomic():
        manager = get_user_model().objects.filter(pk=case_manager_id, is_active=True).first()
        if manager is None or role_of(manager) is not KLANTMANAGER:
            raise Refused({"case_manager": "Kies een actieve klantmanager."})
        served = served_municipality()
        found = dict(Person.objects.select_for_update().filter(municipality=served, external_id__in=numbers)
                     .values_list("external_id", "pk"))
        unknown = [n for n in numbers if n not in found]
        if unknown:
            shown = ", ".join(unknown[:10]) + (f" en nog {len(unknown) - 10}" if len(unknown) > 10 else "")
            raise Refused({"person_numbers": f"Onbekende persoonsnummers: {shown}. Er is niemand toegewezen."})
        moved = _move(list(found.values()), manager, on)
        record(actor=actor, action="caseload.assigned", object_type="user", object_id=manager.pk,
               details={"case_manager": manager.get_username(), "on": on.isoformat(), "persons": len(moved)})
    return len(moved)


def move_caseload(from_id: int, to_id: int, *, on: date, actor) -> int:
    """Move a whole caseload from one case manager to another; returns how many persons moved."""
    if from_id == to_id:
        raise Refused({"to_case_manager": "Kies een andere klantmanager dan de huidige."})
    with transaction.atomic():
        target = get_user_model().objects.filter(pk=to_id, is_active=True).first()
        if target is None or role_of(target) is not KLANTMANAGER:
            raise Refused({"to_case_manager": "Kies een actieve klantmanager."})
        persons = list(Assignment.objects.select_for_update().filter(case_manager_id=from_id, ended_on__isnull=True)
                       .values_list("person_id", flat=True))
        moved = _move(persons, target, on)
        record(actor=actor, action="caseload.moved", object_type="user", object_id=target.pk,
               details={"from": from_id, "to": target.get_username(), "on": on.isoformat(), "persons": len(moved)})
    return len(moved)


def _move(person_ids: list[int], manager, on: date) -> list[int]:
    """End the open assignments of these persons (unless already with `manager`) and open new ones."""
    current = dict(Assignment.objects.filter(person_id__in=person_ids, ended_on__isnull=True)
                   .values_list("person_id", "case_manager_id"))
    moving = [p for p in person_ids if current.get(p) != manager.pk]
    Assignment.objects.filter(person_id__in=moving, ended_on__isnull=True).update(ended_on=on)
    Assignment.objects.bulk_create(Assignment(person_id=p, case_manager=manager, assigned_on=on) for p in moving)
    return moving


# ---------------------------------------------------------------------------------------------------------
# Intake and half-yearly review


def record_intake(person_id: int, *, held_on: date, summary: str, goals_in_own_words: str, goals: list[str],
                  good_prospects: bool, ladder_rung: int, today: date, actor) -> Conversation:
    """The startgesprek: its summary, the goals (at least one), the judgement of good prospects and the rung on
    the participation ladder, all recorded at the occasion nulmeting."""
    with transaction.atomic():
        person = _lock(person_id)
        _refuse_if(_not_in_future(held_on, today, "held_on", "Het startgesprek")
                   | _goal_problems(goals) | _stopped_problem(person_id, held_on, "goals", "een startgesprek")
                   | _summary_problem(summary) | _no_bsn(summary=summary, goals_in_own_words=goals_in_own_words))
        if Conversation.objects.filter(person=person, kind="startgesprek").exists():
            raise Refused({None: "Het startgesprek is al vastgelegd; leg een halfjaargesprek vast."})
        return _conversation(person, "startgesprek", "nulmeting", held_on, summary, goals_in_own_words, goals,
                             good_prospects, ladder_rung, actor)


def record_review(person_id: int, *, held_on: date, summary: str, goals_in_own_words: str, goals: list[str],
                  good_prospects: bool, ladder_rung: int, action_statuses: dict[int, str], today: date,
                  actor) -> Conversation:
    """A half-yearly review: progress, the goals as they are now (at least one), the ladder rung, and the new
    status of the open actions. Earlier goals stay as they were recorded, so goals over time can be shown."""
    with transaction.atomic():
        person = _lock(person_id)
        intake = Conversation.objects.filter(person=person, kind="startgesprek").first()
        problems = (_not_in_future(held_on, today, "held_on", "Het halfjaargesprek") | _goal_problems(goals)
                    | _stopped_problem(person_id, held_on, "goals", "een halfjaargesprek") | _summary_problem(summary)
                    | _no_bsn(summary=summary, goals_in_own_words=goals_in_own_words))
        if intake is None:
            problems[None] = "Leg eerst het startgesprek vast; een halfjaargesprek volgt daarop."
        elif held_on <= intake.held_on:
            problems["held_on"] = f"Het halfjaargesprek moet na het startgesprek ({_day(intake.held_on)}) liggen."
        _refuse_if(problems)
        conversation = _conversation(person, "halfjaargesprek", "halfjaargesprek", held_on, summary,
                                     goals_in_own_words, goals, good_prospects, ladder_rung, actor)
        for action in Action.objects.filter(person=person, pk__in=list(action_statuses)):
            _set_status(action, action_statuses[action.pk], held_on, actor)
        return conversation


def _goal_problems(goals: list[str]) -> dict:
    if not goals:
        return {"goals": "Kies ten minste één persoonlijk doel."}
    unknown = [g for g in goals if g not in codes.GOALS]
    return {"goals": f"Onbekend doel: {', '.join(unknown)}."} if unknown else {}


def _summary_problem(summary: str) -> dict:
    return {} if summary.strip() else {"summary": "Schrijf in een paar zinnen wat er besproken is."}


def _conversation(person: Person, kind: str, occasion: str, held_on: date, summary: str, own_words: str,
                  goals: list[str], good_prospects: bool, ladder_rung: int, actor) -> Conversation:
    if not 1 <= ladder_rung <= 6:
        raise Refused({"ladder_rung": "Kies een trede van 1 tot en met 6."})
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                person=person, kind=kind, held_on=held_on, summary=summary.strip(),
                goals_in_own_words=own_words.strip(), recorded_by_id=Actor.of(actor).user_id)
    except IntegrityError:
        raise Refused({"held_on": f"Op {_day(held_on)} is al een gesprek vastgelegd."}) from None
    Goal.objects.bulk_create(Goal(person=person, recorded_on=held_on, occasion=occasion, goal=g)
                             for g in dict.fromkeys(goals))
    Assessment.objects.update_or_create(person=person, recorded_on=held_on, occasion=occasion,
                                        defaults={"good_prospects": good_prospects, "ladder_rung": ladder_rung})
    record(actor=actor, action=f"casework.{kind}", object_type="person", object_id=person.external_id,
           details={"held_on": held_on.isoformat(), "goals": sorted(set(goals)), "ladder_rung": ladder_rung,
                    "good_prospects": good_prospects})
    return conversation


# ---------------------------------------------------------------------------------------------------------
# The plan of action


def add_action(person_id: int, *, description: str, owner: str, due_on: date | None, goal: str, today: date,
               actor) -> Action:
    """A SMART action: what, who, by when (required), optionally for which goal."""
    with transaction.atomic():
        person = _lock(person_id)
        problems = (_stopped_problem(person_id, today, "description", "een nieuwe actie")
                    | _no_bsn(description=description))
        if not description.strip():
            problems["description"] = "Beschrijf wat er gedaan wordt."
        if due_on is None:
            problems["due_on"] = "Geef aan wanneer de actie klaar moet zijn."
        if owner not in codes.ACTION_OWNERS:
            problems["owner"] = "Kies wie de actie uitvoert."
        if goal and goal not in codes.GOALS:
            problems["goal"] = "Kies een van de persoonlijke doelen."
        _refuse_if(problems)
        action = Action.objects.create(person=person, description=description.strip(), owner=owner, due_on=due_on,
                                       goal=goal, created_on=today)
        record(actor=actor, action="casework.action_added", object_type="person", object_id=person.external_id,
               details={"action": action.pk, "owner": owner, "due_on": due_on.isoformat(), "goal": goal})
        return action


def update_action(person_id: int, action_id: int, *, status: str, today: date, actor) -> Action:
    with transaction.atomic():
        _lock(person_id)
        action = Action.objects.filter(person_id=person_id, pk=action_id).first()
        if action is None:
            raise Refused({None: "Deze actie hoort niet bij deze persoon."})
        _set_status(action, status, today, actor)
        return action


def _set_status(action: Action, status: str, on: date, actor) -> None:
    if status not in codes.ACTION_STATUSES:
        raise Refused({f"action_{action.pk}": "Kies een geldige status."})
    if status == action.status:
        return
    before = action.status
    action.status = status
    action.closed_on = None if status in codes.OPEN_ACTION_STATUSES else on
    action.save(update_fields=["status", "closed_on"])
    record(actor=actor, action="casework.action_status", object_type="person", object_id=action.person.external_id,
           details={"action": action.pk, "from": before, "to": status, "on": on.isoformat()})


# ---------------------------------------------------------------------------------------------------------
# Contacts, earnings, stopping, sanctions, stories


def log_contact(person_id: int, *, contact_on: date, channel: str, minutes: int, initiated_by: str, note: str,
                today: date, actor) -> Contact:
    with transaction.atomic():
        person = _lock(person_id)
        problems = _not_in_future(contact_on, today, "contact_on", "Het contact") | _no_bsn(note=note)
        if channel not in codes.CHANNELS:
            problems["channel"] = "Kies hoe het contact was."
        if initiated_by not in codes.INITIATORS:
            problems["initiated_by"] = "Kies wie het initiatief nam."
        if not 0 < minutes <= 1440:
            problems["minutes"] = "Geef de duur in minuten, van 1 tot 1440."
        _refuse_if(problems)
        try:
            with transaction.atomic():
                contact = Contact.objects.create(person=person, contact_on=contact_on, channel=channel,
                                                 minutes=minutes, initiated_by=initiated_by)
        except IntegrityError:
            raise Refused({"contact_on": f"Op {_day(contact_on)} is al een contact ({codes.CHANNELS[channel]}, "
                                         f"initiatief {codes.INITIATORS[initiated_by].lower()}) vastgelegd; "
                                         f"vul de duur van dat contact aan in de notitie."}) from None
        if note.strip():
            ContactNote.objects.create(contact=contact, text=note.strip())
        record(actor=actor, action="casework.contact", object_type="person", object_id=person.external_id,
               details={"contact_on": contact_on.isoformat(), "channel": channel, "minutes": minutes,
                        "initiated_by": initiated_by})
        return contact


def declare_earnings(person_id: int, *, month: date, earnings_cents: int, hours, today: date,
                     actor) -> MonthlyEarnings:
    """The earnings a person declared for one month; a second declaration for a month is refused."""
    month = month.replace(day=1)
    with transaction.atomic():
        person = _lock(person_id)
        problems = {}
        if month > today.replace(day=1):
            problems["month"] = f"{date_format(month, 'F Y')} is nog niet begonnen."
        if earnings_cents < 0:
            problems["earnings"] = "Inkomsten kunnen niet negatief zijn."
        elif earnings_cents > MAX_EARNINGS_CENTS:
            problems["earnings"] = f"Meer dan {euro(MAX_EARNINGS_CENTS)} in een maand: controleer het bedrag."
        if "month" not in problems and not _on_benefit_in(person, month):
            problems["month"] = f"In {date_format(month, 'F Y')} had deze persoon geen uitkering."
        if MonthlyEarnings.objects.filter(person=person, month=month).exists():
            problems["month"] = f"De inkomsten over {date_format(month, 'F Y')} zijn al opgegeven."
        _refuse_if(problems)
        earnings = MonthlyEarnings.objects.create(person=person, month=month, earnings_cents=earnings_cents,
                                                  hours=hours)
        record(actor=actor, action="casework.earnings_declared", object_type="person", object_id=person.external_id,
               details={"month": month.isoformat()[:7], "earnings_cents": earnings_cents})
        if Settlement.objects.filter(person=person, month=month, is_current=True).exists():
            # The month was settled without these earnings: settle it again at once, the later months follow.
            settle_again(person, month, reason="Inkomsten opgegeven na de verrekening.", actor=actor)
        return earnings


def _on_benefit_in(person: Person, month: date) -> bool:
    return BenefitSpell.objects.filter(spell_running_during(month), person=person).exists()


def stop_participation(person_id: int, *, stopped_on: date, reason: str, today: date, actor) -> None:
    """The participant stops taking part (their own choice, or the municipality's); the benefit goes on and the
    person returns to the regular service."""
    with transaction.atomic():
        person = _lock(person_id)
        problems = _not_in_future(stopped_on, today, "stopped_on", "De datum")
        if reason not in codes.STOP_REASONS:
            problems["reason"] = "Kies de reden van stoppen."
        membership = memberships_on([person_id], min(stopped_on, today)).get(person_id)
        if membership is None:
            problems[None] = "Deze persoon doet niet mee aan een lopend experiment."
        elif membership.stopped_on is not None:
            problems[None] = f"Deze deelnemer is al gestopt op {_day(membership.stopped_on)}."
        elif stopped_on < membership.consented_on:
            problems["stopped_on"] = (f"De deelnemer tekende de spelregels op {_day(membership.consented_on)}; "
                                      f"stoppen kan niet eerder.")
        _refuse_if(problems)
        for enrollment in Enrollment.objects.filter(person=person, arm_id=membership.arm.id):
            enrollment.stopped_on, enrollment.stop_reason = stopped_on, reason
            enrollment.save(update_fields=["stopped_on", "stop_reason"])
        record(actor=actor, action="casework.stopped", object_type="person", object_id=person.external_id,
               details={"stopped_on": stopped_on.isoformat(), "reason": reason, "arm": membership.arm.code})


def start_sanction(person_id: int, *, started_on: date, obligation: str, today: date, actor) -> Sanction:
    """A measure for an obligation not met; refused for a group exempt from work and re-integration obligations."""
    with transaction.atomic():
        person = _lock(person_id)
        problems = _not_in_future(started_on, today, "started_on", "De maatregel") | _no_bsn(obligation=obligation)
        if not obligation.strip():
            problems["obligation"] = "Beschrijf welke verplichting niet is nagekomen."
        arm = rules_on(person_id, started_on)
        if arm is not None and arm.exempt_from_obligations:
            problems[None] = (f"{arm.name} is vrijgesteld van de arbeids- en re-integratieverplichtingen "
                              f"(art. 9 Pw); een maatregel is niet mogelijk.")
        _refuse_if(problems)
        sanction = Sanction.objects.create(person=person, started_on=started_on, obligation=obligation.strip(),
                                           recorded_by_id=Actor.of(actor).user_id)
        record(actor=actor, action="casework.sanction", object_type="person", object_id=person.external_id,
               details={"started_on": started_on.isoformat()})
        return sanction


def record_story(person_id: int, *, told_on: date, text: str, consent: bool, today: date, actor) -> Story:
    """A participant's story for the reports; only with their explicit consent, given today."""
    with transaction.atomic():
        person = _lock(person_id)
        problems = _not_in_future(told_on, today, "told_on", "De datum") | _no_bsn(text=text)
        if not text.strip():
            problems["text"] = "Schrijf het verhaal op, in de woorden van de deelnemer."
        if not consent:
            problems["consent"] = "Een verhaal wordt alleen vastgelegd met toestemming van de deelnemer."
        _refuse_if(problems)
        story = Story.objects.create(person=person, told_on=told_on, text=text.strip(), consent_on=today)
        record(actor=actor, action="casework.story", object_type="person", object_id=person.external_id,
               details={"story": story.pk, "consent_on": today.isoformat()})
        return story


def withdraw_story_consent(person_id: int, story_id: int, *, today: date, actor) -> None:
    with transaction.atomic():
        _lock(person_id)
        story = Story.objects.filter(person_id=person_id, pk=story_id, consent_withdrawn_on__isnull=True).first()
        if story is None:
            raise Refused({None: "Dit verhaal is niet gevonden of de toestemming is al ingetrokken."})
        story.consent_withdrawn_on = today
        story.save(update_fields=["consent_withdrawn_on"])
        record(actor=actor, action="casework.story_consent_withdrawn", object_type="person",
               object_id=story.person.external_id, details={"story": story.pk})


@transaction.atomic
def reveal_bsn(person_id: int, *, case_manager, reason: str) -> str:
    """The BSN of a person on the case manager's own caseload, decrypted for one page; every reading is audited.
    Returns "" when none is known. A person elsewhere does not exist for this case manager (Http404)."""
    person = Person.objects.filter(pk=person_id, assignments__case_manager=case_manager,
                                   assignments__ended_on__isnull=True).first()
    if person is None:
        raise Http404
    record(actor=case_manager, action="person.bsn_read", object_type="registry.person", object_id=person.pk,
           details={"reason": reason[:200]}, subject=f"person:{person.pk}")
    return privacy.decrypt(person.bsn_encrypted, settings.BSN_ENCRYPTION_KEY) if person.bsn_encrypted else ""
