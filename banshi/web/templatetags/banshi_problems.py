"""The case page's 共性问题 box: the appeal's problem and, for the dispatcher, the form to
merge an open appeal into one."""

from django import template

from banshi.appeals.choices import ProblemStatus
from banshi.appeals.permissions import may_manage_problems
from banshi.appeals.transitions import APPEAL

from ..problem_forms import LinkToProblemForm

register = template.Library()


@register.simple_tag(takes_context=True)
def problem_box(context, appeal) -> dict:
    """{problem, candidates, form} for `appeal` as the current user may see and act on it.
    A form that failed is put on the request by the view and shown again with its errors."""
    request = context["request"]
    user = request.user
    may_link = APPEAL.allowed("link_problem", user, appeal)
    form = None
    if may_link:
        form = (getattr(request, "problem_link_form", None)
                or LinkToProblemForm(auto_id="id_link_problem_%s"))
    candidates = []
    if may_manage_problems(user) and appeal.problem_id is None:
        candidates = list(appeal.candidate_problems.filter(status=ProblemStatus.CANDIDATE))
    return {"problem": appeal.problem, "candidates": candidates, "form": form}
