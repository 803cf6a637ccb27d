"""/api/v1/problems: 督办 on a shared problem and the owner unit's answer.

Like the appeals' actions (banshi.api.appeals.ACTIONS), each endpoint is one row of the
PROBLEM transition table; a problem the caller may not see answers 404.
"""

from ninja import Router, Status

from banshi.appeals import actions
from banshi.appeals.access import access_problem
from banshi.appeals.models import Problem
from banshi.appeals.transitions import PROBLEM

from . import schemas as s
from .appeals import ACTING
from .auth import bearer

router = Router(tags=["problems"])

# The rows of the PROBLEM table the API serves.
PROBLEM_ACTIONS = ("supervise", "answer_supervision")


def supervisions(user, problem: Problem) -> dict:
    """The problem's 督办 orders and the 督办 actions `user` may take on it now."""
    problem.refresh_from_db()
    return {
        "code": problem.code, "title": problem.title, "status": problem.status,
        "owner_unit_code": problem.owner_unit.code if problem.owner_unit_id else None,
        "supervisions": [
            {"instruction": o.instruction, "due_date": o.due_date, "issued_at": o.issued_at,
             "answer": o.answer, "answered_at": o.answered_at}
            for o in problem.supervisions.order_by("issued_at", "id")],
        "allowed_actions": [n for n in PROBLEM.offered(user, problem) if n in PROBLEM_ACTIONS],
    }


@router.post("/{code}/supervise", response={200: s.ProblemSupervisions} | ACTING, auth=bearer,
             summary="督办共性问题，附要求和期限(包联领导、派单员)")
def supervise(request, code: str, payload: s.SuperviseIn):
    problem = access_problem(request.user, code)
    actions.supervise_problem(problem, actor=request.user, instruction=payload.instruction,
                              due_date=payload.due_date)
    return Status(200, supervisions(request.user, problem))


@router.post("/{code}/answer_supervision", response={200: s.ProblemSupervisions} | ACTING,
             auth=bearer, summary="共性问题督办反馈(牵头单位)")
def answer_supervision(request, code: str, payload: s.AnswerIn):
    problem = access_problem(request.user, code)
    actions.answer_problem_supervision(problem, actor=request.user, answer=payload.answer)
    return Status(200, supervisions(request.user, problem))


assert set(PROBLEM_ACTIONS).issubset(PROBLEM), "every API action is a row of the table"
