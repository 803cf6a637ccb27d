"""One access function per object: a missing appeal and a forbidden one look the same."""

from django.http import Http404

from .models import Appeal


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
