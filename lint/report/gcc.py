"""gcc-style output for IDE problem matchers, exactly one line a finding:

    path:line:col: error|warning|note: message [IACMnnn]
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from ..sanitise import display_path, one_line
from . import visible_findings


def format_line(finding: Finding) -> str:
    span = finding.span
    message = one_line(finding.message)  # one finding, one line; no terminal escapes
    return f"{display_path(span.path)}:{span.line}:{span.col}: {finding.level}: {message} [{finding.rule_id}]"


def render(result: Any, options: Any) -> str:
    return "".join(format_line(f) + "\n" for f in visible_findings(result))
