"""Writing an experiment's set-up: from a template or from scratch, and changing it until the first draw.

The rules every design keeps: at least two groups, exactly one control group, and, when a group has the
decree's extra disregard (which only the Tijdelijk besluit experimenten Participatiewet allows), at most two
combination groups. The decree's two years are not enforced: its amendments let experiments such as
Wageningen's run to the end of 2019.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.db import transaction

from vertrouwen.core.dataset.manifest import Arm as ArmSpec
from vertrouwen.core.designs import DECREE_MAX_COMBINATION_GROUPS, DESIGNS, Design
from vertrouwen.core.power import diagnose
from vertrouwen.core.rules.policy import decree_problem
from vertrouwen.web import jobs
from vertrouwen.web.audit.actor import Actor
from vertrouwen.web.audit.services import record
from vertrouwen.web.design.models import DesignDiagnosis
from vertrouwen.web.jobs import Progress
from vertrouwen.web.lottery.models import Draw
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry.mapping import ARM_PARAMETERS
from vertrouwen.web.registry.models import Arm, Experiment, Municipality

DIAGNOSIS_REPLICATIONS = 200
PROGRESS_EVERY = 10  # replications between progress updates

# What the lottery depends on: fixed once the first draw is made.
# What a draw used, or what its hash chain names (the code): fixed once there is a draw (lottery/0003's triggers).
LOTTERY_FIELDS = frozenset({"code", "min_age", "max_age", "requires_benefit", "lottery_order"})
ARM_FIELDS = ("code", *ARM_PARAMETERS)  # an arm as the set-up form edits it


def arm_values(arm) -> dict:
    """An arm's fields (of a model, or of a core Arm) as a plain dict."""
    return {name: getattr(arm, name) for name in ARM_FIELDS}


class SetupRefused(Refused):
    """The experiment was not set up; every problem names its field or arm."""


def template_values(design: Design) -> tuple[dict, list[dict]]:
    """The experiment's fields and its arms' fields as a template gives them, to fill the set-up form."""
    experiment = {"code": design.experiment_code, "name": design.name, "period_start": design.period_start,
                  "period_end": design.period_end, "count_date": design.count_date, "min_age": design.min_age,
                  "max_age": design.max_age, "requires_benefit": True, "lottery_order": design.lottery_order,
                  "template": design.code}
    arms = [arm_values(arm) for arm in design.arms]
    return experiment, arms


def templates() -> list[Design]:
    return list(DESIGNS.values())


def create_experiment(municipality: Municipality, values: dict, arms: list[dict], *, actor) -> Experiment:
    problems = design_problems(values, arms)
    if problems:
        raise SetupRefused(problems)
    with transaction.atomic():
        experiment = Experiment.objects.create(municipality=municipality, **values)
        _save_arms(experiment, arms)
        record(actor=actor, action="experiment.created", object_type="experiment", object_id=experiment.pk,
               details={"code": experiment.code, "template": experiment.template,
                        "arms": [arm["code"] for arm in arms]})
    return experiment


def update_experiment(experiment_id: int, values: dict, arms: list[dict] | None, *, actor) -> Experiment:
    """Change the set-up. After the first draw the groups and what decides who is drawn stay as they were."""
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().get(pk=experiment_id)
        drawn = Draw.objects.filter(experiment=experiment).exists()
        current_arms = [arm_values(arm) for arm in experiment.arms.order_by("position", "id")]
        changed = sorted(name for name, value in values.items() if getattr(experiment, name) != value)
        arms_changed = arms is not None and arms != current_arms
        if drawn and (arms_changed or LOTTERY_FIELDS & set(changed)):
            raise SetupRefused(["er is al geloot: de code van het experiment, de groepen, de leeftijdsgrenzen, de "
                                "eis van een uitkering en de volgorde van loting en toestemming liggen vast"])
        problems = design_problems({**_values_of(experiment), **values}, arms if arms is not None else current_arms)
        if problems:
            raise SetupRefused(problems)
        for name, value in values.items():
            setattr(experiment, name, value)
        experiment.save()
        if arms_changed:
            experiment.arms.all().delete()
            _save_arms(experiment, arms)
        if changed or arms_changed:
            record(actor=actor, action="experiment.changed", object_type="experiment", object_id=experiment.pk,
                   details={"fields": changed, "arms": [a["code"] for a in arms] if arms_changed else None})
    return experiment


def _values_of(experiment: Experiment) -> dict:
    return {"period_start": experiment.period_start, "period_end": experiment.period_end,
            "count_date": experiment.count_date, "min_age": experiment.min_age, "max_age": experiment.max_age}


def _save_arms(experiment: Experiment, arms: list[dict]) -> None:
    for position, arm in enumerate(arms):
        Arm.objects.create(experiment=experiment, position=position, **arm)


