"""A Markdown table for pull-request comments."""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from ..registry import get_rule
from . import summary, visible_findings

HEADER = "| Level | Rule | Location | Message |\n| --- | --- | --- | --- |"


def escape_cell(text: str) -> str:
    """Keep a table cell one cell: escape `|`, no raw HTML, no line breaks."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(text.splitlines()) if "\n" in text or "\r" in text else text


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
    location = f"{span.path}:{span.line}:{span.col}".replace("|", "\\|")  # a code span: only `|` needs escaping
    return f"| {finding.level} | {rule_cell} | `{location}` | {escape_cell(finding.message)} |"


def render(result: Any, options: Any) -> str:
    findings = visible_findings(result)
    parts = ["### iacm-lint", "", f"**{summary(result, findings)}**", ""]
    if findings:
        parts.append(HEADER)
        parts.extend(row(result, f) for f in findings)
    else:
        parts.append("No findings.")
    return "\n".join(parts) + "\n"
