"""Request and response shapes of the REST API.

Input schemas derive from `Input`, which refuses text no database stores (NUL bytes, lone
surrogates) in any string field with a 422 naming it. Lengths and date ranges come from
banshi.appeals.limits and phone numbers from banshi.appeals.validators, so the OpenAPI
document states the limits the forms and actions apply.
"""

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from banshi.appeals import limits, validators
from banshi.appeals.actions.supervision import MAX_EXTENSION_DAYS
from banshi.appeals.choices import Channel, State


def _checked(kind: str, check: Callable) -> AfterValidator:
    """A pydantic validator from a banshi.appeals.validators rule (ValueError → 422)."""

    def validate(value):
        try:
            return check(value)
        except ValueError as exc:
            raise PydanticCustomError(kind, str(exc)) from exc

    return AfterValidator(validate)


def _local(value: dt.datetime) -> dt.datetime:
    return validators.local_moment(value, timezone.get_current_timezone())


def _length(max_length: int, min_length: int | None = None) -> StringConstraints:
    return StringConstraints(min_length=min_length, max_length=max_length)


Title = Annotated[str, _length(limits.TITLE_MAX, 1)]
Content = Annotated[str, _length(limits.CONTENT_MAX, 1)]
Reason = Annotated[str, _length(limits.NOTE_MAX, 1)]  # a required reason, note or instruction
Note = Annotated[str, _length(limits.NOTE_MAX)]
Reply = Annotated[str, _length(limits.REPLY_MAX, 1)]
AnswerText = Annotated[str, _length(limits.ANSWER_MAX, 1)]
Name = Annotated[str, _length(limits.NAME_MAX)]
Address = Annotated[str, _length(limits.ADDRESS_MAX)]
Code = Annotated[str, _length(64, 1)]  # a unit, region, category or aspect code, an appeal number
QueryCode = Annotated[str, _length(12, 1)]
Search = Annotated[str, _length(limits.TITLE_MAX)]
Phone = Annotated[
    str, _length(limits.PHONE_MAX), _checked("phone", validators.normalise_phone),
    Field(description=validators.PHONE_HELP + "；可为空"),
]
Day = Annotated[
    dt.date, _checked("date_range", validators.check_date),
    Field(description=f"{limits.EARLIEST_DATE:%Y-%m-%d} 至 {limits.LATEST_DATE:%Y-%m-%d}"),
]
Moment = Annotated[
    dt.datetime, _checked("date_range", _local),
    Field(description="ISO 8601；不带时区时按 BANSHI_TIME_ZONE(默认北京时间)理解；"
                      f"日期须在 {limits.EARLIEST_DATE:%Y-%m-%d} 至 {limits.LATEST_DATE:%Y-%m-%d}"),
]
if TYPE_CHECKING:
    # mypy cannot read a Literal built at run time; to it the codes are plain strings.
    StateCode = str
    ChannelCode = str
else:
    StateCode = Literal[tuple(State.values)]
    ChannelCode = Literal[tuple(Channel.values)]


