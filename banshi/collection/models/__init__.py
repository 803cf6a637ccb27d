from .base import Record, RecordQuerySet
from .boxes import BoxOpening, OpinionBox
from .events import RecordEvent, RecordEventQuerySet
from .groups import GroupMessage, OnlineGroup
from .liaisons import Liaison, LiaisonContact, LiaisonPairing
from .survey import AnswerAppeal, Distribution, Question, Questionnaire, Response
from .symposium import Symposium, SymposiumAttachment, SymposiumParticipant
from .visits import HouseholdVisit

__all__ = [
    "BoxOpening", "Distribution", "GroupMessage", "HouseholdVisit", "Liaison", "LiaisonContact",
    "LiaisonPairing", "OnlineGroup", "OpinionBox", "Question", "Questionnaire", "Record",
    "RecordQuerySet", "Response", "Symposium", "SymposiumAttachment", "SymposiumParticipant",
]
__all__ += ["AnswerAppeal"]
__all__ += ["RecordEvent", "RecordEventQuerySet"]
