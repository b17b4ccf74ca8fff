"""Checking a Repo: every active rule over the subjects of its scope, with
the scan Context (context.py); then the findings' fingerprints, the
filters (per-file ignores, inline suppressions, the baseline: filter/) and
the run properties reporters print (the engine per root, the releases that
accept it, the file accounting)."""

from __future__ import annotations

import traceback
from typing import Any, Optional

from ..filter.fingerprint import assign_fingerprints, lines_under
from ..filter.named import NamedPaths
from ..filter.suppress import apply_filters
from ..findings import Finding, Secret
from ..model.compat import root_version_entry
from ..model.syntax import Repo, Span
from ..options import Options
from ..redact import describe_exception
from ..registry import Rule, Violation, all_rules, matches
from .context import Context
from .result import Result
from .reuse import RuleMemory

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
        generated = [f for f, _ in repo.terragrunt.generated_files()] if repo.terragrunt is not None else []
        return [f for f in repo.hcl_files if f.path not in repo.ignored_paths] + generated
    if scope == "yaml":
        return [f for f in repo.yaml_files if f.path not in repo.ignored_paths]
    if scope == "module":
        # a Terragrunt unit's working module, with the files Terragrunt generates into it, is one too
        return list(repo.modules.values()) + [root.module for root in repo.roots if root.module.generated]
    if scope == "root":
        # Terragrunt configuration no unit includes is judged once, like a unit (TG-1.6)
        return list(repo.roots) + (list(repo.terragrunt.standalone) if repo.terragrunt is not None else [])
    if scope == "repo":
        return [repo]
    if scope == "pipeline":
        return ctx.pipelines()
    raise ValueError(scope)


def check_repo(repo: Repo, options: Options, memory: Optional[RuleMemory] = None) -> Result:
    """`memory`: what the rules found at the previous check of the same
    Workspace (reuse.py), reused where their inputs did not change."""
    ctx = Context(repo, options)
    if memory is not None:
        memory.carry_file_answers(ctx.memo, repo)
    with ctx.memo.active():  # the model views memoise into this scan's Context, and only while it runs
        return _check(repo, options, ctx, memory)


def _check(repo: Repo, options: Options, ctx: Context, memory: Optional[RuleMemory]) -> Result:
    rules = active_rules(options)
    # Secret rules that are switched off still run, unreported: the secrets
    # they find must not enter the fingerprints of the other rules' findings.
    unreported_rules = [rule for rule in all_rules() if rule.reports_secrets and rule not in rules]
    findings: list[Finding] = []
    unreported: list[Finding] = []
    errors: list[str] = []
    from_units: dict[int, str] = {}  # id of a finding -> the Terragrunt unit it was found for
    unit_subjects = _unit_subjects(repo)
    subjects_by_scope: dict[str, list[Any]] = {}  # each scope's subjects, listed once for all its rules
    reuse = memory.start(repo) if memory is not None else None
    running = rules + unreported_rules
    for number, rule in enumerate(running):
        if options.progress is not None:
            options.progress(number, len(running), "rules")
        reported = rule in rules
        subjects = subjects_by_scope.get(rule.scope)
        if subjects is None:
            subjects = subjects_by_scope[rule.scope] = _subjects(rule.scope, repo, ctx)
        for subject in subjects:
            unit = unit_subjects.get(id(subject))
            try:
                violations = reuse.violations(rule, subject, ctx) if reuse is not None else rule.func(subject, ctx)
                for violation in violations:
                    finding = _finding(rule, violation, options)
                    (findings if reported else unreported).append(finding)
                    if unit is not None:
                        from_units[id(finding)] = unit
            except Exception as exc:  # noqa: BLE001 - one broken rule must not lose the others' findings
                if not reported:
                    continue  # a rule the user switched off reports nothing, not even its crash
                # the Repo: the scan root, named as paths are; never the exception's text: it may quote a value
                where = getattr(subject, "path", None) or getattr(subject, "directory", None) or "."
                errors.append(f"{rule.id} crashed on {where}: {describe_exception(exc)}")
                if options.verbose:
                    errors.append(traceback.format_exc())
    findings = _dedupe(shared_declarations(findings, from_units))
    hidden_secrets = [f.secret for f in unreported if f.secret is not None]
    findings = _assign_fingerprints(findings, repo, hidden_secrets)
    if options.progress is not None:
        options.progress(len(running), len(running), "rules")
    findings = _apply_filters(findings, repo, rules, options)
    findings = [f if f.fix is None or options.may_fix(f.rule_id) else f.with_(fix=None) for f in findings]
    findings.sort(key=lambda f: f.sort_key)
    named = NamedPaths(repo.root, options.only) if options.only is not None else None
    roots = [root for root in repo.roots if named is None or named.touches(root)]
    properties = {"engines": {root.directory: {"engine": choice.engine, "reason": choice.reason}
                              for root in roots for choice in [ctx.engine_for(root)]},
                  "state": ctx.state}
    # per root: supported releases per engine that accept it
    properties["versions"] = {root.directory: reuse.root_answer(root, ctx, "versions", root_version_entry)
                              if reuse is not None else root_version_entry(root) for root in roots}
    if repo.stats:
        properties["stats"] = repo.stats
    if reuse is not None:
        reuse.finish()
    if named is None:
        return Result(findings, rules, repo.root, repo, properties, errors, unreported_secrets=hidden_secrets)
    paths = [file.path for file in repo.hcl_files] + [file.path for file in repo.yaml_files]
    checked = sum(1 for path in paths if named.covers(path))
    return Result([f for f in findings if named.covers(f.span.path)], rules, repo.root, repo, properties, errors,
                  checked=checked, unreported_secrets=hidden_secrets)


