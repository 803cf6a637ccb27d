"""The ledgers (台账) in the layouts district offices use, one .xlsx each: appeals by level
with 销号 marks, shared problems with their rectification, supervision visits with their
rectification items, study activities, and the practical-matters list. Each module has the
row query (scoped by the records' `visible_to`) and its sheets; book.py writes them."""

import datetime as dt
from types import ModuleType

from banshi.org.models import Unit

from . import appeals, matters, problems, study, supervision
from .book import write_book

MODULES: dict[str, ModuleType] = {m.KIND: m for m in (appeals, problems, supervision, study,
                                                       matters)}
KINDS = list(MODULES)


def ledger_bytes(kind: str, user, start: dt.date, end: dt.date, unit: Unit | None,
                 scope: str) -> bytes:
    """The ledger `kind` as .xlsx bytes, with what `user` may see of the period and scope."""
    return write_book(MODULES[kind].sheets(user, start, end, unit, scope))
