"""Triage: text classification, routing, duplicates and shared-problem detection.

Pure Python (no Django import), so it can be trained, evaluated and benchmarked on a file
from the command line and used by a worker process. Deterministic given a seed.
"""
