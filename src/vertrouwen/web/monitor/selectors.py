"""The monitor of an experiment in the register: the register as a dataset in memory (person numbers, never a
BSN) through core.monitor, the same implementation as `vertrouwen monitor`, and its tables and charts from the
catalogue, as the reports show them."""

from dataclasses import dataclass
from datetime import date

from vertrouwen.core.catalogue import Chart, Table
from vertrouwen.core.catalogue import monitor as catalogue
from vertrouwen.core.monitor import Monitor, monitor
from vertrouwen.web.datasets.exporting import experiment_dataset
from vertrouwen.web.registry.models import Experiment


@dataclass(frozen=True)
class MonitorPage:
    monitor: Monitor
    participants: Table
    goals: Table
    highest_goal: Chart
    exit_to_work: Table
    charts: list[Chart]
    response: Table | None


def monitor_page(experiment: Experiment, as_of: date | None) -> MonitorPage:
    result = monitor(experiment_dataset(experiment), as_of=as_of)
    return MonitorPage(result, catalogue.participants_table(result), catalogue.goals_table(result),
                       catalogue.highest_goal_chart(result), catalogue.exit_table(result),
                       list(catalogue.monthly_charts(result).values()), catalogue.response_table(result))
