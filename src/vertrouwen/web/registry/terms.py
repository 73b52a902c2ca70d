"""How long an experiment's personal data are kept (docs/verwerkingsregister.md): the term the purge
(web/retention.py) and the admin both read."""

from datetime import date, timedelta

from django.conf import settings

from vertrouwen.core.months import add_months
from vertrouwen.web.registry.models import Experiment


def retention_months(experiment: Experiment) -> int:
    """The experiment's own term, or the installation's (VERTROUWEN_RETENTION_MONTHS)."""
    return settings.RETENTION_MONTHS if experiment.retention_months is None else experiment.retention_months


def purgeable_from(experiment: Experiment) -> date:
    """The first day the experiment's personal data may be erased: the day after its end plus the term."""
    return add_months(experiment.period_end, retention_months(experiment)) + timedelta(days=1)
