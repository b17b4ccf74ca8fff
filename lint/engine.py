"""The engine: discover -> parse -> model -> rules -> findings.

`run(paths, options)` is the one entry point the CLI, the report command and
tests use. Rules are iterated by scope; filters (select/ignore, severity
overrides) apply here, suppressions and baselines in `suppress.py`.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any, Optional

from .findings import LEVEL_ORDER, Finding, Secret
from .model.engine_choice import EngineChoice, resolve_engine
from .model.syntax import Repo, RootModule
from .options import Options
from .registry import Rule, Violation, all_rules, matches
from .scan.gc_pause import gc_paused
from .scan.repository import discover_scan, repo_from


@dataclass
class Result:
    findings: list[Finding]
    rules: list[Rule]  # the rules that ran
    root: str  # absolute scan root
    repo: Repo
    properties: dict[str, Any] = field(default_factory=dict)
    internal_errors: list[str] = field(default_factory=list)
    checked: Optional[int] = None  # files checked, for a result loaded from the result cache (its repo is a stub)

    @property
    def stats(self) -> Optional[dict]:
        """File accounting (lint/stats.py); None for a repo not built by build_repo."""
        return self.properties.get("stats")

    @property
    def files_checked(self) -> int:
        if self.checked is not None:
            return self.checked
        return len(self.repo.hcl_files) + len(self.repo.yaml_files)


class Context:
    """What rules may ask beyond their subject."""

    def __init__(self, repo: Repo, options: Options):
        self.repo = repo
        self.options = options
        self._engines: dict[str, EngineChoice] = {}
        self._pipelines: Optional[list] = None
        self.state = options.state if options.state != "auto" else ("existing" if _any_root_declares_backend(repo) else "auto")

    def engine_for(self, root: RootModule) -> EngineChoice:
        choice = self._engines.get(root.directory)
        if choice is None:
            choice = self._engines[root.directory] = resolve_engine(self.repo, root, self.options.engine)
        return choice

    def root_for_directory(self, directory: str) -> Optional[RootModule]:
        return next((r for r in self.repo.roots if r.directory == directory), None)

    def pipelines(self) -> list:
        """The scan's Harness pipelines (lint/pipeline.py), built once; the
        subjects of "pipeline" scope rules."""
        if self._pipelines is None:
            from .model.pipeline import build_pipelines

            self._pipelines = build_pipelines(self.repo)
        return self._pipelines


def _any_root_declares_backend(repo: Repo) -> bool:
    return any(block.child("backend") is not None or block.child("cloud") is not None
               for root in repo.roots for block in root.module.terraform_blocks())


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
            from .resultcache import entry_for

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
                from .redact import describe_exception  # the exception's text may quote a scanned value

                errors.append(f"{rule.id} crashed on {where}: {describe_exception(exc)}")
                if options.verbose:
                    errors.append(traceback.format_exc())
    findings = _dedupe(findings)
    findings = _assign_fingerprints(findings, repo, [f.secret for f in unreported if f.secret is not None])
    findings = _apply_filters(findings, repo, rules, options)
    findings.sort(key=lambda f: f.sort_key)
    properties = {"engines": {root.directory: {"engine": choice.engine, "reason": choice.reason}
                              for root in repo.roots for choice in [ctx.engine_for(root)]},
                  "state": ctx.state}
    from .model.compat import root_version_properties  # per root: supported releases per engine that accept it

    properties["versions"] = root_version_properties(repo)
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
    from .filter.fingerprint import assign_fingerprints, lines_under

    return list(assign_fingerprints(findings, lines_under(repo.root), secrets=secrets))


def _apply_filters(findings: list[Finding], repo: Repo, rules: list[Rule], options: Options) -> list[Finding]:
    """per-file-ignores -> inline suppressions (+ IACM001/IACM002) -> baseline."""
    from .filter.suppress import apply_filters

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
