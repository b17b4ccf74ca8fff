"""The survey as CSV (`iacm-lint survey --format csv`): one row per
repository, for spreadsheets. A cell that a spreadsheet would take for a
formula (`=`, `+`, `-`, `@`, a tab or carriage return first) gets a `'`
before it: names and remotes come from the surveyed repositories."""

from __future__ import annotations

import csv
import io

from ...sanitise import printable
from .model import Entry, Survey

COLUMNS = ("name", "path", "verdict", "roots", "roots ready", "roots needs work", "roots blocked", "errors",
           "warnings", "notes", "engines", "top rules", "remote", "commit", "branch", "reason", "report")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(survey: Survey) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in survey.entries:
        writer.writerow([cell(value) for value in row(entry)])
    return buffer.getvalue()


def row(entry: Entry) -> list[object]:
    roots, findings = entry.roots, entry.findings
    top = sorted(entry.rules.items(), key=lambda item: (-item[1], item[0]))[:5]
    return [entry.name, entry.path, entry.verdict, roots["total"], roots["ready"], roots["needs work"],
            roots["blocked"], findings["error"], findings["warning"], findings["note"],
            " ".join(f"{engine}:{count}" for engine, count in entry.engines.items()),
            " ".join(f"{rule}:{count}" for rule, count in top), entry.remote, entry.commit, entry.branch,
            entry.reason, entry.report]


def cell(value: object) -> object:
    """A value for a cell: numbers as they are; text printable, one line, no formula."""
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
