"""The collection records' actions, one module per part (import from the submodules)."""
