"""JSON output, documented in docs/output-formats.md: an object with the
findings and, per root module, the resolved engine and the supported
releases that accept it (the readiness report and scripts read these).

Every finding is listed, suppressed and baselined ones included (see the
`suppressed` and `baseline_state` fields), sorted by path, line, column, rule.
Keys never disappear: absent values are `null` or `[]`.
"""

from __future__ import annotations

import json
from typing import Any

from ..findings import Finding
from ..fix import Fix
from ..model.syntax import Span
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
        "related": [{"path": span.path, "region": region(span), "message": message}
                    for span, message in finding.related],
        "fix": fix_dict(finding.fix) if finding.fix is not None else None,
    }


def fix_dict(fix: Fix) -> dict:
    """A fix as docs/output-formats.md documents it (the language server
    reads the same shape): 1-based positions, end exclusive, in characters."""
    return {"applicability": fix.applicability, "message": fix.message,
            "edits": [{"path": edit.path, "start": {"line": edit.start.line, "column": edit.start.column},
                       "end": {"line": edit.end.line, "column": edit.end.column}, "content": edit.content}
                      for edit in fix.edits]}


def roots(properties: dict) -> list[dict]:
    """Per root module: engine, why, and accepted supported releases per engine
    (`versions` holds root -> {"accepted": {engine: [...]}} as `compat.root_version_properties` writes it)."""
    engines = properties.get("engines") or {}
    versions = properties.get("versions") or {}
    out = []
    for directory in sorted(set(engines) | set(versions)):
        choice = engines.get(directory) or {}
        out.append({"path": directory, "engine": choice.get("engine"), "engine_reason": choice.get("reason"),
                    "accepted_releases": (versions.get(directory) or {}).get("accepted")})
    return out


def render(result: Any, options: Any) -> str:
    properties = getattr(result, "properties", None) or {}
    document = {
        "findings": [finding_dict(f) for f in sorted_findings(result)],
        "roots": roots(properties),
    }
    if properties.get("stats") is not None:
        document["stats"] = properties["stats"]
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
