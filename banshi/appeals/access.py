"""One access function per object: a missing appeal and a forbidden one look the same.
And what a user may see of a problem's appeals (the problem page)."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from banshi.org import permissions

from .models import Appeal, Problem


def normalise_number(number: str | None) -> str:
    """An appeal number as typed: full-width characters made half-width (NFKC), spaces
    around it dropped, letters upper-cased ("ｚｙ20261201－0401 " → "ZY20261201-0401")."""
    return unicodedata.normalize("NFKC", number or "").strip().upper()


def normalise_code(code: str | None) -> str:
    """A query code as typed: full-width digits made half-width, spaces around it dropped."""
    return unicodedata.normalize("NFKC", code or "").strip()


def access_appeal(user, number: str) -> Appeal:
    """The appeal `number` if `user` may see it; Http404 otherwise (never 403, never a hint)."""
    queryset = Appeal.objects.visible_to(user).select_related(
        "region__parent", "unit", "category__parent__parent", "aspect"
    )
    appeal = queryset.filter(number=normalise_number(number)).first()
    if appeal is None:
        raise Http404("诉求不存在")
    return appeal


def track_appeal(number: str, code: str) -> Appeal:
    """The resident's view: number plus query code; a wrong code is the same 404."""
    appeal = Appeal.objects.filter(number=normalise_number(number)).first()
    if appeal is None or not appeal.check_query_code(normalise_code(code)):
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


@dataclass(frozen=True)
class ProblemAppeals:
    """A problem's appeals as one user may see them: rows of the appeals they may open, and
    only a count of the others."""

    linked: list[Appeal]
    candidates: list[Appeal]
    hidden_linked: int
    hidden_candidates: int


def problem_appeals(user, problem: Problem) -> ProblemAppeals:
    """The problem's linked appeals and its candidates not linked to it, each cut to what
    `user` may open (Appeal.objects.visible_to)."""
    visible = Appeal.objects.visible_to(user).values("pk")
    groups = [problem.appeals.all(), problem.candidate_appeals.exclude(problem=problem)]
    shown = [list(group.filter(pk__in=visible).select_related("region__parent", "unit")
                  .order_by("collected_at", "id")) for group in groups]
    hidden = [group.count() - len(rows) for group, rows in zip(groups, shown, strict=True)]
    return ProblemAppeals(shown[0], shown[1], hidden[0], hidden[1])


# An appeal number as intake writes it (prefix, local day, sequence): ZY20261125-0001.
APPEAL_NUMBER = re.compile(r"[A-Z]*\d{8}-\d{4,}")
HIDDEN_APPEAL = "其他单位诉求"


def hide_foreign_numbers(user, texts: list[str]) -> list[str]:
    """`texts` with every number of an appeal `user` may not open replaced by "其他单位诉求"
    (event notes name appeals: "关联诉求ZY…", "合并至ZY…")."""
    found = {number for text in texts for number in APPEAL_NUMBER.findall(text or "")}
    if not found or permissions.sees_everything(user):
        return texts
    foreign = set(Appeal.objects.filter(number__in=found)
                  .exclude(pk__in=Appeal.objects.visible_to(user).values("pk"))
                  .values_list("number", flat=True))
    if not foreign:
        return texts
    return [APPEAL_NUMBER.sub(lambda m: HIDDEN_APPEAL if m[0] in foreign else m[0], text or "")
            for text in texts]