def design_problems(values: dict, arms: list[dict]) -> list[str]:
    """What makes a design unusable, in Dutch; empty when it can be saved."""
    problems = []
    start, end, count = values["period_start"], values["period_end"], values["count_date"]
    if end < start:
        problems.append("het einde van de periode ligt vóór het begin")
    elif not start <= count <= end:
        problems.append("de teldatum ligt niet binnen de periode")
    if values["max_age"] < values["min_age"]:
        problems.append("de maximumleeftijd ligt onder de minimumleeftijd")
    if len(arms) < 2:
        problems.append("een experiment heeft ten minste twee groepen: een controlegroep en een experimentgroep")
    controls = sum(1 for arm in arms if arm["is_control"])
    if controls != 1:
        problems.append(f"precies één groep is de controlegroep (nu {controls})")
    codes = [arm["code"] for arm in arms]
    if len(set(codes)) != len(codes):
        problems.append("elke groep heeft een eigen code")
    combinations = [arm["name"] for arm in arms if _is_combination(arm)]
    decree = any(arm["disregard_regime"] == "experiment" for arm in arms)
    if decree and end >= start and (outside := decree_problem(start, end)):
        problems.append(outside)
    if decree and len(combinations) > DECREE_MAX_COMBINATION_GROUPS:
        problems.append(f"extra vrijlating kan alleen onder het Tijdelijk besluit, en dat staat ten hoogste "
                        f"{DECREE_MAX_COMBINATION_GROUPS} combinatiegroepen toe ({', '.join(combinations)})")
    return problems


def _is_combination(arm: dict) -> bool:
    """A group that combines two or more of the decree's treatments."""
    treatments = (arm["exempt_from_obligations"], arm["guidance_intensity"] == "intensief",
                  arm["disregard_regime"] == "experiment")
    return sum(treatments) >= 2


# --- the simulation-based design diagnosis, in the background ---------------------------------------------


def request_diagnosis(experiment_id: int, n_per_arm: int, *, actor, replications: int | None = None
                      ) -> DesignDiagnosis:
    """Queue a diagnosis of the experiment's design as set up; the worker runs it (design.tasks). One at a time
    per user: each is minutes of the worker's time."""
    from vertrouwen.web.design.tasks import run_diagnosis as task

    with transaction.atomic():
        user_id = Actor.of(actor).user_id
        if user_id is not None and DesignDiagnosis.objects.filter(
                requested_by_id=user_id, status__in=(DesignDiagnosis.Status.QUEUED,
                                                     DesignDiagnosis.Status.RUNNING)).exists():
            raise SetupRefused(["er loopt al een simulatie die je vroeg; start de volgende als die klaar is"])
        diagnosis = _new_diagnosis(Experiment.objects.get(pk=experiment_id), n_per_arm, actor, replications)
        transaction.on_commit(lambda: task.enqueue(diagnosis.pk))
    return diagnosis


def request_diagnosis_now(experiment: Experiment, n_per_arm: int, *, actor) -> int:
    """A diagnosis row for the demo, which runs it in its own process right away (run_diagnosis)."""
    with transaction.atomic():
        return _new_diagnosis(experiment, n_per_arm, actor, None).pk


def _new_diagnosis(experiment: Experiment, n_per_arm: int, actor, replications: int | None) -> DesignDiagnosis:
    replications = replications or DIAGNOSIS_REPLICATIONS
    diagnosis = DesignDiagnosis.objects.create(
        experiment=experiment, requested_by_id=Actor.of(actor).user_id, n_per_arm=n_per_arm,
        replications=replications, seed=secrets.randbits(31))
    record(actor=actor, action="design.diagnosis_requested", object_type="experiment", object_id=experiment.pk,
           details={"diagnosis": diagnosis.pk, "n_per_arm": n_per_arm, "replications": replications,
                    "seed": diagnosis.seed})
    return diagnosis


def run_diagnosis(diagnosis_id: int, progress: Callable[[int, int], None] | None = None) -> None:
    """Run a queued diagnosis, writing its progress as it goes (and telling `progress`, where given); a failure is
    kept with its reason."""
    diagnosis = DesignDiagnosis.objects.select_related("experiment").get(pk=diagnosis_id)

    def work(written: Progress) -> dict:
        def told(done: int, total: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                written(done, total)
                if progress:
                    progress(done, total)

        result = diagnose(design_of(diagnosis.experiment), diagnosis.n_per_arm,
                          replications=diagnosis.replications, seed=diagnosis.seed,
                          alpha=float(diagnosis.experiment.planned_alpha), progress=told)
        return {"result": result.as_dict(), "done": diagnosis.replications, "total": diagnosis.replications}

    jobs.carry_out(DesignDiagnosis, diagnosis_id, work)


def design_of(experiment: Experiment) -> Design:
    """The experiment as a core Design, for the synthetic generator."""
    arms = tuple(ArmSpec(**arm_values(arm)) for arm in experiment.arms.order_by("position", "id"))
    return Design(code=experiment.template or experiment.code, experiment_code=experiment.code,
                  name=experiment.name, description="", period_start=experiment.period_start,
                  period_end=experiment.period_end, count_date=experiment.count_date, arms=arms,
                  source="", lottery_order=experiment.lottery_order, min_age=experiment.min_age,
                  max_age=experiment.max_age)
