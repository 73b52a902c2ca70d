"""vertrouwen: run a randomized trust experiment in social assistance and show the evidence."""

__version__ = "0.1.0"
