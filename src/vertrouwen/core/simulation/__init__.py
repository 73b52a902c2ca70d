"""A synthetic municipality: seeded, deterministic datasets in the canonical format, from XS to national size.

    from vertrouwen.core.simulation import generate
    dataset = generate("S", seed=2017)  # Voorbeeldstad running the Wageningen design

See generator.py for the entry points, model.py for every number of the population and hazard model, and
effects.py for the effects of the arms.
"""

from vertrouwen.core.simulation.effects import ArmEffects
from vertrouwen.core.simulation.generator import (
    GENERATOR,
    GENERATOR_VERSION,
    VOORBEELDSTAD,
    generate,
    generate_tables,
)
from vertrouwen.core.simulation.sizes import SIZES, Size

__all__ = [
    "GENERATOR",
    "GENERATOR_VERSION",
    "SIZES",
    "VOORBEELDSTAD",
    "ArmEffects",
    "Size",
    "generate",
    "generate_tables",
]
