"""The engine: discover -> parse -> model -> rules -> findings.

`run(paths, options)` is the one entry point the CLI, the report command and
tests use. Rules are iterated by scope; filters (select/ignore, severity
overrides) apply here, suppressions and baselines in `suppress.py`.
"""

from __future__ import annotations

import gc
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from . import discover
from .findings import LEVEL_ORDER, Finding, Secret
from .gitinfo import find_toplevel, remote_urls
from .model.engine_choice import EngineChoice, resolve_engine
from .model.harness_config import pipeline_resources
from .model.syntax import YAML, HclFile, Repo, RootModule, YamlFile
from .parse.heredoc import heredoc_yaml
from .registry import Rule, Violation, all_rules, matches
from .parse.textio import DEFAULT_MAX_BYTES


@dataclass
class Options:
    engine: str = "auto"  # auto | opentofu | terraform
    state: str = "auto"  # auto | existing | managed
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|note|off
    roots: Optional[tuple[str, ...]] = None
    exclude: Callable[[str], bool] | None = None
    jobs: Optional[int] = None
    cache: bool = True
    max_file_bytes: int = DEFAULT_MAX_BYTES
    verbose: bool = False
    per_file_ignores: tuple = ()  # ((path matcher, rule IDs/prefixes), ...), from the config file
    require_reasons: bool = False  # config `require-reasons: true` turns on IACM002
    baseline: Optional[str] = None  # baseline file: findings recorded in it get baseline_state "unchanged"
    progress: Optional[Callable[[int, int], None]] = None  # (files parsed, files to parse), for the CLI's progress bar
    config_file: Optional[str] = None  # the config file these options came from (its bytes decide exclude/per-file-ignores)
    result_cache: bool = False  # answer an unchanged scan from lint/resultcache.py (needs `cache`); the Result's repo is then a stub


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


@dataclass
class Discovered:
    """What discovery found before anything is parsed: the walk and git's view."""

    root: str  # absolute scan root
    walked: discover.Walk
    git: Any  # gitinfo.GitView, or None outside git
    notes: list[str]
    started_ns: int  # wall clock before the walk (the result cache's racy-file guard)
    cache_home: Any = None  # cache.UserCache: the caches' directory for this scan; None: --no-cache or none usable


def discover_scan(paths: list[str], options: Options) -> Discovered:
    import time

    from .gitinfo import git_view

    started_ns = time.time_ns()
    root = discover.scan_root(paths)
    walked = discover.walk(paths, root, options.exclude)
    notes = list(walked.notes)
    home = None
    if options.cache:
        from .cachedir import user_cache  # never a directory inside the scanned tree (issue 25)

        home = user_cache(root, notes)
    return Discovered(root, walked, git_view(root, notes), notes, started_ns, home)


def build_repo(paths: list[str], options: Options) -> Repo:
    return repo_from(discover_scan(paths, options), options)


def repo_from(found: Discovered, options: Options) -> Repo:
    """Parse what discovery found and group it into modules and roots."""
    walked = found.walked
    repo = Repo(root=found.root)
    repo.notes.extend(found.notes)
    _attach_git(repo, walked, found.git)
    parse_jobs = [(abs_path, rel, kind) for abs_path, rel, kind in walked.files
                  if kind in discover.PARSED_KINDS or kind == YAML]
    if any(kind != YAML for _, _, kind in parse_jobs):
        _require_usable_parser()
    models = _parse_all(parse_jobs, options, found.cache_home, repo.notes)
    for parsed in models:
        if isinstance(parsed, HclFile):
            repo.hcl_files.append(parsed)
        elif isinstance(parsed, YamlFile):
            repo.yaml_files.append(parsed)
    for rel, error in walked.unreadable:
        repo.hcl_files.append(HclFile(rel, "unreadable", error=error))
    repo.hcl_files.sort(key=lambda f: f.path)
    repo.yaml_files.sort(key=lambda f: f.path)
    discover.build_modules(repo, list(options.roots) if options.roots is not None else None)
    repo.heredoc_yaml = _heredoc_yaml(repo)
    from .stats import file_stats  # every walked file in one bucket: checked, unparsable, unreadable, skipped

    repo.stats = file_stats(walked, parse_jobs, models, repo.ignored_paths)
    return repo


class EnvironmentProblem(Exception):
    """The importable `hcl2` package is not the python-hcl2 the parser needs
    (parse/envcheck.py: bc-python-hcl2 from checkov installed over it)."""


_PARSER_CHECKED = False


def _require_usable_parser() -> None:
    global _PARSER_CHECKED
    if not _PARSER_CHECKED:
        from .parse.envcheck import hcl2_problem

        problem = hcl2_problem()
        if problem:
            raise EnvironmentProblem(problem)
        _PARSER_CHECKED = True


def _parse_all(jobs: list[tuple[str, str, str]], options: Options, home, notes: list[str]):
    from .pool import parse_all  # the cache and the process pool (issue 10)

    return parse_all(jobs, options, home, notes)


def _attach_git(repo: Repo, walked: discover.Walk, view) -> None:
    if view is None:
        repo.files = discover.source_files(walked, lambda rel: None, frozenset())
        return
    repo.in_git = True
    repo.git_toplevel = find_toplevel(repo.root)
    repo.git_remotes = remote_urls(repo.git_toplevel)
    repo.tracked = frozenset(view.tracked)
    untracked = [rel for _, rel, _ in walked.files if rel not in repo.tracked]
    repo.ignored_paths = frozenset(view.is_ignored(untracked)) if untracked else frozenset()
    repo.files = discover.source_files(walked, view.is_tracked, repo.ignored_paths)


def _heredoc_yaml(repo: Repo) -> dict:
    """(path, heredoc span) -> parsed YAML, for every `harness_platform_pipeline`
    `yaml` heredoc of the scan, in path order."""
    found = {}
    for hcl_file, block in pipeline_resources(repo):
        attribute = block.attr("yaml")
        if attribute is None:
            continue
        parsed = heredoc_yaml(hcl_file.path, attribute.expr)
        if parsed is not None:
            found[(hcl_file.path, attribute.expr.span)] = parsed
    return found


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


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector (refcounting still frees memory).
    A scan allocates hundreds of thousands of long-lived, acyclic model
    objects; the collector's passes over them find nothing and took more
    than half of a warm scan's parse phase and a quarter of its rule phase."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Promote what the scan allocated to the oldest generation without a
            # pass over it (freeze + unfreeze); otherwise the next allocation
            # after enable() walks all of it. Nothing becomes uncollectable.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


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
    from .fingerprint import assign_fingerprints, lines_under

    return list(assign_fingerprints(findings, lines_under(repo.root), secrets=secrets))


def _apply_filters(findings: list[Finding], repo: Repo, rules: list[Rule], options: Options) -> list[Finding]:
    """per-file-ignores -> inline suppressions (+ IACM001/IACM002) -> baseline."""
    from .suppress import apply_filters

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
