"""Waves, invitations with a personal link, reminders, and saving answers page by page.

A page is one instrument of the wave. Saving a page checks every answer on it against its scale and writes
nothing when one is out of range; a page saved again (a double submit, or going back, also after the last page)
updates the same answers, so nothing is lost or doubled. Staff enter a paper or an assisted questionnaire through
the same pages. Answers belong to the wave's experiment: a person in two experiments answers each one's waves
separately.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from vertrouwen.core.months import add_months
from vertrouwen.core.surveys import INSTRUMENTS, PARTICIPANT_INSTRUMENTS, AnswerInvalid
from vertrouwen.web.audit.actor import Actor
from vertrouwen.web.audit.services import record
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry.models import Enrollment, Experiment, Person, ReferenceMember, SurveyResponse
from vertrouwen.web.surveys.models import Invitation, StaffAnswer, Wave

OPEN_WEEKS = 10  # how long a wave stays open


class SurveyRefused(Refused):
    """Nothing was written; each problem names its field (an item code) or none."""


def _label(actor) -> str:
    return Actor.of(actor).label


# ---------------------------------------------------------------------------------------------------------
# Waves


def default_waves(experiment: Experiment) -> list[dict]:
    """Baseline at the start, a wave after 12 months, and the final one before the count date."""
    start, count = experiment.period_start, experiment.count_date
    final = max(start, count - timedelta(weeks=OPEN_WEEKS))
    return [{"number": 0, "name": "Nulmeting", "opens_on": start},
            {"number": 1, "name": "Na 12 maanden", "opens_on": add_months(start, 12)},
            {"number": 2, "name": "Eindmeting", "opens_on": final}]


def create_waves(experiment_id: int, *, actor, instruments: tuple[str, ...] = PARTICIPANT_INSTRUMENTS) -> list[Wave]:
    """The experiment's default waves with the given instruments, each at its current version; existing waves
    stay as they are."""
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=experiment_id)
        made = []
        for spec in default_waves(experiment):
            if Wave.objects.filter(experiment=experiment, number=spec["number"]).exists():
                continue
            closes = min(spec["opens_on"] + timedelta(weeks=OPEN_WEEKS), max(experiment.period_end, spec["opens_on"]))
            made.append(Wave.objects.create(
                experiment=experiment, closes_on=closes, instruments=list(instruments),
                versions={code: INSTRUMENTS[code].version for code in instruments}, **spec))
        record(actor=actor, action="surveys.waves_created", object_type="experiment", object_id=experiment.pk,
               details={"waves": [w.number for w in made]})
        return made


def set_period(wave_id: int, *, opens_on: date, closes_on: date, actor) -> Wave:
    if closes_on < opens_on:
        raise SurveyRefused({"closes_on": "De sluitingsdatum ligt vóór de openingsdatum."})
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave_id)
        wave.opens_on, wave.closes_on = opens_on, closes_on
        wave.save(update_fields=["opens_on", "closes_on"])
        record(actor=actor, action="surveys.wave_period", object_type="wave", object_id=wave.pk,
               details={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})
        return wave


# ---------------------------------------------------------------------------------------------------------
# Invitations and reminders


def invite_participants(wave_id: int, *, on: date, actor) -> int:
    """A personal link for every participant who signed the rules, also those who stopped or left benefit;
    persons already invited keep their link. Returns how many were invited now."""
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave_id)
        participants = set(Enrollment.objects.filter(experiment_id=wave.experiment_id, consented_on__isnull=False)
                           .values_list("person_id", flat=True))
        invited = set(Invitation.objects.filter(wave=wave).values_list("person_id", flat=True))
        new = sorted(participants - invited)
        Invitation.objects.bulk_create(Invitation(wave=wave, person_id=p, token=secrets.token_urlsafe(32),
                                                  invited_on=on) for p in new)
        record(actor=actor, action="surveys.invited", object_type="wave", object_id=wave.pk,
               details={"invited": len(new)})
        return len(new)


def remind(wave_id: int, *, on: date, actor) -> int:
    """Record a reminder for everyone invited who has not completed the questionnaire."""
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave_id)
        if not wave.is_open(on):
            raise SurveyRefused({None: "Deze meting is niet open; een herinnering heeft nu geen zin."})
        count = Invitation.objects.filter(wave=wave, completed_at__isnull=True).update(
            reminders=F("reminders") + 1, reminded_on=on)
        record(actor=actor, action="surveys.reminded", object_type="wave", object_id=wave.pk,
               details={"reminded": count})
        return count


def staff_invitation(wave_id: int, person_number: str, *, mode: str, today: date, actor) -> Invitation:
    """The invitation through which staff enter a paper or assisted questionnaire; only while the wave is open."""
    if mode not in ("papier", "begeleid", "telefonisch"):
        raise SurveyRefused({"mode": "Kies papier, met hulp of telefonisch."})
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave_id)
        if not wave.is_open(today):
            raise SurveyRefused({None: f"{wave.name} is gesloten (open van {wave.opens_on:%d-%m-%Y} tot en met "
                                       f"{wave.closes_on:%d-%m-%Y}); er kan niets meer worden ingevoerd."})
        person = Person.objects.filter(municipality_id=wave.experiment.municipality_id,
                                       external_id=person_number).first()
        if person is None:
            raise SurveyRefused({"person_number": f"Persoonsnummer {person_number} is onbekend."})
        in_experiment = (Enrollment.objects.filter(experiment_id=wave.experiment_id, person=person).exists()
                         or ReferenceMember.objects.filter(experiment_id=wave.experiment_id, person=person).exists())
        if not in_experiment:  # the answers would be the experiment's, and its dataset holds only its own persons
            raise SurveyRefused({"person_number": _(
                "Person number %(number)s does not belong to the experiment %(experiment)s.")
                % {"number": person_number, "experiment": wave.experiment.name}})
        invitation, created = Invitation.objects.get_or_create(
            wave=wave, person=person, defaults={"token": secrets.token_urlsafe(32), "invited_on": today})
        if invitation.completed_at is not None:
            raise SurveyRefused({"person_number": f"{person_number} heeft {wave.name} al ingevuld."})
        if invitation.mode == "online" and invitation.page > 0:
            raise SurveyRefused({"person_number": f"{person_number} is {wave.name} online begonnen; de deelnemer "
                                                  f"maakt het zelf af via de eigen link."})
        invitation.mode = mode
        invitation.save(update_fields=["mode"])
        record(actor=actor, action="surveys.staff_entry_started", object_type="invitation", object_id=invitation.pk,
               details={"wave": wave.number, "person": person_number, "mode": mode, "new": created})
        return invitation


# ---------------------------------------------------------------------------------------------------------
# Answering


TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what secrets.token_urlsafe(32) makes, with room


def open_invitation(token: str, today: date) -> Invitation | None:
    """The invitation of a link that works today; None for an unknown link, anything that is no token (a NUL
    byte included, which the database would refuse) or a wave that is not open."""
    if not TOKEN.fullmatch(token):
        return None
    invitation = Invitation.objects.select_related("wave").filter(token=token).first()
    if invitation is None or not invitation.wave.is_open(today):
        return None
    return invitation


def answers_on_page(invitation: Invitation, page: int) -> dict[str, str]:
    """The answers already given on a page, to fill the form again (resume, or going back)."""
    code = invitation.wave.instruments[page]
    return dict(SurveyResponse.objects.filter(experiment_id=invitation.wave.experiment_id,
                                              person_id=invitation.person_id, wave=invitation.wave.number,
                                              instrument=code).values_list("item", "value"))


def save_page(invitation_id: int, page: int, raw: dict[str, str], *, today: date, actor=None) -> Invitation:
    """Check and save one page's answers; the invitation moves on to the next page, or is completed after the
    last. An unanswered item stays empty; an answer out of range refuses the whole page."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("wave").get(pk=invitation_id)
        wave = invitation.wave
        if not wave.is_open(today):
            raise SurveyRefused({None: f"{wave.name} is gesloten; uw antwoorden konden niet meer worden bewaard."})
        if not 0 <= page < len(wave.instruments):
            raise SurveyRefused({None: "Deze pagina bestaat niet."})
        if page > invitation.page:  # one goes back, never skips ahead: the last page alone completes nothing
            raise SurveyRefused({None: "Vul eerst de vorige pagina's in."})
        if actor is not None and invitation.mode == "online":
            raise SurveyRefused({None: "Deze vragenlijst is online ingevuld door de deelnemer zelf; die antwoorden "
                                       "worden niet door een medewerker overschreven."})
        instrument = INSTRUMENTS[wave.instruments[page]]
        _save_answers(invitation, instrument.code, _parse(instrument, raw))
        invitation.page = max(invitation.page, page + 1)
        fields = ["page"]
        if invitation.page >= len(wave.instruments) and invitation.completed_at is None:
            invitation.completed_at = timezone.now()
            fields.append("completed_at")
        invitation.save(update_fields=fields)
        if actor is not None:  # staff entry; a participant's own answers are their own, not an audited change
            record(actor=actor, action="surveys.staff_page", object_type="invitation", object_id=invitation.pk,
                   details={"wave": wave.number, "instrument": instrument.code, "mode": invitation.mode})
        return invitation


