"""Retention: once an experiment's term has passed, erase its personal data, keeping what must outlive it.

The contract of purge_experiment (docs/privacy.md, docs/verwerkingsregister.md):

- Refused (PurgeRefused, a Dutch message) before the day after the experiment's end plus its retention term,
  for an experiment already purged, and when the research folder exists and is not empty.
- First the pseudonymized research dataset is written, by the same code as `vertrouwen export --research`, and
  its canonical hash (core.dataset.writing.canonical_hash of the folder read back) is recorded.
- Then, in the same transaction, the experiment's own person-level rows go, for every person: its questionnaire
  answers, questionnaire invitations and lottery invitations; and its cached evaluations.
- The experiment's persons (enrolled or in its reference group) are released when no other experiment that has
  not been purged yet holds a record of them and they are on no open caseload. A released person's own rows go
  (benefit spells, goals, assessments, earnings, contacts and their notes, conversations, actions, sanctions,
  stories, caseload history, settlements), their BSN and date of birth are erased (the year stays: the research
  dataset has it), their audit key is destroyed, and the Person row stays as a pseudonymous skeleton that the
  lottery's evidence refers to. Its person number stays when a draw holds it (the draw's input is unchangeable
  and verify-allocations redoes the draw from it); otherwise it becomes the research pseudonym.
- Draws, allocations, enrollments and reference memberships stay, and so does every audit row. One event
  `experiment.purged` with the counts per table, the term and the research dataset's hash is written in the
  same transaction. When anything fails, nothing is erased and the research folder is removed again.
- A dry run counts what would go and changes nothing: no folder, no audit event.

Rows are deleted in bulk, past the per-row audit signals (audit.tracking): the purge records one event for the
batch, as the other bulk writes do.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from vertrouwen.core.dataset import read_dataset
from vertrouwen.core.dataset.research import research_pseudonym
from vertrouwen.core.dataset.writing import canonical_hash
from vertrouwen.core.formatting import dutch_number
from vertrouwen.web.audit.services import forget_subject, record
from vertrouwen.web.audit.tracking import subject_of
from vertrouwen.web.casework.models import Action, Assignment, ContactNote, Conversation, Sanction, Story
from vertrouwen.web.datasets import ExportRefused, export_dataset
from vertrouwen.web.evaluation.models import StoredEvaluation
from vertrouwen.web.lottery.models import Allocation
from vertrouwen.web.lottery.models import Invitation as LotteryInvitation
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry import models as m
from vertrouwen.web.registry.terms import purgeable_from, retention_months
from vertrouwen.web.reports.models import StoredReport
from vertrouwen.web.settlement.models import Settlement
from vertrouwen.web.surveys.models import Invitation as SurveyInvitation

# A list of ids in one IN (...) stays below SQLite's limit of 32,766 variables.
CHUNK = 10_000

# The rows about a released person, deleted children first (a contact's note before the contact).
PERSON_ROWS: tuple[type[models.Model], ...] = (
    ContactNote, m.Contact, Settlement, Story, Sanction, Action, Conversation, Assignment, m.Goal, m.Assessment,
    m.MonthlyEarnings, m.BenefitSpell)
# Lookup from each of those to its person.
PERSON_PATH = {ContactNote: "contact__person_id"}


class PurgeRefused(Refused):
    """The purge may not (yet) run; the message says why, in Dutch."""


@dataclass
class PurgeResult:
    experiment: str  # the experiment's code
    dry_run: bool
    retention_months: int
    purgeable_from: date
    persons: int = 0  # enrolled or in the reference group
    released: int = 0  # whose own data were (or would be) erased
    kept_for_other_experiment: int = 0
    kept_on_caseload: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # model label -> rows deleted (or erased, for persons)
    research_folder: Path | None = None
    research_hash: str = ""

    def summary(self) -> str:
        head = ("Proef: er is niets gewijzigd. " if self.dry_run else "") + (
            f"Experiment {self.experiment}: {dutch_number(self.persons)} personen, van "
            f"{dutch_number(self.released)} {'zouden' if self.dry_run else 'zijn'} de persoonsgegevens "
            f"{'worden gewist' if self.dry_run else 'gewist'}; bewaard voor een ander experiment: "
            f"{dutch_number(self.kept_for_other_experiment)}, nog in een caseload: "
            f"{dutch_number(self.kept_on_caseload)}.")
        lines = [head, *(f"- {label}: {dutch_number(n)}" for label, n in self.rows.items())]
        if self.research_folder is not None:
            lines.append(f"Onderzoeksbestand: {self.research_folder} (SHA-256 {self.research_hash})")
        return "\n".join(lines)


def find_experiment(reference: str, municipality_code: str | None = None) -> m.Experiment:
    """The experiment with this code (or, for digits that are no code, this primary key)."""
    experiments = m.Experiment.objects.select_related("municipality")
    if municipality_code:
        experiments = experiments.filter(municipality__code=municipality_code)
    found = list(experiments.filter(code=reference)[:2])
    if not found and reference.isdigit():
        found = list(experiments.filter(pk=int(reference)))
    if not found:
        raise PurgeRefused(f"geen experiment gevonden met code of nummer {reference}")
    if len(found) > 1:
        raise PurgeRefused(f"meer dan één experiment heeft code {reference}; kies er een met --municipality")
    return found[0]


def default_research_folder(experiment: m.Experiment, today: date) -> Path:
    return (Path(settings.PROJECT_DIR) / "var" / "research"
            / f"{experiment.municipality.code}-{experiment.code}-{today.isoformat()}")


def purge_experiment(experiment_id: int, *, actor, today: date | None = None, dry_run: bool = False,
                     folder: Path | None = None) -> PurgeResult:
    """Erase the personal data of a finished experiment whose term has passed (see the module's contract)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        experiment = (m.Experiment.objects.select_for_update().select_related("municipality")
                      .get(pk=experiment_id))
        _refuse_unless_purgeable(experiment, today)
        folder = Path(folder) if folder is not None else default_research_folder(experiment, today)
        if not dry_run and folder.exists() and any(folder.iterdir()):
            raise PurgeRefused(f"{folder} bestaat al en is niet leeg; kies een nieuwe map")
        result = PurgeResult(experiment.code, dry_run, retention_months(experiment), purgeable_from(experiment))
        members = _member_ids(experiment)
        released, held_elsewhere, on_caseload = _released(experiment, members)
        result.persons, result.released = len(members), len(released)
        result.kept_for_other_experiment, result.kept_on_caseload = len(held_elsewhere), len(on_caseload)
        if dry_run:
            result.rows = _count_rows(experiment, released)
            return result
        try:
            result.research_folder, result.research_hash = folder, _write_research_dataset(experiment, folder, actor)
            result.rows = _erase(experiment, released, today)
            for person_id in released:
                forget_subject(subject_of(m.Person(pk=person_id)), actor=actor)
            m.Experiment.objects.filter(pk=experiment.pk).update(purged_at=timezone.now())
            record(actor=actor, action="experiment.purged", object_type="experiment", object_id=experiment.pk,
                   details=_details(experiment, result))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # no research dataset without the purge it belongs to
            raise
    return result


