"""The effects the synthetic experiment has: per arm, relative to the control arm.

The defaults reproduce the Wageningen straight counts (exit to work 16.5% in the control arm, 22-26.5% in the
other arms, more re-entry after exit from the disregard arm) together with the population model in
`model.py`. `ArmEffects.null()` gives an experiment without any effect, for checking estimators and power.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from vertrouwen.core.dataset.manifest import Arm
from vertrouwen.core.designs import Design


def _frozen(mapping: Mapping[str, float]) -> MappingProxyType:
    return MappingProxyType({str(k): float(v) for k, v in mapping.items()})


@dataclass(frozen=True)
class ArmEffects:
    """Ratios per arm code relative to the control arm; an arm not named has ratio 1.0."""

    work_exit: Mapping[str, float] = field(default_factory=dict)  # hazard ratio, exit to work
    parttime: Mapping[str, float] = field(default_factory=dict)  # ratio on the monthly chance to start part-time work
    reentry: Mapping[str, float] = field(default_factory=dict)  # hazard ratio, re-entry after an exit to work
    wellbeing: Mapping[str, float] = field(default_factory=dict)  # questionnaire shift at wave 1, in SD
    # The "research effect": taking part at all (goals, plan, half-yearly reviews, questionnaires) changes the
    # control arm too. Ratios of the control arm against the reference group, other things equal.
    participation_work_exit: float = 1.0
    participation_parttime: float = 1.0

    def __post_init__(self) -> None:
        for name in ("work_exit", "parttime", "reentry", "wellbeing"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def work_exit_ratio(self, arm: str) -> float:
        return self.work_exit.get(arm, 1.0)

    def parttime_ratio(self, arm: str) -> float:
        return self.parttime.get(arm, 1.0)

    def reentry_ratio(self, arm: str) -> float:
        return self.reentry.get(arm, 1.0)

    def wellbeing_shift(self, arm: str) -> float:
        return self.wellbeing.get(arm, 0.0)

    def as_dict(self) -> dict:
        return {
            "work_exit": dict(self.work_exit),
            "parttime": dict(self.parttime),
            "reentry": dict(self.reentry),
            "wellbeing": dict(self.wellbeing),
            "participation_work_exit": self.participation_work_exit,
            "participation_parttime": self.participation_parttime,
        }

    @classmethod
    def null(cls) -> "ArmEffects":
        return cls()

    @classmethod
    def for_design(cls, design: Design) -> "ArmEffects":
        """Default effects, chosen per arm from what the arm does (exemption, intensive guidance, disregard)."""
        profiles = {arm.code: _profile(arm) for arm in design.arms}
        return cls(
            work_exit={code: p[0] for code, p in profiles.items()},
            parttime={code: p[1] for code, p in profiles.items()},
            reentry={code: p[2] for code, p in profiles.items()},
            wellbeing={code: p[3] for code, p in profiles.items()},
            participation_work_exit=PARTICIPATION_WORK_EXIT,
            participation_parttime=PARTICIPATION_PARTTIME,
        )


# Control arm against the reference group: Wageningen's control arm had 16.5% exit to work against 10.7%
# in the reference group; part of that is selection (see model.py), the rest this research effect.
PARTICIPATION_WORK_EXIT = 1.36
# Part-time earnings rose from about 10% to about 20% in the arms without the extra disregard.
PARTICIPATION_PARTTIME = 2.9

# Against the control arm: ratios for exit to work, part-time start and re-entry, and the shift in
# well-being at wave 1 (small, as the researchers found few effects beyond work).
_EXEMPTION = (1.8, 1.0, 1.0, 0.15)  # zelf in actie: 26.5% exit to work, little re-entry
_INTENSIVE = (1.75, 1.0, 0.7, 0.15)  # extra begeleiding: 25.5%, least re-entry
_DISREGARD = (1.3, 1.9, 3.6, 0.05)  # verdienen loont: 22%, 30-35% part-time earnings, much re-entry (16.5% net)
_JOB_BONUS_WORK_EXIT = 1.1
_CONTROL = (1.0, 1.0, 1.0, 0.0)


def _profile(arm: Arm) -> tuple[float, float, float, float]:
    if arm.is_control:
        return _CONTROL
    if arm.disregard_regime == "experiment":
        work, parttime, reentry, wellbeing = _DISREGARD
        return (work * (_JOB_BONUS_WORK_EXIT if arm.job_bonus_cents else 1.0), parttime, reentry, wellbeing)
    if arm.guidance_intensity == "intensief":
        return _INTENSIVE
    if arm.exempt_from_obligations:
        return _EXEMPTION
    return _CONTROL