def _parse(instrument, raw: dict[str, str]) -> dict:
    """The answered items as numbers on their scales; every answer out of range refuses the whole page."""
    values, problems = {}, {}
    for item in instrument.items:
        text = (raw.get(item.code) or "").strip()
        if not text:
            continue
        try:
            values[item.code] = item.parse(text)
        except AnswerInvalid as invalid:
            problems[item.code] = str(invalid)
    if problems:
        raise SurveyRefused(problems)
    return values


def _save_answers(invitation: Invitation, instrument: str, values: dict) -> None:
    """Add the page's new answers and change the changed ones, one row each (each audited as a row). The
    invitation's row is locked by the caller: a second tab saving the same page waits until this one is done."""
    key = {"experiment_id": invitation.wave.experiment_id, "person_id": invitation.person_id,
           "wave": invitation.wave.number, "instrument": instrument}
    stored = {answer.item: answer for answer in SurveyResponse.objects.filter(**key, item__in=list(values))}
    for item, value in values.items():
        text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
        answer = stored.get(item)
        if answer is None:
            SurveyResponse(**key, item=item, value=text, mode=invitation.mode).save(force_insert=True)
        elif (answer.value, answer.mode) != (text, invitation.mode):
            answer.value, answer.mode = text, invitation.mode
            answer.save(update_fields=["value", "mode"])


