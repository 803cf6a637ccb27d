"""One error shape for every API error: {detail, field, errors}.

django-ninja answers a request that fails its schema with 422 and pydantic's error list as
`detail`; here that becomes a Chinese `detail` naming the first field at fault, the same
`field` the actions' own 422s carry, and `errors` listing every field.
"""

from typing import TypedDict

from ninja.errors import HttpError, ValidationError

# banshi's own rules (schemas.py) already speak Chinese
OWN_RULES = {"phone", "date_range", "unstorable_text"}

# pydantic error type → Chinese message ({…} filled from the error's context)
MESSAGES = {
    "missing": "不能为空",
    "string_too_short": "不能为空",
    "string_too_long": "不能超过{max_length}个字符",
    "string_type": "须为文本",
    "literal_error": "取值无效，可选：{expected}",
    "enum": "取值无效，可选：{expected}",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "greater_than_equal": "不能小于{ge}",
    "less_than_equal": "不能大于{le}",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "date_from_datetime_parsing": "日期格式无效，请写成 2024-05-01",
    "date_parsing": "日期格式无效，请写成 2024-05-01",
    "date_type": "日期格式无效，请写成 2024-05-01",
    "datetime_parsing": "时间格式无效，请写成 2024-05-01T09:30:00+08:00",
    "datetime_from_date_parsing": "时间格式无效，请写成 2024-05-01T09:30:00+08:00",
    "datetime_type": "时间格式无效，请写成 2024-05-01T09:30:00+08:00",
    "model_attributes_type": "须为 JSON 对象",
    "model_type": "须为 JSON 对象",
    "dict_type": "须为 JSON 对象",
    "list_type": "须为列表",
}


class FieldProblem(TypedDict):
    field: str | None
    message: str


def field_of(loc: tuple[int | str, ...]) -> str | None:
    """The request field an error location names: ("body", "payload", "title") → "title",
    ("query", "state", 0) → "state"; None for the body as a whole."""
    source, *rest = loc
    names = [part for part in rest if isinstance(part, str)]
    if source == "body" or len(names) > 1:
        names = names[1:]  # the view's parameter name (payload, filters), not a sent field
    return ".".join(names) or None


def message_of(error: dict) -> str:
    if error["type"] in OWN_RULES:
        return error["msg"]
    template = MESSAGES.get(error["type"], "取值无效")
    try:
        context = {key: str(value).replace("' or '", "', '")
                   for key, value in error.get("ctx", {}).items()}
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：，")


def validation_error_body(exc: ValidationError) -> dict:
    errors = [FieldProblem(field=field_of(e["loc"]), message=message_of(e)) for e in exc.errors]
    first = errors[0] if errors else FieldProblem(field=None, message="请求格式无效")
    label = f"字段“{first['field']}”" if first["field"] else "请求"
    return {"detail": label + first["message"], "field": first["field"], "errors": errors}


# django-ninja's own refusals (an unreadable body, too many requests), said in Chinese
HTTP_MESSAGES = {400: "请求体不是有效的JSON", 429: "请求过于频繁，请稍后再试"}


def http_error_body(exc: HttpError) -> dict:
    return {"detail": HTTP_MESSAGES.get(exc.status_code, str(exc)), "field": None}
