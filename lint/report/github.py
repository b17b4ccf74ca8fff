"""GitHub Actions workflow commands, one annotation a finding:

    ::error file=envs/dev/backend.tf,line=3,col=1,endLine=3,endColumn=18,title=IACM110 state-lock-missing::message

`file` is relative to the root of the git repository holding the scan root,
which is how GitHub reads it: a scan of `infra/` annotates `infra/main.tf`,
not `main.tf` (outside git, paths stay relative to the scan root).
Levels map to `error`, `warning` and `notice`. GitHub's escaping: `%`, `\\r`
and `\\n` in the message; additionally `:` and `,` in property values.
`endColumn` is inclusive (the last character), as GitHub reads it; our spans
end exclusive. Control characters in paths and messages are shown as escapes
(`\\x1b`) first: the log is a terminal too.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from ..sanitise import printable
from ..scan.gitinfo import repository_prefix
from . import visible_findings

COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return printable(text, line_breaks=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_line(finding: Finding, prefix: str = "") -> str:
    """One workflow command; `prefix` is the scan root's path inside the repository ("" or "infra/")."""
    span = finding.span
    end_column = span.end_col - 1 if span.end_line > span.line else max(span.col, span.end_col - 1)
    properties = (
        ("file", prefix + span.path),
        ("line", str(span.line)),
        ("col", str(span.col)),
        ("endLine", str(span.end_line)),
        ("endColumn", str(max(end_column, 1))),
        ("title", f"{finding.rule_id} {finding.rule_name}"),
    )
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMAND.get(finding.level, 'warning')} {joined}::{escape_data(finding.message)}"


def render(result: Any, options: Any) -> str:
    prefix = repository_prefix(str(result.root))
    return "".join(format_line(f, prefix) + "\n" for f in visible_findings(result))
