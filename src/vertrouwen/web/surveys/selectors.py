"""Reading waves, the response per group (with attrition since the previous wave) and who has not answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q

from vertrouwen.core.surveys import ResponseCell, response_table
from vertrouwen.web.registry.models import Arm, BenefitSpell, Enrollment, ReferenceMember
from vertrouwen.web.registry.predicates import spell_running_at
from vertrouwen.web.surveys.models import Invitation, Wave


@dataclass(frozen=True)
class GroupResponse:
    name: str
    cell: ResponseCell


@dataclass(frozen=True)
class WaveResponse:
    wave: Wave
    groups: list[GroupResponse]
    total: ResponseCell


def _groups(experiment_id: int) -> tuple[dict[int, str], list[str]]:
    """Each participant's group name, and the group names in the arms' order."""
    names = list(Arm.objects.filter(experiment_id=experiment_id).order_by("position", "id").values_list("name",
                                                                                                      flat=True))
    of = dict(Enrollment.objects.filter(experiment_id=experiment_id).values_list("person_id", "arm__name"))
    return of, names


def response_by_group(experiment_id: int) -> list[WaveResponse]:
    """Per wave of the experiment, per group: invited, answered (at least one page saved through the invitation,
    so answers of another experiment's wave of the same number do not count), and lost since the wave before. A
    fixed number of queries."""
    waves = list(Wave.objects.filter(experiment_id=experiment_id).order_by("number"))
    if not waves:
        return []
    of, names = _groups(experiment_id)
    numbers = {w.pk: w.number for w in waves}
    asked = [(p, numbers[w]) for p, w in Invitation.objects.filter(wave__in=waves).values_list("person_id", "wave_id")]
    invited = {p for p, _ in asked}
    answered = [(p, numbers[w]) for p, w in Invitation.objects.filter(wave__in=waves, page__gt=0)
                .values_list("person_id", "wave_id")]
    table = response_table({p: of.get(p, "") for p in invited}, asked, answered)
    result = []
    for wave in waves:
        cells = table.get(wave.number, {})
        empty = ResponseCell(0, 0, 0, 0)
        result.append(WaveResponse(wave, [GroupResponse(n, cells.get(n, empty)) for n in names],
                                   cells.get(None, empty)))
    return result


@dataclass(frozen=True)
class Waiting:
    person_number: str
    group: str
    reminders: int
    off_benefit: bool
    started: bool  # answered some pages already


def not_answered(wave: Wave, today: date) -> list[Waiting]:
    """Everyone invited who has not completed the wave, by group, with whether they have left benefit (they need
    extra effort to reach)."""
    of, names = _groups(wave.experiment_id)
    order = {n: i for i, n in enumerate(names)}
    on_benefit = set(BenefitSpell.objects.filter(spell_running_at(today), person__survey_invitations__wave=wave)
                     .values_list("person_id", flat=True))
    rows = (Invitation.objects.filter(wave=wave, completed_at__isnull=True)
            .values_list("person_id", "person__external_id", "reminders", "page"))
    waiting = [Waiting(number, of.get(p, ""), reminders, p not in on_benefit, page > 0)
               for p, number, reminders, page in rows]
    return sorted(waiting, key=lambda w: (order.get(w.group, 99), w.person_number))


def entry_waves(person_id: int, today: date) -> list[Wave]:
    """The open waves of the person's experiments that staff may enter for them (one query): not completed, and
    not begun online by the person (their own answers are never overwritten)."""
    in_experiment = (Exists(Enrollment.objects.filter(experiment=OuterRef("experiment"), person_id=person_id))
                     | Exists(ReferenceMember.objects.filter(experiment=OuterRef("experiment"), person_id=person_id)))
    taken = Exists(Invitation.objects.filter(wave=OuterRef("pk"), person_id=person_id).filter(
        Q(completed_at__isnull=False) | Q(mode="online", page__gt=0)))
    waves = (Wave.objects.filter(in_experiment).exclude(taken).select_related("experiment")
             .order_by("opens_on", "number"))
    return [wave for wave in waves if wave.is_open(today)]
