"""The ledger (台账): Excel export of appeals and the import of appeals from spreadsheets."""

from .export import HEADERS, write_ledger
from .importer import ImportReport, RowError, import_appeals

__all__ = ["HEADERS", "ImportReport", "RowError", "import_appeals", "write_ledger"]
