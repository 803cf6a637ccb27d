"""The OpenAPI document says what the server does: one error shape, documented status codes,
constraints on required strings, optional auth where residents call, and the generated
action endpoints; plus the tracking POST form and page-numbered lists."""

import json

import pytest
from django.test import Client

from banshi.api.appeals import ACTIONS
from banshi.appeals import limits

from .factories import with_code
from .test_api import API, Caller

ACTION_PATHS = ["dispatch", "accept", "return", "extend", "decide_extension", "escalate",
                "delegate", "review", "progress", "resolve", "reopen", "call_back",
                "supervise",
                "answer_supervision", "invalidate", "merge"]


@pytest.fixture(scope="module")
def doc(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get(f"{API}/openapi.json").json()


def _schema(doc, ref: str) -> dict:
    return doc["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _operations(doc):
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_error_responses_share_one_schema_with_a_string_detail(doc):
    error = doc["components"]["schemas"]["Error"]
    assert error["properties"]["detail"]["type"] == "string"
    assert set(error["properties"]) == {"detail", "field", "errors"}
    for path, method, operation in _operations(doc):
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/Error"), (method, path, status)


def test_422_body_matches_the_documented_error_shape(d):
    response = Caller().post("/appeals", {"title": "", "content": "内容", "contact_phone": "1"})
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and body["field"] == "title"
    assert {e["field"] for e in body["errors"]} == {"title", "contact_phone"}
    assert all(isinstance(e["message"], str) for e in body["errors"])


def test_unreadable_json_is_400_in_the_error_shape(d):
    response = Client().post(f"{API}/appeals", "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的JSON", "field": None}


@pytest.mark.parametrize(("path", "method", "codes"), [
    ("/api/v1/appeals", "post", {"400", "422", "429"}),
    ("/api/v1/appeals", "get", {"400", "401", "422"}),
    ("/api/v1/appeals/track", "get", {"400", "404", "422", "429"}),
    ("/api/v1/appeals/track", "post", {"400", "404", "422", "429"}),
    ("/api/v1/appeals/{number}", "get", {"400", "401", "404"}),
    ("/api/v1/appeals/{number}/photos/{photo_id}", "get", {"200", "400", "401", "404", "422"}),
    ("/api/v1/appeals/{number}/dispatch", "post", {"400", "401", "403", "404", "409", "422"}),
    ("/api/v1/appeals/{number}/feedback", "post", {"400", "404", "409", "422", "429"}),
    ("/api/v1/auth/token", "post", {"400", "401", "422", "429"}),
])
def test_error_codes_are_documented_where_they_happen(doc, path, method, codes):
    assert codes <= set(doc["paths"][path][method]["responses"])


def test_the_photo_endpoint_documents_its_image_types_and_headers(doc):
    ok = doc["paths"]["/api/v1/appeals/{number}/photos/{photo_id}"]["get"]["responses"]["200"]
    assert set(ok["content"]) == {"image/jpeg", "image/png", "image/webp", "image/heic"}
    assert set(ok["headers"]) == {"Cache-Control", "X-Content-Type-Options"}


def test_required_strings_have_min_length(doc):
    checked = 0
    for name, schema in doc["components"]["schemas"].items():
        if not name.endswith("In"):
            continue
        for field in schema.get("required", []):
            prop = schema["properties"][field]
            if prop.get("type") == "string" and "format" not in prop and "enum" not in prop:
                assert prop.get("minLength", 0) >= 1, (name, field)
                checked += 1
    assert checked >= 12
    appeal_in = doc["components"]["schemas"]["AppealIn"]["properties"]
    assert appeal_in["title"]["maxLength"] == limits.TITLE_MAX
    assert appeal_in["content"]["maxLength"] == limits.CONTENT_MAX


def test_public_endpoints_document_the_token_as_optional(doc):
    for path, method in [("/api/v1/appeals", "post"), ("/api/v1/appeals/{number}/feedback",
                                                          "post")]:
        assert {} in doc["paths"][path][method]["security"], (method, path)
    assert {} not in doc["paths"]["/api/v1/appeals"]["get"]["security"]
    assert "security" not in doc["paths"]["/api/v1/appeals/track"]["post"]


def test_action_endpoints_come_from_one_table(doc):
    assert [a.path for a in ACTIONS] == ACTION_PATHS
    for action in ACTIONS:
        operation = doc["paths"][f"/api/v1/appeals/{{number}}/{action.path}"]["post"]
        assert operation["summary"] == action.summary
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        refs = [body.get("$ref")] + [option.get("$ref") for option in body.get("anyOf", [])]
        assert f"#/components/schemas/{action.body.__name__}" in refs
        assert operation["operationId"] == f"banshi_api_appeals_{action.name or action.path}"


def test_empty_filters_count_as_absent(d):
    mine, _ = with_code(d)
    response = Caller(d.dispatcher).get("/appeals", state="", channel="", q="", overdue="",
                                        date_from="")
    assert response.status_code == 200, response.content
    assert [a["number"] for a in response.json()["results"]] == [mine.number]


def test_pages_come_from_ninja_pagination(d):
    numbers = {with_code(d)[0].number for _ in range(3)}
    staff = Caller(d.dispatcher)
    first = staff.get("/appeals", page_size=2).json()
    assert (first["count"], first["page"], first["page_size"]) == (3, 1, 2)
    second = staff.get("/appeals", page_size=2, page=2).json()
    assert {a["number"] for a in first["results"] + second["results"]} == numbers
    assert staff.get("/appeals", page=9).json()["results"] == []
    too_big = staff.get("/appeals", page_size=limits.PAGE_SIZE_MAX + 1)
    assert too_big.status_code == 422 and too_big.json()["field"] == "page_size"


def test_track_by_post_keeps_the_code_out_of_the_url_and_caches(d):
    appeal, code = with_code(d)
    client = Client()
    posted = client.post(f"{API}/appeals/track", json.dumps({"number": appeal.number,
                                                             "code": code}),
                         content_type="application/json")
    assert posted.status_code == 200 and posted.json()["number"] == appeal.number
    got = client.get(f"{API}/appeals/track", {"number": appeal.number, "code": code})
    assert got.json() == posted.json()
    for response in (posted, got):
        assert "no-store" in response["Cache-Control"]
    wrong = client.post(f"{API}/appeals/track", json.dumps({"number": appeal.number,
                                                            "code": "x"}),
                        content_type="application/json")
    assert wrong.status_code == 404
