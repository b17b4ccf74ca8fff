"""SARIF 2.1.0 output, ready for GitHub code scanning (product.md §SARIF).

Built from plain dicts rather than `sarif-om` objects: sarif-om 1.0.4 ships
no serializer, and its `PropertyBag` only models `tags`, so the
`security-severity` property and `run.properties` could not be expressed
without patching it. Dicts built in a fixed key order, with results sorted
by (path, line, column, rule) and run properties sorted by key, give
byte-identical output for the same input.

Paths: inside a git work tree, `%SRCROOT%` is the work tree's top and URIs
are relative to it, as GitHub code scanning resolves them; outside git,
the scan root.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from ..findings import Finding
from ..fix import Edit, Fix
from ..model.syntax import Span
from ..registry import Context, Rule, Violation, get_rule
from ..scan.gitinfo import find_toplevel, repository_prefix
from . import INFORMATION_URI, TOOL_NAME, sorted_findings, tool_version

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
PARSE_ERROR = "IACM000"
MAX_FULL_DESCRIPTION = 1024
# GitHub reads `security-severity` only on rules tagged "security"; 2xx rules
# without an explicit value get one from their default level.
DEFAULT_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "note": "2.0"}
SECTION_TITLES = ("What it does", "Why is this bad?", "Example", "Use instead")
# A rule's "Fix" section (which fix `--fix` applies) is for the CLI's users
# (docs/rules, `explain`); code scanning applies no fix, and the help stays as it was.
LEFT_OUT = ("Fix",)


# ---- rule metadata ------------------------------------------------------------


def doc_sections(doc: str) -> tuple[str, list[tuple[str, str]]]:
    """(text before the first section, [(title, body)]) of a rule docstring
    whose section headings are lines like `What it does`, `## Example` or
    `Use instead:`."""
    titles = {t.lower().rstrip("?:"): t for t in (*SECTION_TITLES, *LEFT_OUT)}
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in doc.splitlines():
        heading = titles.get(line.strip().lstrip("#").strip().rstrip(":?").lower())
        if heading:
            sections.append((heading, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return "\n".join(preamble).strip(), [(title, "\n".join(body).strip()) for title, body in sections
                                         if title not in LEFT_OUT]


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip()
    return cut + "…"


def help_texts(rule: Rule) -> tuple[str, str, str]:
    """(fullDescription, help.text, help.markdown) from the rule docstring."""
    preamble, sections = doc_sections(rule.doc)
    what = dict(sections).get("What it does") or preamble or rule.short or rule.name
    full = truncate(" ".join(what.split()), MAX_FULL_DESCRIPTION)
    if not sections:
        body = rule.doc or rule.short or rule.name
        return full, body, body
    lead = [preamble] if preamble else []
    text = "\n\n".join(lead + [f"{title}\n{body}" for title, body in sections])
    markdown = "\n\n".join(lead + [f"## {title}\n\n{body}" for title, body in sections])
    return full, text, markdown + f"\n\n[Rule documentation]({rule.help_uri})"


def security_severity(rule: Rule) -> Optional[str]:
    value = rule.security_severity
    if value is not None:
        try:
            if 0 < float(value) <= 10:
                return str(value)
        except ValueError:
            pass
    if rule.id.startswith("IACM2"):
        return DEFAULT_SECURITY_SEVERITY[rule.level]
    return None


def rule_descriptor(rule: Rule) -> dict:
    full, text, markdown = help_texts(rule)
    severity = security_severity(rule)
    tags = list(dict.fromkeys(rule.tags + (("security",) if severity else ())))
    properties: dict[str, Any] = {"tags": tags}
    if severity:
        properties["security-severity"] = severity
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short or rule.name},
        "fullDescription": {"text": full},
        "help": {"text": text, "markdown": markdown},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.level},
        "properties": properties,
    }


def rules_for(result: Any, findings: list[Finding]) -> list[Rule]:
    """Every rule that ran, plus any rule a finding names that was not listed
    (IACM000 from parsing), sorted by ID."""
    rules = {rule.id: rule for rule in getattr(result, "rules", ()) or ()}
    for finding in findings:
        if finding.rule_id not in rules:
            rules[finding.rule_id] = get_rule(finding.rule_id) or Rule(
                finding.rule_id, finding.rule_name, finding.level, finding.rule_name, "file", _no_rule)
    return [rules[key] for key in sorted(rules)]


def _no_rule(subject: object, ctx: Context) -> Iterator[Violation]:  # for a rule only known from its findings
    return iter(())


# ---- results ------------------------------------------------------------------


def physical_location(span: Span, prefix: str = "") -> dict:
    """`prefix`: the scan root's directory in its git work tree (see sarif_log)."""
    return {
        "artifactLocation": {"uri": quote(prefix + span.path, safe="/"), "uriBaseId": SRCROOT},
        "region": {"startLine": span.line, "startColumn": span.col,
                   "endLine": span.end_line, "endColumn": span.end_col},
    }


