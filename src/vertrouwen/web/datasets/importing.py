"""Import a dataset folder into the register: all or nothing, idempotent, never silently overwriting.

Records are matched on the dataset's natural keys. A record that is already there unchanged is left alone;
one that differs is a conflict that refuses the whole import, unless the caller asks to update. An import
deletes nothing, except that an update moves a person from the reference group into an arm. Some changes are
refused, update or not: a BSN that already belongs to another person, and any change to an allocation (its arm,
its date): the lottery's allocations never change. A person allocated in the register whom a dataset lists
without an enrollment stays allocated. New enrollments are
registered as one imported draw in the experiment's hash chain. Questionnaire answers belong to the manifest's
experiment and are matched among its answers only: a person's answers in another experiment are never touched.
Every write is counted, and an import that wrote anything leaves one audit event with the counts.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction

from vertrouwen.core import privacy
from vertrouwen.core.dataset import Dataset, read_dataset
from vertrouwen.core.dataset.manifest import Manifest
from vertrouwen.core.formatting import dutch_number
from vertrouwen.web.audit.services import record
from vertrouwen.web.lottery.models import Draw
from vertrouwen.web.lottery.services import record_imported_allocation
from vertrouwen.web.refusals import Problem, Refused
from vertrouwen.web.registry import models as m
from vertrouwen.web.registry.mapping import (
    ARM_PARAMETERS,
    ENROLLMENT_TARGET,
    PERSON_RECORD_TARGETS,
    PERSON_TARGET,
    Target,
    attname,
)

BATCH_SIZE = 2000
CONFLICTS_SHOWN = 20


@dataclass
class TableCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Conflict:
    """A record in the dataset that differs from the register. Never carries a value of the BSN."""

    file: str
    key: str
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file}, {self.key}: {', '.join(self.fields)} wijkt af van de database"


@dataclass(frozen=True)
class Refusal:
    """A record no update may write: a BSN that belongs to another person, or a changed allocation."""

    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, {self.key}: {self.reason}"


class ImportRefused(Refused):
    """Records that do not fit the register: those no update may write (refusals) and those that differ
    (conflicts, which --update writes)."""

    def __init__(self, conflicts: list[Conflict], refusals: list[Refusal]):
        self.conflicts, self.refusals = conflicts, refusals
        super().__init__([Problem(str(p)) for p in (*refusals, *conflicts)])

    def message(self) -> str:
        shown = "\n".join(f"- {p}" for p in self.problems[:CONFLICTS_SHOWN])
        more = len(self.problems) - CONFLICTS_SHOWN
        tail = f"\n... en nog {more}" if more > 0 else ""
        advice = ("" if self.refusals else " Importeer met --update om ze bij te werken.")
        return (f"Import geweigerd: {len(self.problems)} records passen niet bij wat al in de database staat. "
                f"Er is niets geschreven.{advice}\n{shown}{tail}")


@dataclass(frozen=True)
class ImportResult:
    municipality: str
    experiment: str
    counts: dict[str, TableCount] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def summary(self) -> str:
        lines = [f"{self.municipality}, {self.experiment}:"]
        lines += [f"  {name}: {dutch_number(c.created)} nieuw, {dutch_number(c.updated)} bijgewerkt, "
                  f"{dutch_number(c.unchanged)} ongewijzigd" for name, c in self.counts.items()]
        return "\n".join(lines)


def import_dataset(folder: Path, *, actor, update: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Read, validate and import a dataset folder in one transaction; raises DatasetInvalid or ImportRefused.
    `progress(done, total)` hears of every table written."""
    dataset = read_dataset(folder)
    with transaction.atomic():
        importer = _Importer(dataset, update, actor, progress or (lambda done, total: None))
        result = importer.run()
        if importer.refusals or (importer.conflicts and not update):
            raise ImportRefused(importer.conflicts, importer.refusals)
        if result.changed:
            record(actor=actor, action="dataset.imported", object_type="experiment",
                   object_id=importer.experiment.pk,
                   details={"folder": Path(folder).name, "update": update,
                            "counts": {n: vars(c) for n, c in result.counts.items()},
                            "updated": [str(c) for c in importer.conflicts[:1000]]})
    return result


