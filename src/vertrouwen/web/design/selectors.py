"""Reading an experiment's set-up: its groups, and the power of its design before the lottery."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from vertrouwen.core import charts
from vertrouwen.core.power.analytic import PowerAnalysis, analyse_design
from vertrouwen.web.design.models import DesignDiagnosis
from vertrouwen.web.registry.models import Arm, Experiment

PLANNED_EFFECTS = (0.05, 0.10, 0.15)  # increases in exit to work, in proportion units, shown in the table


@dataclass(frozen=True)
class DesignPower:
    """The power analysis of an experiment as set up, or why there is none."""

    analysis: PowerAnalysis | None
    n_control: int
    n_per_arm: int  # the smallest treatment arm, so the figures hold for every arm
    treatment_arms: int
    chart_svg: str = ""
    problem: str = ""


def arm_sizes(planned: int, ratios: list[tuple[bool, int]]) -> tuple[int, int, int]:
    """(control size, smallest treatment arm size, number of treatment arms) when `planned` persons are divided
    over the arms by their allocation ratios; ratios: (is_control, ratio) per arm."""
    total = sum(ratio for _, ratio in ratios)
    control = sum(planned * ratio // total for is_control, ratio in ratios if is_control)
    treated = [planned * ratio // total for is_control, ratio in ratios if not is_control]
    return control, min(treated, default=0), len(treated)


def design_power(experiment: Experiment) -> DesignPower:
    ratios = list(Arm.objects.filter(experiment=experiment).values_list("is_control", "allocation_ratio"))
    n_control, n_per_arm, arms = arm_sizes(experiment.planned_participants, ratios)
    if arms == 0 or n_control < 2 or n_per_arm < 2:
        return DesignPower(None, n_control, n_per_arm, arms,
                           problem=_("Too few expected participants per group for a power calculation."))
    baseline = float(experiment.planned_baseline)
    effects = [e for e in PLANNED_EFFECTS if baseline + e < 1]  # an effect that would take the share past 100%
    try:
        analysis = analyse_design(baseline, n_per_arm, arms, n_control=n_control,
                                  alpha=float(experiment.planned_alpha), power=float(experiment.planned_power),
                                  effects=effects)
    except ValueError:  # no increase reaches the power below a share of 100%
        return DesignPower(None, n_control, n_per_arm, arms,
                           problem=_("With this expected exit to work no increase can be detected with the desired "
                                     "power."))
    spec = charts.power_curve_spec(analysis.curve(), target_power=analysis.power, labels={
        "title": _("Power by the true effect"),
        "effect": _("Increase in exit to work (percentage points)"),
        "power": _("Power"),
        "per_arm": _("Each group against the control group"),
        "pooled": _("Groups together against the control group"),
        "target": _("desired power"),
    })
    return DesignPower(analysis, n_control, n_per_arm, arms, chart_svg=charts.to_svg(spec))


def latest_diagnosis(experiment: Experiment) -> DesignDiagnosis | None:
    return DesignDiagnosis.objects.filter(experiment=experiment).order_by("-requested_at", "-id").first()


def diagnosis_rows(diagnosis: DesignDiagnosis | None) -> list[dict]:
    """The comparisons of a finished diagnosis, each with the arm's name (the pooled row has none)."""
    if diagnosis is None or not diagnosis.result:
        return []
    names = dict(Arm.objects.filter(experiment_id=diagnosis.experiment_id).values_list("code", "name"))
    return [{**row, "name": names.get(row["comparison"], "")} for row in diagnosis.result["comparisons"]]
