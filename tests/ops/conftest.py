"""Shared by the fault and backup tests: one synthetic municipality of size S, and databases made from it once per
session (migrating takes longer than anything the tests do with them)."""

from pathlib import Path

import pytest
from scratch import Scratch, run_ok

from vertrouwen.cli import main

SEED = 2017


@pytest.fixture(scope="session")
def ops_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ops-home")


@pytest.fixture(scope="session")
def dataset_s(tmp_path_factory) -> Path:
    """Size S (simulation.sizes): 1,600 persons, 800 drawn into the arms, about 54,000 rows in all."""
    folder = tmp_path_factory.mktemp("ops-data") / "voorbeeldstad-s"
    assert main(["generate", str(folder), "--size", "S", "--seed", str(SEED)]) == 0
    return folder


@pytest.fixture(scope="session")
def migrated(tmp_path_factory, ops_home):
    """An empty, fully migrated database to copy from."""
    database = Scratch.new(tmp_path_factory.mktemp("ops-db"), "migrated")
    run_ok(database, ops_home, "manage", "migrate", "--verbosity", "0", "--skip-checks")
    yield database
    database.drop()


@pytest.fixture(scope="session")
def imported(migrated, dataset_s, tmp_path_factory, ops_home):
    """The migrated database with dataset S imported (its draw and allocations included)."""
    database = migrated.copy(tmp_path_factory.mktemp("ops-db"), "imported")
    run_ok(database, ops_home, "import", str(dataset_s))
    yield database
    database.drop()
