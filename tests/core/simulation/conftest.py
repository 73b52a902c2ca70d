import pytest

from vertrouwen.core.simulation import generate_tables

# Several independent replications of size S, pooled in the calibration tests to reduce sampling noise. Ten give
# 8,000 participants and 8,000 reference persons (about 1,900 per arm): three standard errors of a 20% share are
# then about 1.3 points for the whole group and 2.7 points for one arm, small enough to catch a calibration error
# of a few points against the Wageningen figures, while the whole set still generates in a few seconds.
CALIBRATION_SEEDS = tuple(range(1, 11))


@pytest.fixture(scope="session")
def small():
    """Size S with the default seed (2017): (manifest, tables)."""
    return generate_tables("S")


@pytest.fixture(scope="session")
def replications():
    return [generate_tables("S", seed=seed) for seed in CALIBRATION_SEEDS]
