"""One access function per object: a missing appeal and a forbidden one look the same."""

from django.db.models import Q
from django.http import Http404

from banshi.org import permissions

from .models import Appeal, Problem


def access_appeal(user, number: str) -> Appeal:
    """The appeal `number` if `user` may see it; Http404 otherwise (never 403, never a hint)."""
    queryset = Appeal.objects.visible_to(user).select_related(
        "region__parent", "unit", "category__parent__parent", "aspect"
    )
    appeal = queryset.filter(number=number).first()
    if appeal is None:
        raise Http404("诉求不存在")
    return appeal


def track_appeal(number: str, code: str) -> Appeal:
    """The resident's view: number plus query code; a wrong code is the same 404."""
    appeal = Appeal.objects.filter(number=(number or "").strip()).first()
    if appeal is None or not appeal.check_query_code((code or "").strip()):
        raise Http404("编号或查询码不正确")
    return appeal


def visible_problems(user):
    """Problems `user` may see: all for district roles; for unit staff those their unit (or
    a unit below it) leads, and those with an appeal (linked or candidate) they can see."""
    if permissions.sees_everything(user):
        return Problem.objects.all()
    unit = permissions.unit_of(user)
    if unit is None:
        return Problem.objects.none()
    appeals = Appeal.objects.visible_to(user)
    scope = (Q(owner_unit__path__startswith=unit.path)
             | Q(pk__in=appeals.filter(problem__isnull=False).values("problem_id"))
             | Q(candidate_appeals__in=appeals))
    return Problem.objects.filter(pk__in=Problem.objects.filter(scope).values("pk"))


def access_problem(user, code: str) -> Problem:
    """The problem `code` if `user` may see it; Http404 otherwise (same as a missing one)."""
    problem = (visible_problems(user).select_related("owner_unit", "category", "created_by")
               .filter(code=code).first())
    if problem is None:
        raise Http404("共性问题不存在")
    return problem
