"""The last line against input no database stores: a NUL byte or a lone surrogate in the URL
path, the query string or a form body is refused with 400 naming where it was, before any view
runs. Forms and API schemas name such fields first; this catches what reaches no form (path
segments, hidden fields read directly, query parameters of any page)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from banshi.appeals.validators import text_problem

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
API_PREFIX = "/api/"


def _path_problem(request) -> tuple[str, str] | None:
    problem = text_problem(request.path_info)
    if problem is None:
        return None
    try:
        kwargs = resolve(request.path_info).kwargs
    except Resolver404:
        return "path", problem
    named = [name for name, value in kwargs.items()
             if isinstance(value, str) and text_problem(value)]
    return (named[0] if named else "path"), problem


def _data_problem(data) -> tuple[str, str] | None:
    for key, values in data.lists():
        for text in (key, *values):
            problem = text_problem(text)
            if problem:
                return (key if not text_problem(key) else "query"), problem
    return None


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def find_problem(request) -> tuple[str, str] | None:
    """(field, message) for the first unstorable text the request carries, or None.

    Page forms are read here as their views would read them; API bodies are left to the
    API's schemas (reading them here would consume the stream the API parses)."""
    found = _path_problem(request) or _data_problem(request.GET)
    if (found is None and request.method == "POST" and not _is_api(request)
            and request.content_type in FORM_TYPES):
        found = _data_problem(request.POST)
    return found


class RejectUnsafeInput:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = find_problem(request)
        if found is None:
            return self.get_response(request)
        field, problem = found
        message = f"参数“{field}”{problem}"
        if _is_api(request):
            return JsonResponse({"detail": message, "field": field}, status=400)
        return render(request, "400.html", {"message": message}, status=400)
