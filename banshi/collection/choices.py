from django.db import models


class SymposiumKind(models.TextChoices):
    SOLICITATION = "solicitation", "征求意见座谈会"
    ONE_BUILDING = "one_building", "一楼一议协商会"
    PROPERTY_JOINT = "property_joint", "物业联席会"
    OTHER = "other", "其他座谈会"


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已结束"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    RATING = "rating", "评分"
    TEXT = "text", "填空"


class DistributionMode(models.TextChoices):
    PAPER = "paper", "纸质发放"
    ONLINE = "online", "线上推送"


class ResponseSource(models.TextChoices):
    ONLINE = "online", "线上填写"
    PAPER = "paper", "纸质录入"
    IMPORT = "import", "Excel导入"


class BoxKind(models.TextChoices):
    BOX = "box", "意见箱"
    DESK = "desk", "征求意见台"


class BoxStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    SUSPENDED = "suspended", "暂停"
    REMOVED = "removed", "已撤除"


class GroupKind(models.TextChoices):
    WECHAT_GROUP = "wechat_group", "微信群"
    QQ_GROUP = "qq_group", "QQ群"
    PLATFORM = "platform", "网络平台(心通桥等)"


class RecordAction(models.TextChoices):
    """What an action did to a collection or campaign record (the append-only log, RecordEvent)."""

    CREATE = "create", "创建"
    UPDATE = "update", "修改"
    ADD_PARTICIPANT = "add_participant", "添加参会人员"
    REMOVE_PARTICIPANT = "remove_participant", "移除参会人员"
    SIGN_IN = "sign_in", "签到"
    ATTACH = "attach", "上传附件"
    RAISE_APPEALS = "raise_appeals", "录入诉求"
    PUBLISH = "publish", "发布"
    CLOSE = "close", "结束"
    ADD_QUESTION = "add_question", "添加题目"
    EDIT_QUESTION = "edit_question", "修改题目"
    MOVE_QUESTION = "move_question", "调整题目顺序"
    DELETE_QUESTION = "delete_question", "删除题目"
    DISTRIBUTE = "distribute", "发放登记"
    SUBMIT_RESPONSE = "submit_response", "提交答卷"
    ENTER_RESPONSE = "enter_response", "录入答卷"
    IMPORT_RESPONSES = "import_responses", "导入答卷"
    ANSWER_TO_APPEAL = "answer_to_appeal", "答卷转诉求"
    OPEN_BOX = "open_box", "开箱"
    IMPORT_PAIRINGS = "import_pairings", "导入结对"
    CONTACT = "contact", "联系记录"
    PASTE_MESSAGE = "paste_message", "贴入消息"
    # the campaign's records (banshi.campaign) log to the same table
    DELETE = "delete", "删除"
    ADD_MEMBER = "add_member", "添加成员"
    REMOVE_MEMBER = "remove_member", "移除成员"
    ADD_DECISION = "add_decision", "添加议定事项"
    DECISION_TO_TASK = "decision_to_task", "议定事项转任务"
    ASSIGN = "assign", "分解下达"
    REPORT_PROGRESS = "report_progress", "报告进展"
    COMPLETE = "complete", "完成"
    REOPEN = "reopen", "重新打开"
    CLOSE_OFF = "close_off", "销号"
    ADD_VISIT = "add_visit", "督导记录"
    RECTIFY = "rectify", "整改"
    NOMINATE = "nominate", "推荐"
    REVIEW = "review", "审核"
    SCORE = "score", "评分"
    VOTE = "vote", "投票"
    ADVANCE = "advance", "进入下一阶段"
    OBJECT = "object", "提出异议"
    HANDLE_OBJECTION = "handle_objection", "处理异议"
    SUBMIT = "submit", "提交"
    RETURN = "return", "退回"
