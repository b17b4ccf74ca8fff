"""Fixes: what a rule proposes to change so that its finding goes away.

A `Fix` is self-contained and position-exact: its edits name the file
(relative to the scan root, `/` separated) and 1-based line and column
positions in characters of the file's text as the scan read it (a UTF-8 BOM
removed; lines end at `\\n`, so a `\\r` of a CRLF line is the last character
of its line), end exclusive. The command line applies them (`--fix`,
engine/fixes.py), JSON and SARIF print them, and the language server offers
them as code actions; none of them needs anything but the fix and the text.

An edit of a path that does not exist creates the file (its text starts
empty). Content never holds a secret: a fix that removes one replaces it
with a reference, and the removed text is not part of the fix.

A leaf: it imports nothing of iacm-lint.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

SAFE = "safe"  # keeps the meaning the user intended; cannot break a working set-up
UNSAFE = "unsafe"  # changes behaviour (lock mode, version range, where a value comes from): review it
APPLICABILITIES = (SAFE, UNSAFE)


class Position(NamedTuple):
    """1-based line and column (in characters) of a point in a text."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from `start` up to (not including) `end` of `path`
    with `content`; `start == end` inserts."""

    path: str
    start: Position
    end: Position
    content: str

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True, slots=True)
class Fix:
    """A rule's proposed change for one finding: all edits apply together or
    none does. `message` says what it does, in the imperative ("Set
    encrypt = true")."""

    applicability: str
    message: str
    edits: tuple[Edit, ...]

    def __post_init__(self) -> None:
        if self.applicability not in APPLICABILITIES:
            raise ValueError(f"fix applicability {self.applicability!r} not in {APPLICABILITIES}")
        if not self.edits:
            raise ValueError("a fix needs at least one edit")

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(edit.path for edit in self.edits))


def safe(message: str, *edits: Edit) -> Fix:
    return Fix(SAFE, message, _top_down(edits))


def unsafe(message: str, *edits: Edit) -> Fix:
    return Fix(UNSAFE, message, _top_down(edits))


def _top_down(edits: Sequence[Edit]) -> tuple[Edit, ...]:
    """The edits file by file (in the order the files first appear), each
    file's from its top: JSON, SARIF and code actions list them in reading
    order. The sort is stable: insertions at one place keep their order."""
    files = {path: index for index, path in enumerate(dict.fromkeys(edit.path for edit in edits))}
    return tuple(sorted(edits, key=lambda edit: (files[edit.path], edit.start, edit.end)))


# ---- applying edits to a text -------------------------------------------------------


class EditError(ValueError):
    """Edits that do not fit the text (a position past its end) or overlap."""


def line_offsets(text: str) -> list[int]:
    """The offset where each `\\n`-separated line of `text` starts (0 first)."""
    offsets = [0]
    index = text.find("\n")
    while index != -1:
        offsets.append(index + 1)
        index = text.find("\n", index + 1)
    return offsets


def offset_of(text: str, offsets: Sequence[int], position: Position) -> int:
    """The character offset of `position` in `text`; EditError when the text
    has no such position (a column past the end of its line)."""
    line, column = position
    if not 1 <= line <= len(offsets) or column < 1:
        raise EditError(f"no line {line} column {column} in a text of {len(offsets)} lines")
    start = offsets[line - 1]
    end = offsets[line] - 1 if line < len(offsets) else len(text)  # the line's `\n` is a valid position
    if start + column - 1 > end:
        raise EditError(f"no column {column} on line {line} (it has {end - start} characters)")
    return start + column - 1


def conflicts(first: Edit, second: Edit) -> bool:
    """Edits of one file that cannot be applied together: their ranges
    overlap, or they start at one place and one of them replaces text.
    Insertions at one place do not conflict: they apply in the order given
    (two variables appended to one file)."""
    if first.path != second.path:
        return False
    if first.start == second.start:
        return not (first.is_insertion and second.is_insertion)
    return first.start < second.end and second.start < first.end


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """`text` with `edits` (all of one file, none conflicting) applied; the
    positions are those of `text`; insertions at one place in the order given."""
    offsets = line_offsets(text)
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for before, after in itertools.pairwise(ordered):
        if conflicts(before, after):
            raise EditError(f"edits at {tuple(before.start)} and {tuple(after.start)} overlap")
    pieces: list[str] = []
    cursor = 0
    for edit in ordered:
        start, end = offset_of(text, offsets, edit.start), offset_of(text, offsets, edit.end)
        if end < start:
            raise EditError(f"an edit ends ({tuple(edit.end)}) before it starts ({tuple(edit.start)})")
        pieces.append(text[cursor:start])
        pieces.append(edit.content)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
