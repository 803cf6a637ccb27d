"""Pages of the collection records (issue 8), one module per kind of record."""