def _refuse_unless_purgeable(experiment: m.Experiment, today: date) -> None:
    if experiment.purged_at is not None:
        raise PurgeRefused(f"de persoonsgegevens van experiment {experiment.code} zijn al gewist op "
                           f"{timezone.localtime(experiment.purged_at):%Y-%m-%d}")
    first_day = purgeable_from(experiment)
    if today < first_day:
        raise PurgeRefused(
            f"experiment {experiment.code} mag pas vanaf {first_day.isoformat()} worden gewist: het eindigde op "
            f"{experiment.period_end.isoformat()} en de bewaartermijn is {retention_months(experiment)} maanden "
            f"(experiment {experiment.code} may be purged from {first_day.isoformat()} on)")


def _member_ids(experiment: m.Experiment) -> list[int]:
    """The experiment's persons, as in its dataset: enrolled or in its reference group."""
    return list(m.Person.objects.filter(
        Exists(m.Enrollment.objects.filter(experiment=experiment, person=OuterRef("pk")))
        | Exists(m.ReferenceMember.objects.filter(experiment=experiment, person=OuterRef("pk"))))
        .order_by("pk").values_list("pk", flat=True))


def _records_elsewhere(experiment: m.Experiment) -> Q:
    """A person that another experiment, not yet purged, holds any record of: its data are still needed."""
    others = m.Experiment.objects.filter(purged_at__isnull=True).exclude(pk=experiment.pk)
    return (Exists(m.Enrollment.objects.filter(experiment__in=others, person=OuterRef("pk")))
            | Exists(m.ReferenceMember.objects.filter(experiment__in=others, person=OuterRef("pk")))
            | Exists(m.SurveyResponse.objects.filter(experiment__in=others, person=OuterRef("pk")))
            | Exists(LotteryInvitation.objects.filter(experiment__in=others, person=OuterRef("pk")))
            | Exists(SurveyInvitation.objects.filter(wave__experiment__in=others, person=OuterRef("pk"))))


