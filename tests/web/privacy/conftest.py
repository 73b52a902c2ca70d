"""The register of purge_register.py as a fixture."""

import pytest
from purge_register import Register, build_register


@pytest.fixture
def register(db, tmp_path) -> Register:
    return build_register(tmp_path)
