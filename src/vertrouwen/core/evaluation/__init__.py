"""The randomized evaluation (DESIGN.md section 7): results as values, computed from a dataset without a
database. docs/evaluation.md defines every outcome and method."""

from vertrouwen.core.evaluation.evaluate import Contrast, Evaluation, evaluate
from vertrouwen.core.evaluation.results import METHODS, TIDY_COLUMNS, Estimate

__all__ = ["METHODS", "TIDY_COLUMNS", "Contrast", "Estimate", "Evaluation", "evaluate"]
