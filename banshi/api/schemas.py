import datetime as dt
from typing import Literal

from ninja import Field, Schema

Text = str


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)


class TokenOut(Schema):
    token: str = Field(description="只显示这一次；服务器只保存其摘要")
    expires_at: dt.datetime = Field(description="过期时间(签发后 BANSHI_TOKEN_TTL)")


class Error(Schema):
    detail: str
    field: str | None = None


class AppealIn(Schema):
    title: str
    content: str
    region_code: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    channel: str | None = None
    collected_at: dt.datetime | None = None


class AppealCreated(Schema):
    number: str
    query_code: str
    state: str


class PublicEvent(Schema):
    at: dt.datetime
    state: str
    note: str


class TrackOut(Schema):
    number: str
    state: str
    state_label: str
    title: str
    reply: str
    rating: str
    events: list[PublicEvent]


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
    urgency: str
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


class AppealDetail(AppealOut):
    events: list[EventOut]
    supervisions: list[SupervisionOut]
    pending_extension_days: int | None


class AppealPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AppealOut]


class DispatchIn(Schema):
    unit_code: str
    category_code: str | None = None
    aspect_code: str | None = None
    urgency: Literal["normal", "urgent", "critical"] | None = None
    note: str | None = None


class NoteIn(Schema):
    note: str | None = None


class ReasonIn(Schema):
    reason: str


class ExtendIn(Schema):
    days: int
    reason: str


class DecideExtensionIn(Schema):
    approve: bool
    note: str | None = None


class EscalateIn(Schema):
    note: str


class ResolveIn(Schema):
    reply: str


class FeedbackIn(Schema):
    rating: Literal["satisfied", "basically_satisfied", "unsatisfied"]
    comment: str | None = None
    query_code: str | None = None


class SuperviseIn(Schema):
    instruction: str
    due_date: dt.date


class AnswerIn(Schema):
    answer: str


class MergeIn(Schema):
    into: str
    note: str | None = None


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
