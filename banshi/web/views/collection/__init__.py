"""Staff pages of the collection records, one module per part."""