def _finding(rule: Rule, violation: Violation, options: Options) -> Finding:
    level = options.severity.get(rule.id) or violation.level or rule.level
    secret = violation.secret
    if secret is None and rule.reports_secrets:  # a secret rule that did not say where: hide all it points at
        secret = Secret(violation.span, "secret")
    return Finding(rule.id, rule.name, level, violation.message, violation.span, violation.related,
                   properties=(("fingerprint_key", violation.fingerprint_key),) if violation.fingerprint_key else (),
                   secret=secret, fix=violation.fix)


def _unit_subjects(repo: Repo) -> dict[int, str]:
    """id of a subject (a unit, a unit's working module) -> the unit's configuration file."""
    found: dict[int, str] = {}
    for root in repo.roots:
        if root.terragrunt is not None:
            found[id(root)] = found[id(root.module)] = root.terragrunt.path
    if repo.terragrunt is not None:
        for hcl_file, unit in repo.terragrunt.generated_files():
            if not unit.standalone:
                found[id(hcl_file)] = unit.path
    return found


def shared_declarations(findings: list[Finding], from_units: dict[int, str]) -> list[Finding]:
    """Findings that several Terragrunt units report at one declaration
    (same rule, same region) become one: the first unit's, in path order,
    naming how many units it affects, with the units as related locations
    (TG-1.6)."""
    groups: dict[tuple[str, object], list[Finding]] = {}
    for finding in findings:
        if id(finding) in from_units:
            groups.setdefault((finding.rule_id, finding.span), []).append(finding)
    out = []
    for finding in findings:
        unit = from_units.get(id(finding))
        if unit is None:
            out.append(finding)
            continue
        group = groups[(finding.rule_id, finding.span)]
        units = sorted({from_units[id(f)] for f in group})
        if len(units) < 2:
            out.append(finding)
            continue
        first = min(group, key=lambda f: from_units[id(f)])
        if finding is not first:
            continue
        related = first.related + tuple((Span.file_start(u), f'unit "{u.rsplit("/", 1)[0] if "/" in u else "."}"')
                                        for u in units)
        out.append(first.with_(message=f"{first.message} (shared by {len(units)} units)", related=related))
    return out


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
