"""A Markdown table for pull-request comments. Paths and messages come from
the scanned repository: text is escaped, and locations and the values a
message quotes are code spans that nothing can break out of (see
sanitise.py).

A comment has a size limit (GitHub: 65,536 characters), so the output is
capped at `ReportOptions.max_size` characters (DEFAULT_MAX_SIZE; 0: no
cap). When the findings do not fit, the heading and the summary stay, the
table keeps the most severe findings that fit (errors, then warnings, then
notes; in path order within a level), and a last line says how many of
each level were left out."""

from __future__ import annotations

from typing import Any

from ..findings import LEVEL_ORDER, Finding
from ..registry import get_rule
from ..sanitise import markdown_code, markdown_message, markdown_text
from . import plural, summary, visible_findings

HEADER = "| Level | Rule | Location | Message |\n| --- | --- | --- | --- |"
DEFAULT_MAX_SIZE = 65_000  # characters; GitHub refuses a comment longer than 65,536


def escape_cell(text: str) -> str:
    """Keep a table cell one cell: Markdown characters escaped, no raw
    HTML, link or code span, line breaks as `<br>`."""
    return markdown_text(text, line_break="<br>")


def help_uri(result: Any, rule_id: str) -> str:
    for candidate in getattr(result, "rules", ()) or ():
        if candidate.id == rule_id:
            return str(candidate.help_uri)
    found = get_rule(rule_id)
    return found.help_uri if found else ""


def row(result: Any, finding: Finding) -> str:
    span = finding.span
    uri = help_uri(result, finding.rule_id)
    rule_cell = f"[{finding.rule_id}]({uri})" if uri else finding.rule_id
    rule_cell += f" {escape_cell(finding.rule_name)}"
    location = markdown_code(f"{span.path}:{span.line}:{span.col}")
    message = markdown_message(finding.message, in_table=True, line_break="<br>")
    return f"| {finding.level} | {rule_cell} | {location} | {message} |"


def render(result: Any, options: Any) -> str:
    findings = visible_findings(result)
    head = ["### iacm-lint", "", f"**{markdown_text(summary(result, findings))}**", ""]
    if not findings:
        return "\n".join([*head, "No findings."]) + "\n"
    rows = [row(result, f) for f in findings]
    full = "\n".join([*head, HEADER, *rows]) + "\n"
    limit = getattr(options, "max_size", None)
    limit = DEFAULT_MAX_SIZE if limit is None else limit
    if not limit or len(full) <= limit:
        return full
    return _capped(head, findings, rows, limit)


def _capped(head: list[str], findings: list[Finding], rows: list[str], limit: int) -> str:
    """The heading, the summary, the most severe rows that fit in `limit`
    characters, and the line that counts what was left out."""
    by_severity = sorted(range(len(findings)), key=lambda i: -LEVEL_ORDER[findings[i].level])  # stable: path order
    budget = limit - len("\n".join([*head, HEADER, ""])) - len(_left_out(findings, [])) - 2
    kept: set[int] = set()
    for index in by_severity:
        cost = len(rows[index]) + 1
        if cost > budget:
            break  # keep the order of severity: no less severe finding in a gap a severe one left
        kept.add(index)
        budget -= cost
    left_out = [f for i, f in enumerate(findings) if i not in kept]
    table = [HEADER, *(rows[i] for i in sorted(kept))] if kept else []
    return "\n".join([*head, *table, "", _left_out(findings, left_out)]) + "\n"


def _left_out(findings: list[Finding], left_out: list[Finding]) -> str:
    """`_123 more findings left out (3 errors, 120 warnings): …_`; with no
    finding left out, the longest such line `findings` could need."""
    counted = left_out or findings
    counts = ", ".join(plural(sum(1 for f in counted if f.level == level), level)
                       for level in ("error", "warning", "note") if any(f.level == level for f in counted))
    return (f"_{plural(len(counted), 'more finding')} left out ({counts}) to keep this comment within --max-size; "
            "`iacm-lint check` or the `json` and `sarif` formats list them all._")