class Input(Schema):
    """Every request schema: a NUL byte or a lone surrogate in any string is a 422."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value):
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and (problem := validators.text_problem(text)):
                raise PydanticCustomError("unstorable_text", problem)
        return value


class FieldError(Schema):
    field: str | None = Field(description="出错的字段；请求整体出错时为空")
    message: str


class Error(Schema):
    """Every error response: `detail` for people, `field` for forms, `errors` for 422s."""

    detail: str
    field: str | None = None
    errors: list[FieldError] | None = Field(
        None, description="输入校验失败(422)时列出每个出错的字段")


class TokenIn(Input):
    username: Annotated[str, _length(150, 1)]
    password: Annotated[str, _length(256, 1)]


class TokenOut(Schema):
    token: str = Field(description="只显示这一次；服务器只保存其摘要")
    expires_at: dt.datetime = Field(description="过期时间(签发后 BANSHI_TOKEN_TTL)")


class AppealIn(Input):
    title: Title
    content: Content
    region_code: Code | None = None
    contact_name: Name | None = None
    contact_phone: Phone | None = None
    address: Address | None = None
    channel: ChannelCode | None = Field(
        None, description="群众可用 online_form/open311/wechat_group/qq_group/platform；"
                          "其他渠道须工作人员令牌")
    collected_at: Moment | None = Field(None, description="仅工作人员录入时有效")


class TrackIn(Input):
    number: Code
    code: QueryCode


class AppealCreated(Schema):
    number: str
    query_code: str
    state: str


PHOTO_LINKS = (f"照片链接(签名，{limits.PHOTO_LINK_SECONDS // 60} 分钟内有效；"
               "过期后重新查询即可得到新链接)")


class PublicEvent(Schema):
    at: dt.datetime
    state: str
    note: str
    kind: str = Field(description="progress：办理进展；answer：送达群众的答复；其他为空")
    photos: list[str] = Field(description=PHOTO_LINKS)


class TrackOut(Schema):
    number: str
    state: str
    state_label: str
    title: str
    content: str = Field(description="群众提交的诉求内容")
    photos: list[str] = Field(description="群众提交的照片：" + PHOTO_LINKS)
    reply: str
    reply_photos: list[str] = Field(description="答复的照片：" + PHOTO_LINKS)
    rating: str
    events: list[PublicEvent] = Field(
        description="办理进度，按时间先后：公开的办理进展、送达群众的答复及其照片")


class Contact(Schema):
    name: str
    phone: str
    address: str


class AppealOut(Schema):
    number: str
    channel: str
    collected_at: dt.datetime
    title: str
    content: str
    contact: Contact
    region_code: str | None
    region: str | None
    street: str | None
    category_code: str | None
    category: str | None
    aspect_code: str | None
    unit_code: str | None
    unit: str | None
    delegated_by_code: str | None = Field(description="转派该诉求的单位(其下级单位办理时)")
    delegation_due: dt.date | None = Field(description="转派给下级单位的办理期限")
    urgency: str
    level: str = Field(description="办理层级：community 社区、street 街道·局委、district 区"
                                   "(办结的为答复单位的层级，未办结的为当前承办单位的层级)")
    state: str
    state_label: str
    response_due_at: dt.datetime | None
    handling_due_at: dt.datetime | None
    is_overdue: bool
    reply: str
    resolved_at: dt.datetime | None
    rating: str


class EventOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    unit_code: str | None
    note: str


class SupervisionOut(Schema):
    instruction: str
    due_date: dt.date
    issued_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class PhotoOut(Schema):
    id: int
    kind: str = Field(description="resident 群众上传、answer 答复照片、progress 办理进展照片")
    public: bool = Field(description="群众可见")
    content_type: str
    size: int
    url: str = Field(description="照片本身(GET，带令牌；同诉求详情的权限)")
    web_url: str = Field(description="工作人员网页登录后可打开的地址")


class ProgressOut(Schema):
    at: dt.datetime
    actor: str
    note: str
    public: bool = Field(description="群众可见")
    photos: list[PhotoOut]


class AppealDetail(AppealOut):
    events: list[EventOut]
    photos: list[PhotoOut] = Field(description="全部照片(群众上传、答复、办理进展)")
    progress: list[ProgressOut] = Field(description="办理进展，按时间先后")
    supervisions: list[SupervisionOut]
    pending_extension_days: int | None
    allowed_actions: list[str] = Field(
        description="现在可以执行的操作(POST /appeals/{number}/{操作})，"
                    "由状态流转表按当前状态和调用者权限给出")


class ProblemSupervisions(Schema):
    """A shared problem's 督办 orders, as returned by its 督办 actions."""

    code: str
    title: str
    status: str
    owner_unit_code: str | None
    supervisions: list[SupervisionOut]
    allowed_actions: list[str] = Field(
        description="现在可以执行的督办操作(POST /problems/{code}/{操作})，"
                    "由共性问题状态流转表按当前状态和调用者权限给出")