# ---------------------------------------------------------------------------------------------------------
# The case managers' questionnaire (process evaluation)

CASE_MANAGER_INSTRUMENT = "klantmanager_proces"


def save_case_manager_answers(wave_id: int, raw: dict[str, str], *, today: date, actor) -> None:
    """A case manager's answers about their own work in an open wave; saved again, they replace the earlier ones."""
    instrument = INSTRUMENTS[CASE_MANAGER_INSTRUMENT]
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave_id)
        if not wave.is_open(today):
            raise SurveyRefused({None: f"{wave.name} is gesloten; uw antwoorden konden niet worden bewaard."})
        values = _parse(instrument, raw)
        for code, value in values.items():
            StaffAnswer.objects.update_or_create(wave=wave, respondent=actor, instrument=instrument.code, item=code,
                                                 defaults={"value": str(value)})
        record(actor=actor, action="surveys.case_manager_answered", object_type="wave", object_id=wave.pk,
               details={"items": sorted(values)})


def open_waves(today: date) -> list[Wave]:
    return list(Wave.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related("experiment"))


def record_links_exported(wave: Wave, *, actor) -> None:
    """The download of a wave's personal links (bearer tokens, one per person) in the audit trail."""
    with transaction.atomic():
        record(actor=actor, action="survey.links_exported", object_type="wave", object_id=wave.pk,
               details={"experiment": wave.experiment.code, "wave": wave.number,
                        "links": Invitation.objects.filter(wave=wave).count()})


def record_entry_opened(invitation: Invitation, *, actor) -> None:
    """Staff opened a person's questionnaire, with the answers given so far: an identified reading, audited."""
    with transaction.atomic():
        record(actor=actor, action="surveys.staff_entry_read", object_type="invitation", object_id=invitation.pk,
               details={"wave": invitation.wave.number, "page": invitation.page, "mode": invitation.mode},
               subject=f"person:{invitation.person_id}")
