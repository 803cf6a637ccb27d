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
