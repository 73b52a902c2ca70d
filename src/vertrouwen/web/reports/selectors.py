"""A report of an experiment in the register: the register as a dataset in memory (person numbers, never a BSN)
through core.reports, the same implementation as `vertrouwen report`, with the stories whose tellers consented."""

from datetime import date

from vertrouwen.core.formatting import long_date
from vertrouwen.core.reports import Report, build_report
from vertrouwen.web.casework.models import Story
from vertrouwen.web.datasets.exporting import experiment_dataset
from vertrouwen.web.evaluation.selectors import evaluation_date, evaluation_settings
from vertrouwen.web.evaluation.services import evaluation_now
from vertrouwen.web.registry.models import Experiment


def publishable_stories(experiment: Experiment) -> tuple[tuple[str, str], ...]:
    """Stories of the experiment's participants, told during the experiment (someone may take part in a later one
    too), with consent that was not withdrawn; named by month only, so that no story points at its teller."""
    stories = Story.objects.filter(person__enrollments__experiment=experiment, consent_withdrawn_on__isnull=True,
                                   told_on__range=(experiment.period_start, experiment.period_end))
    return tuple((f"Verteld in {long_date(s.told_on).split(' ', 1)[1]}", s.text) for s in stories.distinct())


def experiment_report(experiment: Experiment, kind: str, today: date) -> Report:
    """The report with the researcher's evaluation of the same data at the same date: stored, or computed now."""
    on = evaluation_date(experiment, today)
    return build_report(experiment_dataset(experiment), kind, stories=publishable_stories(experiment),
                        settings=evaluation_settings(experiment, on), evaluation=evaluation_now(experiment, on))
