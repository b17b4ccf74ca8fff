"""Text output: one line a finding, grouped by file, then a summary line.

    envs/dev/backend.tf:3:1: error IACM110 backend "s3" has no state lock … [state-lock-missing]

    2 errors, 0 warnings, 0 notes in 4 files (engine: opentofu, from default)
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import click

from ..findings import Finding
from ..sanitise import display_path, one_line
from . import summary, visible_findings

LEVEL_STYLE: dict[str, dict[str, Any]] = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "note": {"fg": "cyan"},
}


def format_line(finding: Finding, color: bool = False, with_name: bool = True) -> str:
    """`path:line:col: level IACMnnn message [name]`; without the name this is
    the line format of the rule cases' expected.txt."""
    span = finding.span
    location = f"{display_path(span.path)}:{span.line}:{span.col}:"
    level, rule_id, name = finding.level, finding.rule_id, f"[{finding.rule_name}]"
    if color:
        location = click.style(location, bold=True)
        level = click.style(level, **LEVEL_STYLE.get(level, {}))
        rule_id = click.style(rule_id, dim=True)
        name = click.style(name, dim=True)
    message = one_line(finding.message)  # one finding, one line; no terminal escapes
    line = f"{location} {level} {rule_id} {message}"
    return f"{line} {name}" if with_name else line


def render(result: Any, options: Any) -> str:
    color = bool(getattr(options, "color", False))
    findings = visible_findings(result)
    blocks: list[str] = []
    current_path = None
    for finding in findings:
        if finding.span.path != current_path:
            current_path = finding.span.path
            blocks.append("")  # a blank line before each file's group
        blocks.append(format_line(finding, color))
    if getattr(options, "quiet", False):
        return "".join(line + "\n" for line in blocks[1:])
    closing = summary(result, findings)
    if color:
        closing = click.style(closing, bold=True)
    lines = blocks[1:] + ([""] if blocks else []) + [closing]
    return "\n".join(lines) + "\n"


def statistics_table(result: Any) -> str:
    """`--statistics`: one line per rule with findings, most findings first
    (then by rule ID), as ruff prints it: `IACM110  3  state-lock-missing`.
    Suppressed and baselined findings are not counted."""
    findings = visible_findings(result)
    counts = Counter(finding.rule_id for finding in findings)
    names = {finding.rule_id: finding.rule_name for finding in findings}
    width = max((len(str(count)) for count in counts.values()), default=1)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{rule_id}  {count:>{width}}  {names[rule_id]}\n" for rule_id, count in ordered)
