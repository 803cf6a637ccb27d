"""The ledgers (台账) page and downloads, for the access matrix's completeness check; checked
role by role in tests/test_reports_ledgers_access.py (and their content per role in
tests/test_reports_ledgers.py)."""

# URL name -> what it is: "page" (every campaign user: district roles and unit staff; each
# ledger then holds only what the user may see)
WEB: dict[str, str] = {
    "reports-ledgers": "page",
    "reports-ledger-appeals": "page",
    "reports-ledger-problems": "page",
    "reports-ledger-supervision": "page",
    "reports-ledger-study": "page",
    "reports-ledger-matters": "page",
}
API: dict[tuple[str, str], str] = {}
