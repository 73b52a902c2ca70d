"""Experiment set-up: from a template or from scratch, with the power of the design before the lottery."""
