"""The campaign's kinds and states, with their Chinese names (the names the API keys by)."""

from django.db import models


class CampaignStatus(models.TextChoices):
    PREPARING = "preparing", "筹备中"
    RUNNING = "running", "进行中"
    FINISHED = "finished", "已结束"


class GroupKind(models.TextChoices):
    """A group of the campaign's organisation ("一办五组" and the temporary Party branch)."""

    LEADERSHIP = "leadership", "领导小组"
    OFFICE = "office", "领导小组办公室"
    WORKING = "working", "工作组"
    PARTY_BRANCH = "party_branch", "临时党支部"
    BRANCH_COMMITTEE = "branch_committee", "支部委员会"
    OTHER = "other", "其他"


class MeetingKind(models.TextChoices):
    """The API's `meetings` figure is keyed by these Chinese names."""

    MOBILISATION = "mobilisation", "动员大会"
    PROGRESS = "progress", "推进会"
    COORDINATION = "coordination", "协调会"
    WEEKLY = "weekly", "周例会"
    MONTHLY = "monthly", "月度会议"
    STUDY = "study", "专题学习"
    OTHER = "other", "其他会议"


class ActionKind(models.TextChoices):
    """规定动作 (required of every unit) or 自选动作 (a unit's own)."""

    REQUIRED = "required", "规定动作"
    OPTIONAL = "optional", "自选动作"


class AssignmentStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已完成"


class MatterStatus(models.TextChoices):
    OPEN = "open", "推进中"
    CLOSED = "closed", "已销号"


class StudyKind(models.TextChoices):
    CENTRAL_GROUP = "central_group", "中心组学习"
    THREE_ONE = "three_one", "三会一课"
    PARTY_DAY = "party_day", "主题党日"
    PARTY_LECTURE = "party_lecture", "专题党课"
    LECTURE = "lecture", "宣讲"
    VENUE_VISIT = "venue_visit", "红色基地参观"
    FIRST_LESSON = "first_lesson", "开学第一课"
    OTHER = "other", "其他学习"


# The study kinds that are a lecture (a speaker addressing an audience): counted as lectures.
LECTURE_KINDS = frozenset({StudyKind.PARTY_LECTURE, StudyKind.LECTURE, StudyKind.FIRST_LESSON})


class SpeakerKind(models.TextChoices):
    SECRETARY = "secretary", "书记讲师"
    EXPERT = "expert", "宣讲团专家"
    VETERAN = "veteran", "老战士"
    OLD_MEMBER = "old_member", "老党员"
    MODEL = "model", "劳动模范"
    TEACHER = "teacher", "教师"
    OTHER = "other", "其他"


class VisitRating(models.TextChoices):
    GOOD = "good", "好"
    FAIR = "fair", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "差"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "整改中"
    DONE = "done", "已整改"


class RoundStage(models.TextChoices):
    """A selection round's stages, in order; `advance_round` moves one step at a time."""

    NOMINATING = "nominating", "推荐提名"
    REVIEWING = "reviewing", "资格审核"
    SCORING = "scoring", "评审投票"
    PUBLICITY = "publicity", "公示"
    PUBLISHED = "published", "结果发布"


class NominationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    PASSED = "passed", "审核通过"
    REJECTED = "rejected", "未通过审核"
    SELECTED = "selected", "入选"
    NOT_SELECTED = "not_selected", "未入选"
    WITHDRAWN = "withdrawn", "撤销入选"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已发布"
