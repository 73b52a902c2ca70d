"""Dataset folders in and out of the register (docs/dataset-format.md): the import, all or nothing and idempotent,
which also registers the allocations it brings as imported draws, and the export, which never holds a BSN. A room
above the register and the lottery, used by the evaluation, the reports, the demo and the command line."""

from vertrouwen.web.datasets.exporting import ExportRefused, experiment_dataset, export_dataset
from vertrouwen.web.datasets.importing import ImportRefused, ImportResult, import_dataset

__all__ = ["ExportRefused", "ImportRefused", "ImportResult", "experiment_dataset", "export_dataset", "import_dataset"]