class ListFilters(Input):
    """The ledger filters; an empty parameter (`?state=&channel=`) counts as absent."""

    q: Search | None = None
    state: list[StateCode] | None = None
    channel: list[ChannelCode] | None = None
    category: Code | None = None
    aspect: Code | None = None
    unit: Code | None = None
    street: Code | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    overdue: bool | None = None
    level: Literal["community", "street", "district"] | None = Field(
        None, description="办理层级：community 社区、street 街道·局委、district 区")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_absent(cls, value):
        if isinstance(value, list):
            value = [item for item in value if item != ""]
            return value or None
        return None if value == "" else value


class DispatchIn(Input):
    unit_code: Code
    category_code: Code | None = None
    aspect_code: Code | None = None
    urgency: Literal["normal", "urgent", "critical"] | None = None
    note: Note | None = None


class DelegateIn(Input):
    unit_code: Code = Field(description="本单位的下级单位(社区)代码")
    note: Reason
    due: Day | None = Field(None, description="下级单位的办理期限，不晚于本单位的办理期限；"
                                             "不填则为本单位的办理期限")


class ReviewIn(Input):
    approve: bool = Field(description="true：答复送达群众；false：退回下级单位重新办理")
    note: Note | None = Field(None, description="审核意见；退回时必填")


class NoteIn(Input):
    note: Note | None = None


class ReasonIn(Input):
    reason: Reason


class ExtendIn(Input):
    days: int = Field(ge=1, le=MAX_EXTENSION_DAYS, description="工作日")
    reason: Reason


class DecideExtensionIn(Input):
    approve: bool
    note: Note | None = None


class EscalateIn(Input):
    note: Reason


class PhotoIn(Input):
    """One photo, its bytes as base64 (jpg/png/heic/webp, judged by content)."""

    name: Annotated[str, _length(limits.PHOTO_NAME_MAX)] | None = Field(
        None, description="文件名(可选，出错时用于指明是哪一张)")
    data: Annotated[str, _length(limits.PHOTO_BASE64_MAX, 1)] = Field(
        description=f"照片内容的 base64 编码；每张不超过 "
                    f"{limits.PHOTO_BYTES_MAX // (1024 * 1024)}MB(编码前)")


Photos = Annotated[list[PhotoIn], Field(
    max_length=limits.PHOTOS_MAX,
    description=f"照片，最多 {limits.PHOTOS_MAX} 张；格式或大小不对时 422，field 为 photos")]


class ResolveIn(Input):
    reply: Reply
    photos: Photos | None = None


class ProgressIn(Input):
    note: Reason = Field(description="办理进展")
    public: bool = Field(False, description="true：群众查询进度时可以看到这条进展和照片；"
                                            "false(默认)：仅工作人员可见")
    photos: Photos | None = None


SolvedCode = Literal["solved", "partly_solved", "unsolved"]
RatingCode = Literal["satisfied", "basically_satisfied", "unsatisfied"]


class FeedbackIn(Input):
    solved: SolvedCode | None = Field(
        None, description="问题是否解决：solved 解决、partly_solved 部分解决、"
                          "unsolved 未解决(必填)")
    rating: RatingCode = Field(description="满意度：satisfied 满意、basically_satisfied 基本满意、"
                                           "unsatisfied 不满意")
    comment: Note | None = None
    query_code: QueryCode | None = Field(None, description="群众不带令牌评价时必填")


class CallBackIn(Input):
    solved: SolvedCode | None = Field(
        None, description="问题是否解决：solved 解决、partly_solved 部分解决、"
                          "unsolved 未解决(必填)")
    rating: RatingCode | None = Field(
        None, description="满意度：satisfied 满意、basically_satisfied 基本满意、"
                          "unsatisfied 不满意(必填)")
    note: Note | None = None


class SuperviseIn(Input):
    instruction: Reason
    due_date: Day


class AnswerIn(Input):
    answer: AnswerText


class MergeIn(Input):
    into: Code
    note: Note | None = None


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    parent_code: str | None
    region_code: str | None


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


class CategoryOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None
    path: str


class AspectOut(Schema):
    code: str
    name: str
    description: str
    confirmed: bool = Field(description="已确认；否为待确认(演示数据中报告未列出的方向)")