def result_dict(finding: Finding, rule_index: dict[str, int], prefix: str = "") -> dict:
    entry: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "level": finding.level,
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical_location(finding.span, prefix)}],
        "partialFingerprints": {"primaryLocationLineHash": finding.fingerprint},
    }
    if finding.related:
        entry["relatedLocations"] = [
            {"id": number, "physicalLocation": physical_location(span, prefix), "message": {"text": message}}
            for number, (span, message) in enumerate(finding.related, start=1)
        ]
    if finding.suppressed is not None:
        entry["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
    if finding.baseline_state:
        entry["baselineState"] = finding.baseline_state
    if finding.properties:
        entry["properties"] = {key: value for key, value in sorted(finding.properties)}
    if finding.fix is not None:
        entry["fixes"] = [fix_object(finding.fix, prefix)]
    return entry


def fix_object(fix: Fix, prefix: str = "") -> dict:
    """SARIF 2.1.0 §3.55: one artifactChange per file, in the order the
    edits name them, each edit a replacement of a region (empty for an
    insertion) by text; the applicability goes into the properties.
    `prefix`: the scan root's directory in its git work tree (see sarif_log)."""
    changes: dict[str, list[Edit]] = {}
    for edit in fix.edits:
        changes.setdefault(edit.path, []).append(edit)
    return {
        "description": {"text": fix.message},
        "artifactChanges": [
            {"artifactLocation": {"uri": quote(prefix + path, safe="/"), "uriBaseId": SRCROOT},
             "replacements": [{"deletedRegion": {"startLine": e.start.line, "startColumn": e.start.column,
                                                 "endLine": e.end.line, "endColumn": e.end.column},
                               "insertedContent": {"text": e.content}} for e in edits]}
            for path, edits in changes.items()],
        "properties": {"applicability": fix.applicability},
    }


def notification(finding: Finding, rule_index: dict[str, int], prefix: str = "") -> dict:
    return {
        "level": "error",
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical_location(finding.span, prefix)}],
        "associatedRule": {"id": finding.rule_id, "index": rule_index[finding.rule_id]},
    }


# ---- the log --------------------------------------------------------------------


def root_uri(root: str) -> str:
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def semantic_version(version: str) -> str:
    match = re.match(r"\d+\.\d+\.\d+", version)
    return match.group(0) if match else "0.0.0"


def sorted_properties(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): sorted_properties(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [sorted_properties(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def sarif_log(result: Any) -> dict:
    """The SARIF log of `result`. Inside a git work tree, `%SRCROOT%` is its
    top and every URI is relative to it, as GitHub code scanning reads them
    (a scan of `infra/` names `infra/main.tf`); outside git, the scan root."""
    findings = sorted_findings(result)
    root = str(result.root)
    prefix = repository_prefix(root)
    base = root_uri(find_toplevel(root) or root)
    rules = rules_for(result, findings)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    version = tool_version(result)
    crashes = list(getattr(result, "internal_errors", None) or ())
    invocation: dict[str, Any] = {"executionSuccessful": not crashes}
    notifications = [notification(f, rule_index, prefix) for f in findings if f.rule_id == PARSE_ERROR]
    notifications += [{"level": "error", "message": {"text": text}} for text in crashes]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": TOOL_NAME,
            "version": version,
            "semanticVersion": semantic_version(version),
            "informationUri": INFORMATION_URI,
            "rules": [rule_descriptor(rule) for rule in rules],
        }},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": base}},
        "columnKind": "unicodeCodePoints",
        "results": [result_dict(f, rule_index, prefix) for f in findings],
    }
    properties = sorted_properties(dict(getattr(result, "properties", None) or {}))
    if properties:
        run["properties"] = properties
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: Any, options: Any) -> str:
    return json.dumps(sarif_log(result), indent=2, ensure_ascii=False) + "\n"
