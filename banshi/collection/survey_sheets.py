"""Questionnaires in spreadsheets: the blank template, importing paper responses, exporting
every response. All reading and writing goes through banshi/lib/spreadsheet.py.

The layout: one row per response, one column per question, headed "1. 题目" (its number in
the questionnaire, then its wording). An import finds each question's column by that number
or by the wording alone. Choices are written as the option's text (several separated by 、)
or its number (1 = the first option); a rating as 1..scale; a text as it is.
"""

import re
from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import Workbook

from banshi.lib.spreadsheet import (
    SheetWriter,
    UnreadableFile,
    cell_text,
    clean_text,
    read_rows,
)
from banshi.org.models import Unit

from . import answers as survey_answers
from .actions import surveys as actions
from .choices import QuestionKind
from .models import Question, Questionnaire

_NUMBERED = re.compile(r"^\s*(\d+)\s*[.、．]\s*(.*)$")
MAX_ROWS = 20_000


def header_for(position: int, question: Question) -> str:
    return f"{position}. {question.text}"


def _hint(question: Question) -> str:
    if question.kind == QuestionKind.SINGLE:
        return "单选：填选项文字或序号，如 " + " / ".join(
            f"{i}={o}" for i, o in enumerate(question.options, start=1))
    if question.kind == QuestionKind.MULTIPLE:
        return "多选：选项文字或序号，用、分隔"
    if question.kind == QuestionKind.RATING:
        return f"评分：1到{question.scale}的整数"
    return "填空：照录原文"


def write_template(questionnaire: Questionnaire, target: BinaryIO) -> None:
    """The blank import template: the header row on the first sheet (one response per row
    below it), and how to fill each column on a second sheet 填写说明."""
    questions = list(questionnaire.questions.order_by("order", "id"))
    book = Workbook(write_only=True)
    writer = SheetWriter(book.create_sheet("答卷"), widths=[30] * len(questions))
    writer.header(header_for(i, q) for i, q in enumerate(questions, start=1))
    notes = SheetWriter(book.create_sheet("填写说明"), widths=[40, 8, 60])
    notes.header(["列", "必答", "填写方法"])
    for i, q in enumerate(questions, start=1):
        notes.append([header_for(i, q), "是" if q.required else "否", _hint(q)])
    book.save(target)


def write_responses(questionnaire: Questionnaire, target: BinaryIO) -> int:
    """Every response: number, time, unit, source, then one column per question."""
    questions = list(questionnaire.questions.order_by("order", "id"))
    book = Workbook(write_only=True)
    writer = SheetWriter(book.create_sheet("答卷"), tz=timezone.get_default_timezone(),
                         widths=[8, 18, 24, 10] + [24] * len(questions))
    writer.header(["序号", "提交时间", "回收单位", "来源"]
                  + [header_for(i, q) for i, q in enumerate(questions, start=1)])
    written = 0
    rows = questionnaire.responses.select_related("unit").order_by("submitted_at", "id")
    for response in rows.iterator(chunk_size=2000):
        written += 1
        writer.append([written, response.submitted_at, response.unit.name,
                       response.get_source_display()]
                      + [_cell(q, response.answers.get(str(q.pk))) for q in questions])
    book.save(target)
    return written


def _cell(question: Question, answer: object) -> object:
    """A rating stays a number (for sums in Excel); the rest as a person reads it."""
    if question.kind == QuestionKind.RATING and isinstance(answer, int):
        return answer
    return survey_answers.display(question, answer)


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    rolled_back: bool = False

    @property
    def error_rows(self) -> set[int]:
        return {e.row for e in self.errors}


def _columns(header, questions: list[Question]) -> tuple[dict[int, int], list[RowError]]:
    """question id → column index, from the header row; errors for what cannot be matched."""
    by_number = {i: q for i, q in enumerate(questions, start=1)}
    by_text = {q.text.strip(): q for q in questions}
    found: dict[int, int] = {}
    errors = []
    for index, cell in enumerate(header):
        name = cell_text(cell).strip()
        if not name:
            continue
        match = _NUMBERED.match(name)
        question = by_number.get(int(match.group(1))) if match else by_text.get(name)
        if question is None or question.pk in found:
            errors.append(RowError(1, name[:40], "列名与问卷的题目对不上(应为“序号. 题目”)"))
            continue
        found[question.pk] = index
    for position, question in by_number.items():
        if question.required and question.pk not in found:
            errors.append(RowError(1, header_for(position, question)[:40], "缺少必答题的列"))
    return found, errors


def import_responses(questionnaire: Questionnaire, source: BinaryIO, *, filename: str,
                     actor: User, unit: Unit, all_or_nothing: bool) -> ImportReport:
    """Check every row; then add the good ones (or, with `all_or_nothing`, none when any
    row is bad). Each bad cell is reported by row and column with the reason."""
    report = ImportReport()
    try:
        rows = read_rows(source, filename=filename)
        _, header = next(rows, (0, None))
    except UnreadableFile as exc:
        report.errors.append(RowError(0, "文件", exc.message))
        return report
    if header is None:
        report.errors.append(RowError(0, "文件", "文件为空"))
        return report
    questions = list(questionnaire.questions.order_by("order", "id"))
    columns, report.errors = _columns(header, questions)
    if report.errors:
        return report
    titles = {q.pk: header_for(i, q) for i, q in enumerate(questions, start=1)}
    good: list[dict[str, object]] = []
    for number, row in rows:
        report.total += 1
        if report.total > MAX_ROWS:
            report.errors.append(RowError(number, "文件", f"一次最多导入{MAX_ROWS}份答卷"))
            break
        answers, errors = _row_answers(questions, columns, row)
        report.errors += [RowError(number, titles[qid][:40], msg) for qid, msg in errors.items()]
        if not errors:
            good.append(answers)
    if report.errors and all_or_nothing:
        report.rolled_back = True
        return report
    if good:
        report.imported = actions.add_imported(questionnaire, good, actor=actor, unit=unit)
    return report


def _row_answers(questions: list[Question], columns: dict[int, int], row
                 ) -> tuple[dict[str, object], dict[int, str]]:
    answers: dict[str, object] = {}
    errors: dict[int, str] = {}
    for question in questions:
        index = columns.get(question.pk)
        cell = clean_text(row[index]) if index is not None and index < len(row) else ""
        try:
            answer = survey_answers.parse_cell(question, cell)
        except survey_answers.AnswerError as exc:
            errors[question.pk] = exc.message
            continue
        if answer is not None:
            answers[str(question.pk)] = answer
    return answers, errors
