"""The readiness report as a versioned JSON document
(`iacm-lint report --format json`): the unit a CI job produces and
`iacm-lint survey` reads. Its JSON Schema is docs/schemas/readiness-1.schema.json,
its fields are described in docs/output-formats.md.

`SCHEMA` names the document's version; a change that removes or renames a
field, or changes a field's meaning, needs a new version (a reader refuses
a version it does not know). Adding an optional field does not.

The findings are those `check` reports as failures (inline-suppressed and
baselined ones are left out and counted in `counts.suppressed`), as the
same objects `check --format json` writes, each with the roots it concerns;
their messages are masked again (`model.mask_message`). Keys never
disappear: what is unknown is `null`.
"""

from __future__ import annotations

import json
from typing import Any

from ...findings import Finding
from .. import is_visible, sorted_findings
from ..json import finding_dict, roots as root_engines
from .model import (
    LEVELS,
    BackendSummary,
    Check,
    PipelineTarget,
    Readiness,
    RootReport,
    Workspace,
    mask_message,
    verdict_of,
)

SCHEMA = "iacm-lint.readiness/1"


def render(report: Readiness, result: Any) -> str:
    return json.dumps(document(report, result), indent=2, ensure_ascii=False) + "\n"


def document(report: Readiness, result: Any) -> dict[str, Any]:
    """The readiness document of `report`, the model `build(result)` made."""
    engines = {entry["path"]: entry for entry in root_engines(getattr(result, "properties", None) or {})}
    roots_of = _roots_of_findings(report)
    revision = report.revision
    return {
        "schema": SCHEMA,
        "tool": {"name": "iacm-lint", "version": report.tool_version},
        "repository": {
            "name": report.name,
            "remote": revision.remote or None,
            "commit": revision.commit or None,
            "branch": revision.branch or None,
            "directory": revision.directory if revision.in_git else None,
            "in_git": revision.in_git,
        },
        "scanned_at": revision.scan_time_iso or None,
        "state": report.state or None,
        "verdict": verdict_of(report.items),  # over every finding, in a root or not
        "counts": {
            "roots": {"total": len(report.roots), **report.verdict_counts},
            "findings": report.level_counts,
            "suppressed": report.suppressed,
        },
        "roots": [_root(root, engines.get(root.directory) or {}) for root in report.roots],
        "unresolved_pipelines": [_pipeline(stage) for stage in report.unresolved_pipelines],
        "findings": [_finding(finding, roots_of) for finding in sorted_findings(result) if is_visible(finding)],
    }


def _root(root: RootReport, engine: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": root.directory,
        "verdict": root.verdict,
        "engine": engine.get("engine"),
        "engine_reason": root.engine_reason or None,
        "accepted_releases": engine.get("accepted_releases"),
        "backends": [_backend(backend) for backend in root.backends],
        "backend_note": root.backend_note or None,
        "checklist": [_check(check) for check in root.checklist],
        "pipelines": [_pipeline(stage) for stage in root.pipelines],
        "workspaces": [_workspace(workspace) for workspace in root.workspaces],
        "counts": {level: root.count(level) for level in LEVELS},
    }


def _backend(backend: BackendSummary) -> dict[str, Any]:
    return {
        "type": backend.type,
        "label": backend.label,
        "location": backend.location or None,
        "key": backend.key or None,
        "locking": backend.locking,
        "lock_mode": backend.lock_mode,
        "encryption": backend.encryption,
        "partial": backend.partial,
        "configured_in": list(backend.configured_in),
    }


def _check(check: Check) -> dict[str, Any]:
    return {"key": check.key, "title": check.title, "status": check.status, "state": check.text,
            "detail": check.detail or None}


def _pipeline(stage: PipelineTarget) -> dict[str, Any]:
    return {
        "path": stage.path,
        "line": stage.line,
        "end_line": stage.end_line,
        "pipeline": stage.pipeline or None,
        "stage": stage.stage,
        "workspace": stage.workspace or None,
        "matched_by": stage.matched_by or None,
        "steps": [{"name": step.name, "type": step.type, "command": step.command or None} for step in stage.steps],
    }


def _workspace(workspace: Workspace) -> dict[str, Any]:
    return {"identifier": workspace.identifier, "path": workspace.path, "line": workspace.line,
            "provisioner": workspace.provisioner or None, "address": workspace.address or None}


_FindingKey = tuple[str, str, int, int, str]


def _key(rule_id: str, path: str, line: int, col: int, message: str) -> _FindingKey:
    return (rule_id, path, line, col, message)


def _roots_of_findings(report: Readiness) -> dict[_FindingKey, list[str]]:
    """A finding's roots, as the model assigned it (a module two roots call concerns both)."""
    out: dict[_FindingKey, list[str]] = {}
    for root in report.roots:
        for item in root.todo:
            roots = out.setdefault(_key(item.rule_id, item.path, item.line, item.col, item.message), [])
            if root.directory not in roots:
                roots.append(root.directory)
    return out


def _finding(finding: Finding, roots_of: dict[_FindingKey, list[str]]) -> dict[str, Any]:
    message = mask_message(finding.message)
    out = finding_dict(finding)
    out["message"] = message
    out["related"] = [{**related, "message": mask_message(related["message"])} for related in out["related"]]
    span = finding.span
    out["roots"] = roots_of.get(_key(finding.rule_id, span.path, span.line, span.col, message), [])
    return out

