"""The appeals part's tables: appeals and their events, taxonomy, problems, triage records, the
statutory calendar."""

from .appeal import (
    Appeal,
    AppealEvent,
    AppealQuerySet,
    Aspect,
    Attachment,
    Category,
    DailyCounter,
    DeadlinePolicy,
    ExtensionRequest,
    Supervision,
    hash_query_code,
    photo_path,
)
from .calendar import HolidayNotice, StatutoryDay
from .history import HistoricalLoad
from .problem import Milestone, Problem, ProblemEvent, ProblemSupervision
from .triage import AutoDispatchRule, RoutingRule, TriageModelVersion

__all__ = [
    "Appeal", "AppealEvent", "AppealQuerySet", "Aspect", "Attachment", "AutoDispatchRule",
    "Category", "DailyCounter", "DeadlinePolicy", "ExtensionRequest", "HistoricalLoad",
    "HolidayNotice", "Milestone", "Problem", "ProblemEvent", "ProblemSupervision", "RoutingRule",
    "StatutoryDay", "Supervision", "TriageModelVersion", "hash_query_code", "photo_path",
]
