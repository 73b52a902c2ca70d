import pytest

from vertrouwen.core.simulation import generate_tables

# Several independent replications of size S, pooled in the calibration tests to reduce sampling noise.
CALIBRATION_SEEDS = tuple(range(1, 11))


@pytest.fixture(scope="session")
def small():
    """Size S with the default seed: (manifest, tables)."""
    return generate_tables("S")


@pytest.fixture(scope="session")
def replications():
    return [generate_tables("S", seed=seed) for seed in CALIBRATION_SEEDS]
