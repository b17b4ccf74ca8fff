"""gcc-style output for IDE problem matchers, exactly one line a finding:

    path:line:col: error|warning|note: message [IACMnnn]
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from . import one_line, visible_findings


def format_line(finding: Finding) -> str:
    span = finding.span
    message = " ".join(finding.message.splitlines())  # one finding, one line
    return f"{one_line(span.path)}:{span.line}:{span.col}: {finding.level}: {message} [{finding.rule_id}]"


def render(result: Any, options: Any) -> str:
    return "".join(format_line(f) + "\n" for f in visible_findings(result))
