from django.db import models


class State(models.TextChoices):
    SUBMITTED = "submitted", "待派单"
    DISPATCHED = "dispatched", "已派单"
    IN_PROGRESS = "in_progress", "办理中"
    # A community's answer to a case its street delegated, awaiting the street's 审核.
    PENDING_REVIEW = "pending_review", "待审核"
    RESOLVED = "resolved", "已答复"
    CLOSED = "closed", "已办结"
    RETURNED = "returned", "已退单"
    MERGED = "merged", "已合并"
    INVALID = "invalid", "无效"


OPEN_STATES = {State.SUBMITTED, State.DISPATCHED, State.IN_PROGRESS, State.PENDING_REVIEW,
               State.RETURNED}
# States in which a unit holds the case and its deadlines run.
HANDLING_STATES = {State.DISPATCHED, State.IN_PROGRESS, State.PENDING_REVIEW}


class Channel(models.TextChoices):
    ONLINE_FORM = "online_form", "H5表单"
    OPEN311 = "open311", "Open311"
    WECHAT_GROUP = "wechat_group", "微信群"
    QQ_GROUP = "qq_group", "QQ群"
    PLATFORM = "platform", "网络平台(心通桥等)"
    HOTLINE = "hotline", "热线电话"
    SYMPOSIUM = "symposium", "座谈会"
    SURVEY = "survey", "调查问卷"
    OPINION_BOX = "opinion_box", "意见箱"
    HOUSEHOLD_VISIT = "household_visit", "入户走访"
    LIAISON = "liaison", "联络员结对"
    WALK_IN = "walk_in", "来访"
    IMPORT = "import", "批量导入"


# Channels a community worker picks when entering what was collected offline.
OFFLINE_CHANNELS = [
    Channel.SYMPOSIUM, Channel.OPINION_BOX, Channel.HOUSEHOLD_VISIT, Channel.SURVEY,
    Channel.LIAISON,
    Channel.HOTLINE, Channel.WALK_IN, Channel.WECHAT_GROUP, Channel.QQ_GROUP, Channel.PLATFORM,
]


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    CRITICAL = "critical", "特急"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Solved(models.TextChoices):
    """The resident's (or the call-back's) answer to 问题是否解决."""

    SOLVED = "solved", "解决"
    PARTLY_SOLVED = "partly_solved", "部分解决"
    UNSOLVED = "unsolved", "未解决"


class Action(models.TextChoices):
    """What an event records; one per action function."""

    SUBMIT = "submit", "提交诉求"
    DISPATCH = "dispatch", "派单"
    ACCEPT = "accept", "接单"
    RETURN = "return", "退单"
    EXTEND_REQUEST = "extend_request", "申请延期"
    EXTEND_DECISION = "extend_decision", "延期审批"
    ESCALATE = "escalate", "上报上级"
    RESOLVE = "resolve", "办理答复"
    FEEDBACK = "feedback", "回访评价"
    REOPEN = "reopen", "重新办理"
    SUPERVISE = "supervise", "督办"
    SUPERVISION_ANSWER = "supervision_answer", "督办反馈"
    OVERDUE = "overdue", "超期"
    MERGE = "merge", "合并"
    INVALIDATE = "invalidate", "作废"
    LINK_PROBLEM = "link_problem", "并入共性问题"
    UNDO_DISPATCH = "undo_dispatch", "撤销自动派单"
    DEADLINE_RECOMPUTE = "deadline_recompute", "期限重算"
    DELEGATE = "delegate", "转派"
    REVIEW = "review", "审核"
    PROGRESS = "progress", "办理进展"
    CALL_BACK = "call_back", "电话回访"


class PhotoKind(models.TextChoices):
    """What a photo came with."""

    RESIDENT = "resident", "群众上传"
    ANSWER = "answer", "答复照片"
    PROGRESS = "progress", "办理进展照片"


class DayKind(models.TextChoices):
    """A date of a State Council holiday notice."""

    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class TriageSource(models.TextChoices):
    HUMAN = "human", "人工"
    AUTO = "auto", "自动"
    IMPORT = "import", "导入"


class ProblemStatus(models.TextChoices):
    CANDIDATE = "candidate", "待确认"
    OPEN = "open", "整改中"
    RESOLVED = "resolved", "已解决"
    REJECTED = "rejected", "已驳回"


class ProblemSource(models.TextChoices):
    DETECTED = "detected", "自动发现"
    MANUAL = "manual", "人工创建"


class ProblemAction(models.TextChoices):
    DETECT = "detect", "自动发现"
    CREATE = "create", "创建"
    CONFIRM = "confirm", "确认"
    EDIT = "edit", "修改"
    REJECT = "reject", "驳回"
    LINK = "link", "关联诉求"
    MILESTONE = "milestone", "整改进度"
    RESOLVE = "resolve", "整改完成"
    ASSIGN_LEADER = "assign_leader", "包联"
    SUPERVISE = "supervise", "督办"
    SUPERVISION_ANSWER = "supervise_answer", "督办反馈"
