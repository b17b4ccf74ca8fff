"""The survey as JSON (`iacm-lint survey --format json`, schema
`iacm-lint.survey/1`, docs/schemas/survey-1.schema.json): one object per
repository, as its `iacm-lint check` would count it, and the totals. Keys
never disappear: what is unknown is `null`. The text is ASCII (`\\uXXXX`
escapes)."""

from __future__ import annotations

import json
from typing import Any

from .model import SCHEMA, Entry, Survey


def render(survey: Survey) -> str:
    # ASCII: the names come from the surveyed repositories; a bidi control or a
    # C1 control stays an escape when the file is shown in a terminal or a CI log
    return json.dumps(document(survey), indent=2) + "\n"


def document(survey: Survey) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "iacm-lint", "version": survey.tool_version},
        "repositories": [repository(entry) for entry in survey.entries],
        "totals": {
            "repositories": len(survey.entries),
            "verdicts": survey.verdict_counts,
            "roots": survey.root_counts,
            "findings": survey.level_counts,
            "rules": survey.rule_counts,
            "rule_errors": survey.rule_error_counts,
            "blocked_by": survey.blocked_by,
            "engines": survey.engine_counts,
        },
    }


def repository(entry: Entry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "path": entry.path,
        "remote": entry.remote or None,
        "commit": entry.commit or None,
        "branch": entry.branch or None,
        "verdict": entry.verdict,
        "reason": entry.reason or None,
        "roots": entry.roots,
        "findings": entry.findings,
        "rules": entry.rules,
        "rule_errors": entry.rule_errors,
        "engines": entry.engines,
        "report": entry.report or None,
    }
