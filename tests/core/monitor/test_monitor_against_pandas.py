"""The monitor against an independent implementation: the straightforward pandas version a municipal analyst
would write (benchmarks/monitor_pandas.py), on a synthetic municipality and on the hand-built edge cases. Every
number both compute must be equal (shares to 1e-12)."""

import math

import pytest
from benchmarks.monitor_pandas import monitor_pandas

from vertrouwen.core import codes
from vertrouwen.core.dataset import read_dataset
from vertrouwen.core.monitor import GOAL_KEYS, monitor
from vertrouwen.core.simulation import generate

from .edges import write_edges


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, abs_tol=1e-12)


@pytest.fixture(params=["synthetic", "edges"])
def dataset(request, tmp_path):
    if request.param == "synthetic":
        return generate(size="XS", seed=11)
    return read_dataset(write_edges(tmp_path / "randen"))


def test_the_monitor_and_the_analysts_pandas_agree(dataset):
    ours, theirs = monitor(dataset), monitor_pandas(dataset)
    for arm in ours.arms:
        assert ours.participants[arm] == theirs["participants"][arm]
        goals = ours.goals_baseline[arm]
        assert goals["with_goal"] == theirs["goals_baseline"][arm]["with_goal"]
        assert all(goals[GOAL_KEYS[g]] == theirs["goals_baseline"][arm][g] for g in codes.GOALS)
    for group, cells in theirs["exit_to_work"].items():
        assert ours.exit_to_work[group] == cells
    for series, ours_series in (("gross", ours.monthly["exit_to_work"]["gross"]),
                                ("net", ours.monthly["exit_to_work"]["net"]),
                                ("share", ours.monthly["offset_earnings"]["share"])):
        for group, values in theirs["monthly"][series].items():
            assert len(values) == len(ours_series[group])
            assert all(same(a, b) for a, b in zip(ours_series[group], values, strict=True)), (series, group)
