"""The randomized evaluation (DESIGN.md section 7): results as values, computed from a dataset without a
database. docs/evaluation.md defines every outcome and method."""

from vertrouwen.core.evaluation.evaluate import Contrast, Evaluation, evaluate, evaluate_with
from vertrouwen.core.evaluation.results import METHODS, TIDY_COLUMNS, Estimate
from vertrouwen.core.evaluation.settings import EvaluationSettings, settings_for_dataset

__all__ = ["METHODS", "TIDY_COLUMNS", "Contrast", "Estimate", "Evaluation", "EvaluationSettings", "evaluate",
           "evaluate_with", "settings_for_dataset"]
