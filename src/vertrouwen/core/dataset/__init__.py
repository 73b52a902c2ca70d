"""The canonical dataset format: a folder with manifest.json and one CSV file per table.

schema.py defines the format; this package reads, validates and writes it. docs/dataset-format.md describes
it for the people who deliver and use the data.
"""

from vertrouwen.core.dataset.reading import Dataset, read_dataset, validate_dataset
from vertrouwen.core.dataset.schema import empty_frame, polars_dtype, table_schema
from vertrouwen.core.dataset.validation import DatasetInvalid, Problem
from vertrouwen.core.dataset.writing import write_dataset

__all__ = [
    "Dataset",
    "DatasetInvalid",
    "Problem",
    "empty_frame",
    "polars_dtype",
    "read_dataset",
    "table_schema",
    "validate_dataset",
    "write_dataset",
]
