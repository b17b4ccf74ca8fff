"""JSON output: a list of findings, documented in docs/output-formats.md.

Every finding is listed, suppressed and baselined ones included (see the
`suppressed` and `baseline_state` fields), sorted by path, line, column, rule.
Keys never disappear: absent values are `null` or `[]`.
"""

from __future__ import annotations

import json
from typing import Any

from ..findings import Finding
from ..model import Span
from . import sorted_findings


def region(span: Span) -> dict:
    return {"start_line": span.line, "start_column": span.col, "end_line": span.end_line, "end_column": span.end_col}


def finding_dict(finding: Finding) -> dict:
    return {
        "rule": finding.rule_id,
        "name": finding.rule_name,
        "level": finding.level,
        "message": finding.message,
        "path": finding.span.path,
        "region": region(finding.span),
        "fingerprint": finding.fingerprint,
        "suppressed": finding.suppressed is not None,
        "justification": finding.suppressed,
        "baseline_state": finding.baseline_state,
        "related": [{"path": span.path, "region": region(span), "message": message} for span, message in finding.related],
    }


def render(result: Any, options: Any) -> str:
    return json.dumps([finding_dict(f) for f in sorted_findings(result)], indent=2, ensure_ascii=False) + "\n"
