"""Checking a Repo: every active rule over the subjects of its scope, with
the scan Context (context.py); then the findings' fingerprints, the
filters (per-file ignores, inline suppressions, the baseline: filter/) and
the run properties reporters print (the engine per root, the releases that
accept it, the file accounting)."""

from __future__ import annotations

import traceback
from typing import Any

from ..filter.fingerprint import assign_fingerprints, lines_under
from ..filter.suppress import apply_filters
from ..findings import Finding, Secret
from ..model.compat import root_version_properties
from ..model.syntax import Repo
from ..options import Options
from ..redact import describe_exception
from ..registry import Rule, Violation, all_rules, matches
from .context import Context
from .result import Result

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


def _subjects(scope: str, repo: Repo, ctx: Context) -> list[Any]:
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


def check_repo(repo: Repo, options: Options) -> Result:
    ctx = Context(repo, options)
    with ctx.memo.active():  # the model views memoise into this scan's Context, and only while it runs
        return _check(repo, options, ctx)


def _check(repo: Repo, options: Options, ctx: Context) -> Result:
    rules = active_rules(options)
    # Secret rules that are switched off still run, unreported: the secrets
    # they find must not enter the fingerprints of the other rules' findings.
    unreported_rules = [rule for rule in all_rules() if rule.reports_secrets and rule not in rules]
    findings: list[Finding] = []
    unreported: list[Finding] = []
    errors: list[str] = []
    subjects_by_scope: dict[str, list[Any]] = {}  # each scope's subjects, listed once for all its rules
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
                # the Repo: the scan root, named as paths are; never the exception's text: it may quote a value
                where = getattr(subject, "path", None) or getattr(subject, "directory", None) or "."
                errors.append(f"{rule.id} crashed on {where}: {describe_exception(exc)}")
                if options.verbose:
                    errors.append(traceback.format_exc())
    findings = _dedupe(findings)
    hidden_secrets = [f.secret for f in unreported if f.secret is not None]
    findings = _assign_fingerprints(findings, repo, hidden_secrets)
    findings = _apply_filters(findings, repo, rules, options)
    findings = [f if f.fix is None or options.may_fix(f.rule_id) else f.with_(fix=None) for f in findings]
    findings.sort(key=lambda f: f.sort_key)
    properties = {"engines": {root.directory: {"engine": choice.engine, "reason": choice.reason}
                              for root in repo.roots for choice in [ctx.engine_for(root)]},
                  "state": ctx.state}
    properties["versions"] = root_version_properties(repo)  # per root: supported releases per engine that accept it
    if repo.stats:
        properties["stats"] = repo.stats
    return Result(findings, rules, repo.root, repo, properties, errors, unreported_secrets=hidden_secrets)


def _finding(rule: Rule, violation: Violation, options: Options) -> Finding:
    level = options.severity.get(rule.id) or violation.level or rule.level
    secret = violation.secret
    if secret is None and rule.reports_secrets:  # a secret rule that did not say where: hide all it points at
        secret = Secret(violation.span, "secret")
    return Finding(rule.id, rule.name, level, violation.message, violation.span, violation.related,
                   properties=(("fingerprint_key", violation.fingerprint_key),) if violation.fingerprint_key else (),
                   secret=secret, fix=violation.fix)


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
    return list(assign_fingerprints(findings, lines_under(repo.root, repo.sources), secrets=secrets))


def _apply_filters(findings: list[Finding], repo: Repo, rules: list[Rule], options: Options) -> list[Finding]:
    """per-file-ignores -> inline suppressions (+ IACM001/IACM002) -> baseline."""
    return apply_filters(findings, repo, rules, options)
