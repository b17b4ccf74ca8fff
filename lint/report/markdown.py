"""A Markdown table for pull-request comments. Paths and messages come from
the scanned repository: cells are escaped and locations are code spans that
nothing can break out of (see sanitise.py)."""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from ..registry import get_rule
from ..sanitise import markdown_code, markdown_text
from . import summary, visible_findings

HEADER = "| Level | Rule | Location | Message |\n| --- | --- | --- | --- |"


def escape_cell(text: str) -> str:
    """Keep a table cell one cell: escape `|`, no raw HTML, link or code
    span, line breaks as `<br>`."""
    return markdown_text(text, line_break="<br>")


def help_uri(result: Any, rule_id: str) -> str:
    for candidate in getattr(result, "rules", ()) or ():
        if candidate.id == rule_id:
            return candidate.help_uri
    found = get_rule(rule_id)
    return found.help_uri if found else ""


def row(result: Any, finding: Finding) -> str:
    span = finding.span
    uri = help_uri(result, finding.rule_id)
    rule_cell = f"[{finding.rule_id}]({uri})" if uri else finding.rule_id
    rule_cell += f" {escape_cell(finding.rule_name)}"
    location = markdown_code(f"{span.path}:{span.line}:{span.col}")
    return f"| {finding.level} | {rule_cell} | {location} | {escape_cell(finding.message)} |"


def render(result: Any, options: Any) -> str:
    findings = visible_findings(result)
    parts = ["### iacm-lint", "", f"**{markdown_text(summary(result, findings))}**", ""]
    if findings:
        parts.append(HEADER)
        parts.extend(row(result, f) for f in findings)
    else:
        parts.append("No findings.")
    return "\n".join(parts) + "\n"