def _released(experiment: m.Experiment, members: list[int]) -> tuple[list[int], set[int], set[int]]:
    """(released, kept for another experiment, kept because on an open caseload) among the members."""
    held_elsewhere: set[int] = set()
    on_caseload: set[int] = set()
    for ids in _chunks(members):
        held_elsewhere |= set(m.Person.objects.filter(Q(pk__in=ids) & _records_elsewhere(experiment))
                              .values_list("pk", flat=True))
        on_caseload |= set(Assignment.objects.filter(person_id__in=ids, ended_on__isnull=True)
                           .values_list("person_id", flat=True))
    on_caseload -= held_elsewhere  # each kept person counted once, under the first reason
    return [p for p in members if p not in held_elsewhere and p not in on_caseload], held_elsewhere, on_caseload


def _experiment_rows(experiment: m.Experiment) -> list[tuple[type[models.Model], models.QuerySet]]:
    """The rows that belong to this experiment alone, whoever they are about."""
    return [(m.SurveyResponse, m.SurveyResponse.objects.filter(experiment=experiment)),
            (SurveyInvitation, SurveyInvitation.objects.filter(wave__experiment=experiment)),
            (LotteryInvitation, LotteryInvitation.objects.filter(experiment=experiment)),
            (StoredEvaluation, StoredEvaluation.objects.filter(experiment_id=experiment.pk)),
            (StoredReport, StoredReport.objects.filter(experiment_id=experiment.pk))]  # its stories among them


def _person_rows(released: Sequence[int]) -> Iterator[tuple[type[models.Model], models.QuerySet]]:
    for model in PERSON_ROWS:
        lookup = f"{PERSON_PATH.get(model, 'person_id')}__in"
        for ids in _chunks(released):
            yield model, model.objects.filter(**{lookup: ids})


def _count_rows(experiment: m.Experiment, released: Sequence[int]) -> dict[str, int]:
    rows: dict[str, int] = {}
    for model, queryset in [*_experiment_rows(experiment), *_person_rows(released)]:
        rows[model._meta.label] = rows.get(model._meta.label, 0) + queryset.count()
    rows[m.Person._meta.label] = len(released)
    return rows


def _erase(experiment: m.Experiment, released: Sequence[int], today: date) -> dict[str, int]:
    rows: dict[str, int] = {}
    for model, queryset in [*_experiment_rows(experiment), *_person_rows(released)]:
        # _raw_delete: one DELETE statement, without the per-row audit signals (the purge has its own event)
        # and without cascading: children are deleted first, and a forgotten child fails the transaction.
        deleted = queryset._raw_delete(queryset.db)
        rows[model._meta.label] = rows.get(model._meta.label, 0) + deleted
    rows[m.Person._meta.label] = _erase_persons(experiment, released, today)
    return rows


def _erase_persons(experiment: m.Experiment, released: Sequence[int], today: date) -> int:
    """BSN and date of birth go (the year stays); a person number that no draw holds becomes the pseudonym."""
    municipality = experiment.municipality.code
    changed = 0
    for ids in _chunks(released):
        drawn = set(Allocation.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
        persons = list(m.Person.objects.filter(pk__in=ids))
        for person in persons:
            if person.birth_date is not None:
                person.birth_year = person.birth_date.year
            person.birth_date = None
            person.bsn_encrypted = person.bsn_pseudonym = ""
            if person.pk not in drawn:
                person.external_id = research_pseudonym(settings.PSEUDONYM_KEY, municipality, person.external_id)
            person.erased_on = today
        m.Person.objects.bulk_update(persons, ["birth_date", "birth_year", "bsn_encrypted", "bsn_pseudonym",
                                               "external_id", "erased_on"], batch_size=1000)
        changed += len(persons)
    return changed


def _write_research_dataset(experiment: m.Experiment, folder: Path, actor) -> str:
    """Write the research dataset as `vertrouwen export --research` does; return its canonical hash."""
    try:
        export_dataset(folder, experiment_code=experiment.code, municipality_code=experiment.municipality.code,
                       actor=actor, research=True)
    except ExportRefused as exc:
        raise PurgeRefused(f"het onderzoeksbestand kon niet worden geschreven: {exc}") from exc
    return canonical_hash(read_dataset(folder))


def _details(experiment: m.Experiment, result: PurgeResult) -> dict:
    return {"experiment": experiment.code, "municipality": experiment.municipality.code,
            "period_end": experiment.period_end.isoformat(), "retention_months": result.retention_months,
            "purgeable_from": result.purgeable_from.isoformat(), "persons": result.persons,
            "released": result.released, "kept_for_other_experiment": result.kept_for_other_experiment,
            "kept_on_caseload": result.kept_on_caseload, "rows": result.rows,
            "research_folder": result.research_folder.name if result.research_folder else "",
            "research_hash": result.research_hash}


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]
