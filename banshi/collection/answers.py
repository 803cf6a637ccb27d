"""A questionnaire's answers: how each kind of question is answered and checked.

One rule for every way a response comes in (the H5 form, a staff member's paper entry, an
Excel import, the API). A response's `answers` maps str(question id) to:
single choice → the option's index (int); multiple choice → a sorted list of indexes;
rating → 1..scale (int); text → the text (str). An unanswered optional question is absent.
"""

import re
from collections.abc import Iterable, Sequence

from banshi.appeals.validators import text_problem

from .choices import QuestionKind
from .models import Question

TEXT_MAX = 2000  # a text answer
QUESTION_MAX = 500  # a question's wording
OPTION_MAX = 100  # one option
OPTIONS_MAX = 30  # options of one question
SCALE_MIN, SCALE_MAX = 2, 10
# how a cell lists several choices: 、 , ， ; ； | or a line break
_SEPARATORS = re.compile(r"[、,，;；|\n]+")


class AnswerError(ValueError):
    """An answer that cannot be accepted; `message` is shown as is (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _index(question: Question, token: str) -> int:
    """An option named by its index (the form's value, 0-based) → the index."""
    try:
        index = int(token)
    except ValueError:
        raise AnswerError("请选择列出的选项") from None
    if not 0 <= index < len(question.options):
        raise AnswerError("所选选项不存在")
    return index


def _rating(question: Question, token: str) -> int:
    """A whole number 1..scale ("4", or "4.0" as a spreadsheet gives it)."""
    try:
        number = float(token)
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise AnswerError(f"评分应为1到{question.scale}的整数")
    if not 1 <= number <= question.scale:
        raise AnswerError(f"评分应在1到{question.scale}之间")
    return int(number)


def _text(token: str) -> str:
    text = token.strip()
    if problem := text_problem(text):
        raise AnswerError(f"回答{problem}")
    if len(text) > TEXT_MAX:
        raise AnswerError(f"回答不能超过{TEXT_MAX}个字符(现为{len(text)}个)")
    return text


def parse(question: Question, values: Sequence[str]) -> object | None:
    """The answer to `question` from what a form sent (option indexes as text, a rating, a
    text); None when unanswered. AnswerError when unusable or a required one is missing."""
    values = [v for v in values if v is not None and str(v).strip() != ""]
    answer: object | None = None
    if values:
        if question.kind == QuestionKind.SINGLE:
            if len(values) > 1:
                raise AnswerError("单选题只能选一项")
            answer = _index(question, values[0])
        elif question.kind == QuestionKind.MULTIPLE:
            answer = sorted({_index(question, v) for v in values})
        elif question.kind == QuestionKind.RATING:
            answer = _rating(question, values[0])
        else:
            answer = _text(values[0]) or None
    if answer is None and question.required:
        raise AnswerError("此题为必答题")
    return answer


def parse_cell(question: Question, cell: str) -> object | None:
    """The answer from a spreadsheet cell: choices by their text or their number (1 = the
    first option), several separated by 、 or commas; a rating; a text."""
    cell = cell.strip()
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and cell:
        tokens = [t.strip() for t in _SEPARATORS.split(cell) if t.strip()]
        return parse(question, [str(_option_from_cell(question, t)) for t in tokens])
    return parse(question, [cell])


def _option_from_cell(question: Question, token: str) -> int:
    if token in question.options:
        return question.options.index(token)
    if token.isdigit() and 1 <= int(token) <= len(question.options):
        return int(token) - 1
    raise AnswerError(f"“{token[:20]}”不是本题的选项")


def check_all(questions: Iterable[Question],
              values_for) -> tuple[dict[str, object], dict[int, str]]:
    """(answers, errors by question id) for every question; `values_for(question)` gives
    what was sent for it."""
    answers: dict[str, object] = {}
    errors: dict[int, str] = {}
    for question in questions:
        try:
            answer = parse(question, values_for(question))
        except AnswerError as exc:
            errors[question.pk] = exc.message
            continue
        if answer is not None:
            answers[str(question.pk)] = answer
    return answers, errors


def display(question: Question, answer: object) -> str:
    """An answer as a person reads it (the options' text, the rating, the text)."""
    if answer is None:
        return ""
    if question.kind == QuestionKind.SINGLE:
        return _option_text(question, answer)
    if question.kind == QuestionKind.MULTIPLE and isinstance(answer, list):
        return "、".join(_option_text(question, i) for i in answer)
    return str(answer)


def _option_text(question: Question, index: object) -> str:
    if isinstance(index, int) and 0 <= index < len(question.options):
        return str(question.options[index])
    return ""


def clean_options(text: str) -> list[str]:
    """Options typed one per line: blank lines dropped, duplicates refused."""
    options = [line.strip() for line in text.splitlines() if line.strip()]
    for option in options:
        if problem := text_problem(option):
            raise AnswerError(f"选项{problem}")
        if len(option) > OPTION_MAX:
            raise AnswerError(f"每个选项不能超过{OPTION_MAX}个字符")
    if len(set(options)) != len(options):
        raise AnswerError("选项不能重复")
    if len(options) > OPTIONS_MAX:
        raise AnswerError(f"选项不能超过{OPTIONS_MAX}个")
    return options
