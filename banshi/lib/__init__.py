"""Libraries without Django (like healthchecks' hc/lib): usable from triage, scripts and apps.

Nothing under banshi.lib imports Django; tests/test_spreadsheet.py checks it.
"""