class _Importer:
    def __init__(self, dataset: Dataset, update: bool, actor, progress: Callable[[int, int], None]):
        self.dataset = dataset
        self.progress = progress
        self.actor = actor
        self.update = update
        self.conflicts: list[Conflict] = []
        self.refusals: list[Refusal] = []
        self.counts: dict[str, TableCount] = {"manifest.json": TableCount()}

    def run(self) -> ImportResult:
        manifest = self.dataset.manifest
        self.municipality = self._one("manifest.json", m.Municipality, {"code": manifest.municipality.code},
                                      {"name": manifest.municipality.name})
        self.experiment = self._experiment(manifest)
        self.arm_ids = self._arms(manifest)
        tables = 2 + len(PERSON_RECORD_TARGETS)
        self.person_ids = self._persons()
        self.progress(1, tables)
        self._enrollments()
        self.progress(2, tables)
        for done, target in enumerate(PERSON_RECORD_TARGETS, 3):
            rows = self._rows(target, {"person_id": self.person_ids})
            scope = {target.to_municipality: self.municipality}
            if target.to_experiment:  # the dataset's answers are its experiment's; another's stay untouched
                scope = {target.to_experiment: self.experiment}
                for row in rows:
                    row["experiment_id"] = self.experiment.pk
            self.counts[target.table.name] = self._sync(target, rows, scope)
            self.progress(done, tables)
        return ImportResult(self.municipality.name, self.experiment.name, self.counts)

    def _experiment(self, manifest: Manifest) -> m.Experiment:
        e = manifest.experiment
        return self._one("manifest.json", m.Experiment, {"municipality": self.municipality, "code": e.code},
                         {"name": e.name, "period_start": e.period_start, "period_end": e.period_end,
                          "count_date": e.count_date})

    def _arms(self, manifest: Manifest) -> dict[str, int]:
        if Draw.objects.filter(experiment=self.experiment).exists():
            self._keep_drawn_arms(manifest)
            if self.refusals:  # before any write that the database would refuse less clearly
                raise ImportRefused(self.conflicts, self.refusals)
        arms = {}
        for position, arm in enumerate(manifest.arms):
            values = {name: getattr(arm, name) for name in ARM_PARAMETERS} | {"position": position}
            arms[arm.code] = self._one("manifest.json", m.Arm, {"experiment": self.experiment, "code": arm.code},
                                       values).pk
        return arms

    def _keep_drawn_arms(self, manifest: Manifest) -> None:
        """After a draw the arms the lottery used stay as they were: no new arm, no other control or ratio."""
        drawn = {code: (is_control, ratio) for code, is_control, ratio in
                 m.Arm.objects.filter(experiment=self.experiment).values_list("code", "is_control", "allocation_ratio")}
        for arm in manifest.arms:
            if drawn.get(arm.code, (arm.is_control, arm.allocation_ratio)) != (arm.is_control, arm.allocation_ratio) \
                    or arm.code not in drawn:
                self.refusals.append(Refusal("manifest.json", f"groep {arm.code}",
                                             "er is al geloot: de groepen, de controlegroep en de verhouding bij de "
                                             "loting liggen vast"))

    def _one(self, file: str, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Create or check one configuration record (municipality, experiment, arm)."""
        count = self.counts["manifest.json"]
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            count.created += 1
            return model.objects.create(**lookup, **values)
        differing = tuple(k for k, v in values.items() if getattr(obj, k) != v)
        if not differing:
            count.unchanged += 1
            return obj
        key = ", ".join(f"{k} {getattr(v, 'code', v)}" for k, v in lookup.items())
        self.conflicts.append(Conflict(file, f"{model._meta.model_name} {key}", differing))
        if self.update:
            model.objects.filter(pk=obj.pk).update(**values)
            obj.refresh_from_db()
            count.updated += 1
        return obj

    def _persons(self) -> dict[str, int]:
        rows = self._rows(PERSON_TARGET, {})
        bsns = {row["external_id"]: row.pop("bsn") for row in rows}
        for row in rows:
            row["municipality_id"] = self.municipality.pk
        self.counts["persons"] = self._sync(PERSON_TARGET, rows, {"municipality": self.municipality})
        self._store_bsns(bsns)
        person_ids = dict(m.Person.objects.filter(municipality=self.municipality).values_list("external_id", "pk"))
        self.external_ids = {pk: ext for ext, pk in person_ids.items()}
        return person_ids

    def _store_bsns(self, bsns: dict[str, str | None]) -> None:
        """Store given BSNs encrypted. An empty BSN means "not given" and keeps what is stored."""
        stored = {ext: (pk, pseudonym) for ext, pk, pseudonym in m.Person.objects
                  .filter(municipality=self.municipality).values_list("external_id", "pk", "bsn_pseudonym")}
        holders = {pseudonym: ext for ext, (_, pseudonym) in stored.items() if pseudonym}
        count, to_store = TableCount(), []
        for external_id, bsn in bsns.items():
            if not bsn:
                continue
            pk, stored_pseudonym = stored[external_id]
            pseudonym = privacy.pseudonym(bsn, settings.PSEUDONYM_KEY)
            if pseudonym == stored_pseudonym:
                count.unchanged += 1
                continue
            if holders.get(pseudonym, external_id) != external_id:
                self.refusals.append(Refusal("persons.csv", f"person_id {external_id}",
                                             f"dit BSN hoort al bij person_id {holders[pseudonym]}"))
                continue
            if stored_pseudonym:
                self.conflicts.append(Conflict("persons.csv", f"person_id {external_id}", ("bsn",)))
                if not self.update:
                    continue
                count.updated += 1
            else:
                count.created += 1
            to_store.append(m.Person(pk=pk, bsn_pseudonym=pseudonym,
                                     bsn_encrypted=privacy.encrypt(bsn, settings.BSN_ENCRYPTION_KEY)))
        m.Person.objects.bulk_update(to_store, ["bsn_pseudonym", "bsn_encrypted"], batch_size=BATCH_SIZE)
        self.counts["bsn"] = count

    def _enrollments(self) -> None:
        # The experiment row is locked as a draw locks it, so no draw can come between reading and writing.
        m.Experiment.objects.select_for_update().filter(pk=self.experiment.pk).first()
        rows = self._rows(ENROLLMENT_TARGET, {"person_id": self.person_ids, "arm_id": self.arm_ids})
        for row in rows:
            row["experiment_id"] = self.experiment.pk
        enrolled = {person: (arm, on) for person, arm, on in m.Enrollment.objects.filter(experiment=self.experiment)
                    .values_list("person_id", "arm_id", "allocated_on")}
        rows = [row for row in rows if self._allocation_kept(row, enrolled)]
        self.counts["enrollments"] = self._sync(ENROLLMENT_TARGET, rows, {"experiment": self.experiment})
        record_imported_allocation(self.experiment, [
            (row["person_id"], self.external_ids[row["person_id"]], row["arm_id"], row["allocated_on"])
            for row in rows if row["person_id"] not in enrolled], actor=self.actor)
        in_dataset = {row["person_id"] for row in rows}
        reference = set(self.person_ids[p] for p in self.dataset.tables["persons"]["person_id"]) - in_dataset
        self.counts["referentiegroep"] = self._reference_group(reference - set(enrolled), in_dataset)

    def _allocation_kept(self, row: dict, enrolled: dict[int, tuple]) -> bool:
        """An allocation is never changed: an enrollment whose arm or allocation date differs from the one in the
        register refuses the import, update or not."""
        existing = enrolled.get(row["person_id"])
        if existing is None or existing == (row["arm_id"], row["allocated_on"]):
            return True
        self.refusals.append(Refusal("enrollments.csv", f"person_id {self.external_ids[row['person_id']]}",
                                     "de loting wees deze persoon al een groep toe; een toewijzing verandert nooit"))
        return False

    def _reference_group(self, reference: set[int], enrolled: set[int]) -> TableCount:
        """The persons without an enrollment, in the dataset and in the register, form the reference group. A
        person allocated in the register stays allocated when a dataset lists them without an enrollment (the
        municipality's own delivery does not know of draws made here)."""
        exp = self.experiment
        existing = set(m.ReferenceMember.objects.filter(experiment=exp).values_list("person_id", flat=True))
        moved_out = existing & enrolled
        names = dict(m.Person.objects.filter(pk__in=moved_out).values_list("pk", "external_id"))
        self.conflicts += [Conflict("enrollments.csv", f"person_id {names[p]}", ("deelname",))
                           for p in sorted(moved_out)]
        if self.update:
            m.ReferenceMember.objects.filter(experiment=exp, person_id__in=moved_out).delete()
        new = sorted(reference - existing)
        m.ReferenceMember.objects.bulk_create([m.ReferenceMember(experiment=exp, person_id=p) for p in new],
                                              batch_size=BATCH_SIZE)
        return TableCount(created=len(new), updated=len(moved_out) if self.update else 0,
                          unchanged=len(reference & existing))

    def _rows(self, target: Target, lookups: dict[str, dict]) -> list[dict]:
        """The table's rows as model attribute dicts, references replaced by primary keys."""
        frame = self.dataset.tables[target.table.name]
        names = {c: attname(target.table, c) for c in frame.columns}
        text = target.text_fields()
        rows = []
        for raw in frame.iter_rows(named=True):
            row = {names[c]: ("" if v is None and names[c] in text else v) for c, v in raw.items()}
            for column, ids in lookups.items():
                row[column] = ids[row[column]]
            rows.append(row)
        return rows

    def _sync(self, target: Target, rows: Iterable[dict], scope: dict) -> TableCount:
        """Create new records, count unchanged ones, and note (and with update, apply) differences."""
        model, key, values = target.model, target.key, target.values
        existing = {tuple(r[1:1 + len(key)]): (r[0], r[1 + len(key):])
                    for r in model.objects.filter(**scope).values_list("pk", *key, *values).iterator(2000)}
        count, new, changed = TableCount(), [], []
        for row in rows:
            row_key = tuple(row[k] for k in key)
            found = existing.get(row_key)
            if found is None:
                new.append(model(**row))
                continue
            differing = tuple(v for v, old in zip(values, found[1], strict=True) if row[v] != old)
            if not differing:
                count.unchanged += 1
                continue
            self.conflicts.append(Conflict(target.table.filename, self._describe(target, row_key), differing))
            changed.append(model(pk=found[0], **row))
        model.objects.bulk_create(new, batch_size=BATCH_SIZE)
        count.created = len(new)
        if self.update and changed:
            model.objects.bulk_update(changed, list(values), batch_size=BATCH_SIZE)
            count.updated = len(changed)
        return count

    def _describe(self, target: Target, row_key: tuple) -> str:
        """The record's natural key as the dataset writes it."""
        parts = []
        for column, value in zip(target.table.key, row_key, strict=True):
            if column == "person_id" and target is not PERSON_TARGET:
                value = self.external_ids[value]
            parts.append(f"{column} {value}")
        return ", ".join(parts)
