"""Actions on collection records, one module per kind of record (import from the modules)."""
