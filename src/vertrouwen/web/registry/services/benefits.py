"""Ending a benefit and starting a new one: an exit with its date and reason, and a re-entry after an exit.

A re-entry is a new spell after an ended one; it is linked to the exit before it by time (the person's spells
never overlap), so every export and report finds it the same way.
"""

from datetime import date

from django.db import transaction
from django.utils.formats import date_format

from vertrouwen.core import codes
from vertrouwen.web.audit.services import record
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry.models import BenefitSpell, Person


class BenefitRefused(Refused):
    """Nothing was written; each problem names its field."""


def _day(d: date) -> str:
    return date_format(d, "j F Y")


def end_benefit(person_id: int, *, end_on: date, reason: str, today: date, actor) -> BenefitSpell:
    """End the running benefit on `end_on` (its last day) for `reason`, one of the end reasons."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        spell = BenefitSpell.objects.filter(person=person, spell_end__isnull=True).order_by("-spell_start").first()
        problems = {}
        if spell is None:
            problems[None] = "Deze persoon heeft geen lopende uitkering."
        elif end_on < spell.spell_start:
            problems["end_on"] = f"De uitkering begon op {_day(spell.spell_start)}; het einde kan niet eerder."
        if end_on > today:
            problems["end_on"] = f"Het einde ligt in de toekomst ({_day(end_on)}); leg het vast als het zover is."
        if reason not in codes.END_REASONS:
            problems["reason"] = "Kies de reden van beëindiging."
        if problems:
            raise BenefitRefused(problems)
        spell.spell_end, spell.end_reason = end_on, reason
        spell.save(update_fields=["spell_end", "end_reason"])
        record(actor=actor, action="benefit.ended", object_type="person", object_id=person.external_id,
               details={"end_on": end_on.isoformat(), "reason": reason})
        return spell


def start_benefit(person_id: int, *, start_on: date, today: date, actor) -> BenefitSpell:
    """A new benefit; after an exit it is a re-entry (herinstroom)."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        spells = list(BenefitSpell.objects.filter(person=person).order_by("spell_start"))
        problems = {}
        if any(s.spell_end is None for s in spells):
            problems[None] = "Deze persoon heeft al een lopende uitkering."
        elif spells and start_on <= spells[-1].spell_end:
            problems["start_on"] = (f"De vorige uitkering liep tot en met {_day(spells[-1].spell_end)}; de nieuwe "
                                    f"begint daarna.")
        if start_on > today:
            problems["start_on"] = f"Het begin ligt in de toekomst ({_day(start_on)})."
        if problems:
            raise BenefitRefused(problems)
        spell = BenefitSpell.objects.create(person=person, spell_start=start_on)
        record(actor=actor, action="benefit.reentry" if spells else "benefit.started", object_type="person",
               object_id=person.external_id, details={"start_on": start_on.isoformat()})
        return spell
