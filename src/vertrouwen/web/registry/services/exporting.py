"""Export an experiment from the register as a canonical dataset folder.

The BSN is never exported: the bsn column is written empty. Everything else round-trips: importing the
export into an empty register and exporting again gives the same files.
"""

from pathlib import Path

import polars as pl
from django.db import transaction

from vertrouwen.core.dataset import Dataset, table_schema, write_dataset
from vertrouwen.core.dataset.manifest import Arm, Experiment, Manifest, Municipality
from vertrouwen.web.audit.services import record
from vertrouwen.web.registry import models as m
from vertrouwen.web.registry.services.importing import dutch
from vertrouwen.web.registry.services.mapping import ENROLLMENT_TARGET, PERSON_RECORD_TARGETS, PERSON_TARGET, Target

ARM_PARAMETERS = tuple(f for f in Arm.__dataclass_fields__ if f != "code")


def export_dataset(folder: Path, *, experiment_code: str | None = None, actor) -> str:
    """Write the experiment's dataset to folder; returns a one-line summary."""
    with transaction.atomic():
        experiment = _experiment(experiment_code)
        dataset = Dataset(_manifest(experiment), _tables(experiment))
        write_dataset(Path(folder), dataset)
        rows = {name: len(frame) for name, frame in dataset.tables.items()}
        record(actor=actor, action="dataset.exported", object_type="experiment", object_id=experiment.pk,
               details={"folder": Path(folder).name, "rows": rows})
    return f"{folder}: " + ", ".join(f"{name} {dutch(n)}" for name, n in rows.items())


def _experiment(code: str | None) -> m.Experiment:
    experiments = m.Experiment.objects.select_related("municipality")
    if code:
        return experiments.get(code=code)
    found = list(experiments[:2])
    if len(found) != 1:
        raise m.Experiment.DoesNotExist("geef met --experiment aan welk experiment" if found else
                                        "er is nog geen experiment in de database")
    return found[0]


def _manifest(experiment: m.Experiment) -> Manifest:
    arms = tuple(Arm(code=a.code, **{f: getattr(a, f) for f in ARM_PARAMETERS}) for a in experiment.arms.all())
    return Manifest(
        municipality=Municipality(experiment.municipality.code, experiment.municipality.name),
        experiment=Experiment(experiment.code, experiment.name, experiment.period_start, experiment.period_end,
                              experiment.count_date),
        arms=arms,
        provenance={"exported_from": "vertrouwen"},
    )


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
        tables[target.table.name] = _frame(target, records, {"person_id": external})
    return tables


def _frame(target: Target, records, lookups: dict[str, dict]) -> pl.DataFrame:
    """Records as a DataFrame in the dataset's columns and types; '' back to empty, keys back to codes."""
    attnames = [c for c in target.key + target.values]
    rows = records.values_list(*attnames).iterator(chunk_size=5000)
    translate = [lookups.get(a) for a in attnames]
    text = target.text_fields()
    columns: list[list] = [[] for _ in attnames]
    for row in rows:
        for i, value in enumerate(row):
            if translate[i] is not None:
                value = translate[i][value]
            elif value == "" and attnames[i] in text:
                value = None
            columns[i].append(value)
    data = dict(zip(_column_names(target), columns, strict=True))
    table = target.table
    if "bsn" in table.column_names:
        data["bsn"] = [None] * len(columns[0])
    return pl.DataFrame({c: data[c] for c in table.column_names}, schema=table_schema(table))


def _column_names(target: Target) -> list[str]:
    """The dataset column of each exported attribute, in the order of Target.key + Target.values."""
    stored = [c for c in target.table.column_names if c != "bsn"]
    key = list(target.table.key)
    return key + [c for c in stored if c not in key]
