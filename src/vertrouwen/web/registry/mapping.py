"""How each dataset table maps onto a register model.

Dataset columns and model attributes share their names, except that references are stored as keys:
person_id holds the Person's primary key (its attname), arm the Arm's, and a person's own person_id is
Person.external_id. Empty text is stored as "" where the model has no NULL.
"""

from dataclasses import dataclass

from django.db import models

from vertrouwen.core.dataset import schema
from vertrouwen.core.dataset.manifest import Arm
from vertrouwen.web.registry import models as m


@dataclass(frozen=True)
class Target:
    table: schema.Table
    model: type[models.Model]
    to_municipality: str  # lookup path from the model to its Municipality
    # Lookup path to the Experiment a record belongs to, whose dataset alone holds it; None for a record about
    # the person that every experiment of the person shares.
    to_experiment: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The dataset columns stored in the model: the key first, then the values; never the bsn."""
        key = self.table.key
        return key + tuple(c for c in self.table.column_names if c not in key and c != "bsn")

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(attname(self.table, c) for c in self.table.key)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(attname(self.table, c) for c in self.columns[len(self.table.key):])

    def text_fields(self) -> frozenset[str]:
        """Attributes stored as '' rather than NULL when empty."""
        return frozenset(f.attname for f in self.model._meta.concrete_fields
                         if isinstance(f, models.CharField | models.TextField) and not f.null)


# Arm parameters as the manifest names them; the Arm model has a field of the same name for each.
ARM_PARAMETERS = tuple(name for name in Arm.__dataclass_fields__ if name != "code")


def attname(table: schema.Table, column: str) -> str:
    if table is schema.PERSONS and column == "person_id":
        return "external_id"
    return {"arm": "arm_id"}.get(column, column)


PERSON_TARGET = Target(schema.PERSONS, m.Person, "municipality")
ENROLLMENT_TARGET = Target(schema.ENROLLMENTS, m.Enrollment, "experiment__municipality")
# Tables of records about a person, in the order they are written.
PERSON_RECORD_TARGETS = (
    Target(schema.BENEFIT_SPELLS, m.BenefitSpell, "person__municipality"),
    Target(schema.GOALS, m.Goal, "person__municipality"),
    Target(schema.ASSESSMENTS, m.Assessment, "person__municipality"),
    Target(schema.EARNINGS, m.MonthlyEarnings, "person__municipality"),
    Target(schema.CONTACTS, m.Contact, "person__municipality"),
    Target(schema.SURVEY_RESPONSES, m.SurveyResponse, "person__municipality", to_experiment="experiment"),
)
