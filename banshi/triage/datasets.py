"""Labelled files for training and evaluating the classifier.

A file is .csv (UTF-8, with or without BOM; GB18030 accepted) or a spreadsheet (.xlsx and
the other formats python-calamine reads, first sheet) with a header row naming either
title, content, label or the message-board columns 留言主题, 留言详情, 一级标签 (一级分类 is
accepted for the label too). Either text column may be missing or empty in a row, not both;
rows without a label or without any text are skipped and counted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from banshi.lib.spreadsheet import (
    Row,
    UnreadableFile,
    clean_line,
    clean_text,
    header_names,
    read_table,
)

from .text import join_title_content

HEADERS = {
    "title": ("title", "留言主题", "标题"),
    "content": ("content", "留言详情", "内容", "详情"),
    "label": ("label", "一级标签", "一级分类", "标签"),
}


class DatasetError(ValueError):
    """The file cannot be read as a labelled set; `message` is for the user (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Labelled:
    """Rows of a labelled file: parallel lists, plus the row numbers that were skipped."""

    titles: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)

    def texts(self) -> list[str]:
        """What the model reads: title and body joined and normalised."""
        return [join_title_content(t, c) for t, c in zip(self.titles, self.contents, strict=True)]

    def subsets(self) -> dict[str, list[int]]:
        """Row indexes of title-only, body-only and title+body rows (empty ones left out)."""
        kinds: dict[str, list[int]] = {"title_only": [], "content_only": [],
                                       "title_and_content": []}
        for i, (title, content) in enumerate(zip(self.titles, self.contents, strict=True)):
            key = ("title_and_content" if title and content
                   else "title_only" if title else "content_only")
            kinds[key].append(i)
        return {k: v for k, v in kinds.items() if v}


def read_labelled(path: str | Path) -> Labelled:
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"文件不存在：{path}")
    try:
        header, rows = read_table(path)
    except UnreadableFile as exc:
        raise DatasetError(exc.message) from exc
    columns = _columns(header, path.name)
    data = Labelled()
    for number, row in rows:
        title, content, label = (_cell(row, columns.get(k), clean)
                                 for k, clean in (("title", clean_line),
                                                  ("content", clean_text),
                                                  ("label", clean_line)))
        if not label or not (title or content):
            data.skipped.append(number)
            continue
        data.titles.append(title)
        data.contents.append(content)
        data.labels.append(label)
    return data


def _columns(header: Row, name: str) -> dict[str, int]:
    cells = [cell.lower() for cell in header_names(header)]
    columns = {}
    for key, names in HEADERS.items():
        for candidate in names:
            if candidate in cells:
                columns[key] = cells.index(candidate)
                break
    if "label" not in columns or not ({"title", "content"} & columns.keys()):
        raise DatasetError(
            f"{name}：缺少列。需要 title, content, label 或 留言主题, 留言详情, 一级标签")
    return columns


def _cell(row: Row, index: int | None, clean: Callable[[object], str]) -> str:
    return clean(row[index]) if index is not None and index < len(row) else ""
