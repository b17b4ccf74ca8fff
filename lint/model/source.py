"""A file's text as fix builders need it: its lines as spans count them
(split at `\\n`, a CRLF line keeping its `\\r`), its line break, and edits
(fix.py) at spans and lines. The rules' fix helpers (rules/_hcl_fixes.py,
rules/_yaml_fixes.py) and the suppression filter (IACM001) build on it."""

from __future__ import annotations

import re
from typing import Optional

from ..fix import Edit, Position
from .syntax import Span

# What may follow a construct on its line without being part of the block's
# body: blanks and a comment.
_REST_OF_LINE = re.compile(r"[ \t]*(?:(?:#|//).*|/\*.*\*/[ \t]*)?\r?")


class Source:
    """A file's text with 1-based line access."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.raw_lines = text.split("\n")

    @property
    def line_count(self) -> int:
        return len(self.raw_lines)

    def raw(self, line: int) -> str:
        """Line `line` as the columns count it (a CRLF line ends with `\\r`)."""
        return self.raw_lines[line - 1]

    def line(self, line: int) -> str:
        """Line `line` without its `\\r`."""
        raw = self.raw_lines[line - 1]
        return raw[:-1] if raw.endswith("\r") else raw

    @property
    def newline(self) -> str:
        """The file's line break: CRLF when its first line break is one."""
        first = self.text.find("\n")
        return "\r\n" if first > 0 and self.text[first - 1] == "\r" else "\n"

    def indentation(self, line: int) -> str:
        text = self.line(line)
        return text[: len(text) - len(text.lstrip(" \t"))]

    def at(self, span: Span) -> str:
        """The text of a one-line span ("" for a span over several lines)."""
        if span.line != span.end_line or not 1 <= span.line <= self.line_count:
            return ""
        return self.raw(span.line)[span.col - 1:span.end_col - 1]

    def only_blank_before(self, line: int, col: int) -> bool:
        return not self.raw(line)[: col - 1].strip()

    def only_comment_after(self, line: int, col: int) -> bool:
        """Nothing but blanks or a comment follows column `col` (exclusive end) on `line`."""
        return _REST_OF_LINE.fullmatch(self.raw(line)[col - 1:]) is not None

    def end_of_text(self) -> Position:
        return Position(self.line_count, len(self.raw_lines[-1]) + 1)

    def end_of_line(self, line: int) -> Position:
        """Just before the line break of `line` (before the `\\r` of CRLF)."""
        return Position(line, len(self.line(line)) + 1)

    # ---- edits ----------------------------------------------------------------------

    def replace(self, span: Span, content: str) -> Edit:
        return Edit(self.path, Position(span.line, span.col), Position(span.end_line, span.end_col), content)

    def insert(self, position: Position, content: str) -> Edit:
        return Edit(self.path, position, position, content)

    def insert_lines(self, before: int, lines: list[str]) -> Edit:
        """New lines just before line `before` (line_count + 1: after the
        last line), in the file's line break; the final-newline state of the
        file stays as it was."""
        eol = self.newline
        if before <= self.line_count:  # also an empty file, whose only line is line 1
            return self.insert(Position(before, 1), "".join(line + eol for line in lines))
        return self.insert(self.end_of_text(), "".join(eol + line for line in lines))  # the last line had no break

    def append_lines(self, lines: list[str], separate: bool = True) -> Edit:
        """`lines` at the end of the file, after a blank line when `separate`
        and the file has text; the file then ends with a line break."""
        eol = self.newline
        body = "".join(line + eol for line in lines)
        if not self.text.strip():
            return self.insert(self.end_of_text(), body)
        lead = "" if self.text.endswith("\n") else eol
        if separate and not self.text.endswith(("\n\n", "\n\r\n")):
            lead += eol
        return self.insert(self.end_of_text(), lead + body)

    def delete_lines(self, first: int, last: int) -> Edit:
        """Delete lines `first` to `last` with their line break (the one
        before them when `last` is the final line)."""
        if last < self.line_count:
            return Edit(self.path, Position(first, 1), Position(last + 1, 1), "")
        if first > 1:
            return Edit(self.path, self.end_of_line(first - 1), self.end_of_text(), "")
        return Edit(self.path, Position(1, 1), self.end_of_text(), "")


def source_of(ctx: object, path: str) -> Optional[Source]:
    """The Source of `path` through the rule's Context (None when the file
    cannot be read as text: no fix is offered then)."""
    reader = getattr(ctx, "source", None)
    text = reader(path) if reader is not None else None
    return Source(path, text) if text is not None else None
