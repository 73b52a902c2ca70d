"""Writes to the register. Each public function is one transaction and writes its own audit event."""

from vertrouwen.web.registry.services.exporting import ExportRefused, export_dataset
from vertrouwen.web.registry.services.importing import ImportRefused, ImportResult, import_dataset

__all__ = ["ExportRefused", "ImportRefused", "ImportResult", "export_dataset", "import_dataset"]
