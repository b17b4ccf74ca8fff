"""GitLab Code Quality report (`artifacts:reports:codequality`): a JSON
array with one issue a finding, in the subset of the Code Climate issue
format GitLab reads (docs/output-formats.md#gitlab):

    [{"type": "issue", "check_name": "IACM110", "description": "IACM110 backend …",
      "fingerprint": "IACM110:b8b80649cf23ba59:1", "severity": "major",
      "location": {"path": "infra/envs/dev/backend.tf", "lines": {"begin": 3, "end": 3}}}]

Paths are relative to the repository (the git work tree's top), as GitLab
resolves them. Suppressed and baselined findings are left out, like the
other formats a reviewer reads. GitLab tells new findings from old ones by
`fingerprint`: the rule ID and the line-shift-stable fingerprint of the
`json` format (`IACM110:b8b80649cf23ba59:1`), unique within a report, and
the same as the report that docs/integrations.md used to build from `json`.
"""

from __future__ import annotations

import json
from typing import Any

from ..findings import Finding
from ..registry import get_rule
from . import is_visible, repository_path, sorted_findings
from .sarif import security_severity

# GitLab's severities are info, minor, major, critical, blocker.
SEVERITY = {"error": "major", "warning": "minor", "note": "info"}
SECURITY_ERROR = "critical"  # an error of a security rule (a literal secret, IACM2xx)


def severity(finding: Finding) -> str:
    rule = get_rule(finding.rule_id)
    if finding.level == "error" and rule is not None and security_severity(rule) is not None:
        return SECURITY_ERROR
    return SEVERITY[finding.level]


def issue(finding: Finding, path: str) -> dict[str, Any]:
    span = finding.span
    return {
        "type": "issue",
        "check_name": finding.rule_id,
        "description": f"{finding.rule_id} {finding.message}",
        "fingerprint": f"{finding.rule_id}:{finding.fingerprint}",
        "severity": severity(finding),
        "location": {"path": path, "lines": {"begin": span.line, "end": max(span.end_line, span.line)}},
    }


def render(result: Any, options: Any) -> str:
    path_of = repository_path(result)
    issues = [issue(f, path_of(f.span.path)) for f in sorted_findings(result) if is_visible(f)]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
