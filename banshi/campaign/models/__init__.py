from .campaign import Campaign, campaign_start
from .exemplars import (
    GoodPractice,
    Nomination,
    Objection,
    PanelScore,
    Selection,
    SelectionRound,
    Vote,
)
from .meetings import Decision, Meeting
from .organisation import OrgGroup, OrgMember
from .study import Speaker, StudyActivity, StudyFile, StudySignIn, Venue
from .supervision import GuidanceGroup, GuidanceMember, GuidanceVisit, Rectification
from .tasks import MatterProgress, PracticalMatter, Task, TaskAssignment, TaskReport

__all__ = [
    "Campaign", "Decision", "GoodPractice", "GuidanceGroup", "GuidanceMember", "GuidanceVisit",
    "MatterProgress", "Meeting", "Nomination", "Objection", "OrgGroup", "OrgMember",
    "PanelScore", "PracticalMatter", "Rectification", "Selection", "SelectionRound", "Speaker",
    "StudyActivity", "StudyFile", "StudySignIn", "Task", "TaskAssignment", "TaskReport",
    "Venue", "Vote", "campaign_start",
]
