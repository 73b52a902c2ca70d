"""The monitor of an experiment in the register: the register as a dataset in memory (person numbers, never a
BSN) through core.monitor, the same implementation as `vertrouwen monitor`, and its charts."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from vertrouwen.core import charts, codes
from vertrouwen.core.monitor import GOAL_KEYS, REFERENCE, Monitor, monitor
from vertrouwen.web.datasets.exporting import experiment_dataset
from vertrouwen.web.registry.models import Experiment


def _euros(series: dict) -> dict:
    return {group: [None if v is None else v / 100 for v in values] for group, values in series.items()}


@dataclass(frozen=True)
class Chart:
    key: str
    svg: str
    months: list[str]
    rows: list[tuple[str, list]]  # the numbers behind the chart: (group, values per month)
    share: bool


@dataclass(frozen=True)
class MonitorPage:
    monitor: Monitor
    charts: list[Chart]
    highest_goal_svg: str


def monitor_page(experiment: Experiment, as_of: date | None) -> MonitorPage:
    result = monitor(experiment_dataset(experiment), as_of=as_of)
    names = {**result.arm_names, REFERENCE: _("No participation")}
    months = result.monthly["months"]

    def chart(key: str, series: dict, title: str, y_title: str, share: bool = True) -> Chart:
        named = {names[g]: values for g, values in series.items()}
        spec = charts.monthly_lines_spec(months, named, title=title, y_title=y_title,
                                         reference=names[REFERENCE] if REFERENCE in series else None, share=share)
        return Chart(key, charts.to_svg(spec), months, list(named.items()), share)

    monthly = result.monthly
    made = [
        chart("exit-gross", monthly["exit_to_work"]["gross"], _("Cumulative first exit to work"), _("Share")),
        chart("exit-net", monthly["exit_to_work"]["net"], _("Exit to work, net of re-entry"), _("Share")),
        chart("earnings", monthly["offset_earnings"]["share"], _("Share with offset part-time earnings"),
              _("Share of those on benefit")),
        chart("earnings-mean", _euros(monthly["offset_earnings"]["mean_cents"]),
              _("Mean offset earnings of those with earnings"), _("Euro a month"), share=False),
        chart("earnings-total", _euros(monthly["offset_earnings"]["total_cents"]), _("Total offset earnings"),
              _("Euro"), share=False),
        chart("contacts", monthly["contacts_per_participant"], _("Contacts per participant per month"),
              _("Contacts"), share=False),
    ]
    goal_labels = [codes.GOALS[g] for g in codes.GOALS]
    bars = charts.grouped_bars_spec(goal_labels, {result.arm_names[a]: [result.highest_goal[a][GOAL_KEYS[g]]
                                                                        for g in codes.GOALS] for a in result.arms},
                                    title=_("Highest attainable goal at the baseline"), y_title=_("Participants"))
    return MonitorPage(result, made, charts.to_svg(bars))
