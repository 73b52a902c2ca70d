"""Export an experiment from the register as a canonical dataset folder.

The BSN is never exported: the bsn column is written empty. Of the questionnaire answers only the experiment's
own are exported, not those its persons gave in another experiment. Everything else round-trips: importing the
export into an empty register and exporting again gives the same files. The folder appears whole or not at
all, and an existing folder is never overwritten.
"""

import shutil
import tempfile
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vertrouwen.core.dataset import Dataset, schema, table_schema, write_dataset
from vertrouwen.core.dataset.research import pseudonymize, write_codebook
from vertrouwen.core.evaluation.plan import PLAN_FILE
from vertrouwen.core.formatting import dutch_number
from vertrouwen.web.audit.services import record
from vertrouwen.web.lottery.selectors import plan_versions
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry import models as m
from vertrouwen.web.registry.mapping import (
    ENROLLMENT_TARGET,
    PERSON_RECORD_TARGETS,
    PERSON_TARGET,
    Target,
)
from vertrouwen.web.registry.selectors import experiment_manifest


class ExportRefused(Refused):
    """The export cannot be made as asked; the message says why, in Dutch."""


def export_dataset(folder: Path, *, experiment_code: str | None = None, municipality_code: str | None = None,
                   actor, research: bool = False) -> str:
    """Write the experiment's dataset to a new folder; returns a one-line summary. A research export is
    pseudonymized and comes with a codebook (core.dataset.research)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise ExportRefused(f"{folder} bestaat al en is niet leeg; kies een nieuwe map")
    with transaction.atomic():
        experiment = _experiment(experiment_code, municipality_code)
        if experiment.purged_at is not None:  # what is left is a skeleton; the purge kept the research dataset
            raise ExportRefused(f"de persoonsgegevens van {experiment.code} zijn gewist op "
                                f"{timezone.localtime(experiment.purged_at):%d-%m-%Y}; het onderzoeksbestand van "
                                f"dat moment staat in de map die de wisopdracht noemde (var/research/)")
        dataset = experiment_dataset(experiment)
        if research:
            dataset = pseudonymize(dataset, settings.PSEUDONYM_KEY)
        rows = {name: len(frame) for name, frame in dataset.tables.items()}
        record(actor=actor, action="dataset.research_exported" if research else "dataset.exported",
               object_type="experiment", object_id=experiment.pk, details={"folder": folder.name, "rows": rows})
        _write_whole(folder, dataset, codebook=research, plan=plan_versions(experiment)[-1:])
    return f"{folder}: " + ", ".join(f"{name} {dutch_number(n)}" for name, n in rows.items())


def experiment_dataset(experiment: m.Experiment) -> Dataset:
    """The experiment as a dataset in memory, with person numbers (never a BSN): for an export or the monitor."""
    return Dataset(experiment_manifest(experiment), _tables(experiment))


def _write_whole(folder: Path, dataset: Dataset, *, codebook: bool = False, plan=()) -> None:
    """Write into a temporary folder beside the target, then rename it into place. With the plan version in force,
    its text as registered, byte for byte: the evaluation of the folder follows it, and `vertrouwen
    verify-allocations --plan` proves it unchanged."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        write_dataset(staging, dataset)
        if codebook:
            write_codebook(staging, dataset)
        for version in plan:
            (staging / PLAN_FILE).write_bytes(version.text.encode("utf-8"))
        if folder.exists():
            folder.rmdir()  # empty, checked above
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _experiment(code: str | None, municipality_code: str | None) -> m.Experiment:
    experiments = m.Experiment.objects.select_related("municipality").order_by("municipality__code", "code")
    if code:
        experiments = experiments.filter(code=code)
    if municipality_code:
        experiments = experiments.filter(municipality__code=municipality_code)
    found = list(experiments[:2])
    if not found:
        raise ExportRefused("geen experiment gevonden" + (f" met code {code}" if code else ""))
    if len(found) > 1:
        raise ExportRefused("meer dan één experiment past; kies met --experiment en --municipality")
    experiment = found[0]
    if not experiment.arms.exists():
        raise ExportRefused(f"experiment {experiment.code} heeft nog geen groepen; een dataset heeft er ten minste "
                            "één nodig (voeg ze toe in de Beheeromgeving)")
    return experiment


def _tables(experiment: m.Experiment) -> dict[str, pl.DataFrame]:
    person_ids = m.Person.objects.filter(
        m.models.Q(enrollments__experiment=experiment) | m.models.Q(reference_memberships__experiment=experiment)
    ).values("pk")
    external = dict(m.Person.objects.filter(pk__in=person_ids).values_list("pk", "external_id"))
    arm_codes = dict(experiment.arms.values_list("pk", "code"))
    tables = {
        "persons": _frame(PERSON_TARGET, m.Person.objects.filter(pk__in=person_ids), {}),
        "enrollments": _frame(ENROLLMENT_TARGET, m.Enrollment.objects.filter(experiment=experiment),
                              {"person_id": external, "arm_id": arm_codes}),
    }
    for target in PERSON_RECORD_TARGETS:
        records = target.model.objects.filter(person_id__in=person_ids)
        if target.to_experiment:  # a person's answers in another experiment are that experiment's
            records = records.filter(**{target.to_experiment: experiment})
        tables[target.table.name] = _frame(target, records, {"person_id": external})
    return {table.name: tables[table.name] for table in schema.TABLES}


def _frame(target: Target, records, lookups: dict[str, dict]) -> pl.DataFrame:
    """Records as a DataFrame in the dataset's columns and types; '' back to empty, keys back to codes."""
    attnames = target.key + target.values
    translate = [lookups.get(a) for a in attnames]
    text = target.text_fields()
    columns: list[list] = [[] for _ in attnames]
    for row in records.values_list(*attnames).iterator(chunk_size=5000):
        for i, value in enumerate(row):
            if translate[i] is not None:
                value = translate[i][value]
            elif value == "" and attnames[i] in text:
                value = None
            columns[i].append(value)
    data = dict(zip(target.columns, columns, strict=True))
    table = target.table
    if "bsn" in table.column_names:
        data["bsn"] = [None] * len(columns[0])
    return pl.DataFrame({c: data[c] for c in table.column_names}, schema=table_schema(table))
