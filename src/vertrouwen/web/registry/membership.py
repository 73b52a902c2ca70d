"""Membership: the group whose rules apply to a person on a day. The rules of a group apply from the day the person
signs them up to the day before stopping (core/predicates.py rules_apply_on); when experiments overlap, the latest
to start wins. Read by the case manager's pages, the casework services and the monthly settlement alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vertrouwen.core import codes
from vertrouwen.web.registry.mapping import ARM_PARAMETERS
from vertrouwen.web.registry.models import Enrollment
from vertrouwen.web.registry.selectors import ArmInfo


@dataclass(frozen=True)
class Membership:
    arm: ArmInfo
    experiment_name: str
    experiment_end: date
    consented_on: date
    stopped_on: date | None
    stop_reason: str

    def stopped_by(self, day: date) -> bool:
        return self.stopped_on is not None and self.stopped_on <= day

    @property
    def stop_reason_label(self) -> str:
        return codes.STOP_REASONS.get(self.stop_reason, self.stop_reason)


_MEMBERSHIP_FIELDS = ("person_id", "consented_on", "stopped_on", "stop_reason", "experiment__name",
                      "experiment__period_end", "arm_id", "arm__position", "arm__code",
                      *(f"arm__{name}" for name in ARM_PARAMETERS))


def memberships_on(person_ids, day: date) -> dict[int, Membership]:
    """Per person (of a list or a queryset of ids), the membership on `day`; one query."""
    rows = (Enrollment.objects.filter(person_id__in=person_ids, consented_on__lte=day,
                                      experiment__period_start__lte=day, experiment__period_end__gte=day)
            .order_by("person_id", "experiment__period_start", "id").values(*_MEMBERSHIP_FIELDS))
    found = {}
    for row in rows:  # ordered so that the latest experiment to start wins
        arm = ArmInfo(id=row["arm_id"], position=row["arm__position"], code=row["arm__code"],
                      **{name: row[f"arm__{name}"] for name in ARM_PARAMETERS})
        found[row["person_id"]] = Membership(arm=arm, experiment_name=row["experiment__name"],
                                             experiment_end=row["experiment__period_end"],
                                             consented_on=row["consented_on"], stopped_on=row["stopped_on"],
                                             stop_reason=row["stop_reason"])
    return found


def arm_on(membership: Membership | None, day: date) -> ArmInfo | None:
    """The arm whose rules apply on `day`; None in the regular service (also after stopping)."""
    return None if membership is None or membership.stopped_by(day) else membership.arm


def rules_on(person_id: int, day: date) -> ArmInfo | None:
    """The arm whose rules apply to the person on `day`."""
    return arm_on(memberships_on([person_id], day).get(person_id), day)
