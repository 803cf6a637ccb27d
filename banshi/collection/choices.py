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
    """What a collection action did to a record (its append-only log, RecordEvent)."""

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
