"""The engine: discover -> parse -> model -> rules -> filter -> findings,
read top to bottom in `run()`.

`run(paths, options)` is the one entry point the CLI, the report command and
tests use: the scan stage builds the Repo (scan/repository.py) unless the
result cache answers (engine/resultcache.py), rules are iterated by scope
with their Context (engine/context.py), select/ignore and severity
overrides apply here, fingerprints, suppressions and baselines in filter/.
"""

from __future__ import annotations

import traceback
from typing import Optional

from ..filter.fingerprint import assign_fingerprints, lines_under
from ..filter.suppress import apply_filters
from ..findings import LEVEL_ORDER, Finding, Secret
from ..model.compat import root_version_properties
from ..model.syntax import Repo
from ..options import Options
from ..redact import describe_exception
from ..registry import Rule, Violation, all_rules, matches
from ..scan.gc_pause import gc_paused
from ..scan.repository import discover_scan, repo_from
from .context import Context
from .result import Result
from .resultcache import entry_for


# ---- rules --------------------------------------------------------------------


def active_rules(options: Options) -> list[Rule]:
    chosen = []
    for rule in all_rules():
        required = options.require_reasons and rule.id == "IACM002"  # its own switch, whatever select says
        if options.select and not required:
            if not matches(rule.id, options.select):
                continue
            if not rule.enabled_by_default and rule.id not in options.select:
                continue
        elif not rule.enabled_by_default and not required:
            continue
        if options.ignore and matches(rule.id, options.ignore):
            continue
        if options.severity.get(rule.id) == "off":
            continue
        chosen.append(rule)
    return chosen


def _subjects(scope: str, repo: Repo, ctx: Context):
    if scope == "file":
        return [f for f in repo.hcl_files if f.path not in repo.ignored_paths]
    if scope == "yaml":
        return [f for f in repo.yaml_files if f.path not in repo.ignored_paths]
    if scope == "module":
        return list(repo.modules.values())
    if scope == "root":
        return list(repo.roots)
    if scope == "repo":
        return [repo]
    if scope == "pipeline":
        return ctx.pipelines()
    raise ValueError(scope)


def run(paths: list[str], options: Optional[Options] = None) -> Result:
    options = options or Options()
    with gc_paused():
        found = discover_scan(paths, options)
        entry = None
        if options.result_cache and found.cache_home is not None:
            entry = entry_for(paths, found, options)  # None: the state cannot be trusted (a file changing now)
            cached = entry.load() if entry is not None else None
            if cached is not None:
                return cached
        result = check_repo(repo_from(found, options), options)
        if entry is not None and not result.internal_errors:
            entry.save(result)
        return result


def check_repo(repo: Repo, options: Options) -> Result:
    ctx = Context(repo, options)
    rules = active_rules(options)
    # Secret rules that are switched off still run, unreported: the secrets
    # they find must not enter the fingerprints of the other rules' findings.
    unreported_rules = [rule for rule in all_rules() if rule.reports_secrets and rule not in rules]
    findings: list[Finding] = []
    unreported: list[Finding] = []
    errors: list[str] = []
    subjects_by_scope: dict[str, list] = {}  # each scope's subjects, listed once for all its rules
    for rule in rules + unreported_rules:
        reported = rule in rules
        subjects = subjects_by_scope.get(rule.scope)
        if subjects is None:
            subjects = subjects_by_scope[rule.scope] = _subjects(rule.scope, repo, ctx)
        for subject in subjects:
            try:
                for violation in rule.func(subject, ctx):
                    (findings if reported else unreported).append(_finding(rule, violation, options))
            except Exception as exc:  # noqa: BLE001 - one broken rule must not lose the others' findings
                if not reported:
                    continue  # a rule the user switched off reports nothing, not even its crash
                where = getattr(subject, "path", None) or getattr(subject, "directory", None) or repo.root
                errors.append(f"{rule.id} crashed on {where}: {describe_exception(exc)}")  # never the text: it may quote a value
                if options.verbose:
                    errors.append(traceback.format_exc())
    findings = _dedupe(findings)
    findings = _assign_fingerprints(findings, repo, [f.secret for f in unreported if f.secret is not None])
    findings = _apply_filters(findings, repo, rules, options)
    findings.sort(key=lambda f: f.sort_key)
    properties = {"engines": {root.directory: {"engine": choice.engine, "reason": choice.reason}
                              for root in repo.roots for choice in [ctx.engine_for(root)]},
                  "state": ctx.state}
    properties["versions"] = root_version_properties(repo)  # per root: supported releases per engine that accept it
    if repo.stats:
        properties["stats"] = repo.stats
    return Result(findings, rules, repo.root, repo, properties, errors)


def _finding(rule: Rule, violation: Violation, options: Options) -> Finding:
    level = options.severity.get(rule.id) or violation.level or rule.level
    secret = violation.secret
    if secret is None and rule.reports_secrets:  # a secret rule that did not say where: hide all it points at
        secret = Secret(violation.span, "secret")
    return Finding(rule.id, rule.name, level, violation.message, violation.span, violation.related,
                   properties=(("fingerprint_key", violation.fingerprint_key),) if violation.fingerprint_key else (),
                   secret=secret)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for finding in findings:
        key = (finding.rule_id, finding.span, finding.message)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out


def _assign_fingerprints(findings: list[Finding], repo: Repo, secrets: list[Secret]) -> list[Finding]:
    return list(assign_fingerprints(findings, lines_under(repo.root), secrets=secrets))


def _apply_filters(findings: list[Finding], repo: Repo, rules: list[Rule], options: Options) -> list[Finding]:
    """per-file-ignores -> inline suppressions (+ IACM001/IACM002) -> baseline."""
    return apply_filters(findings, repo, rules, options)


def exit_code(result: Result, fail_on: str) -> int:
    if result.internal_errors:
        return 2
    if fail_on == "never":
        return 0
    threshold = LEVEL_ORDER[fail_on]
    failing = any(LEVEL_ORDER[f.level] >= threshold for f in result.findings
                  if f.suppressed is None and f.baseline_state != "unchanged")
    return 1 if failing else 0
