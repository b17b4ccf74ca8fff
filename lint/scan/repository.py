"""Building the Repo the rules read from what discovery found
(discover.py): parse the files (pool.py, with the parse cache), group them
into modules and roots, and record what the model needs from outside the
files: git's work tree and remotes, and the pipeline YAML inside
`harness_platform_pipeline` heredocs (parsed here, not while rules run)."""

from __future__ import annotations

from typing import Any, Optional

from ..cachedir import UserCache
from ..errors import EnvironmentProblem
from ..model.harness_config import pipeline_resources
from ..model.syntax import YAML, HclFile, Repo, YamlFile
from ..options import Options
from ..parse.heredoc import heredoc_yaml
from . import discover
from .discover import Discovered, discover_scan
from .gitinfo import GitView, find_toplevel, remote_urls
from .stats import file_stats
from .terragrunt import attach_terragrunt


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
    not_terragrunt = attach_terragrunt(repo, walked, options)
    repo.heredoc_yaml = _heredoc_yaml(repo)
    if not_terragrunt:  # `*.hcl` files of other tools count as never parsed
        kept = [(job, model) for job, model in zip(parse_jobs, models, strict=True) if job[1] not in not_terragrunt]
        parse_jobs, models = [job for job, _ in kept], [model for _, model in kept]
    repo.stats = file_stats(walked, parse_jobs, models, repo.ignored_paths)
    return repo


_PARSER_CHECKED = False


def _require_usable_parser() -> None:
    global _PARSER_CHECKED
    if not _PARSER_CHECKED:
        from ..parse.envcheck import hcl2_problem  # importlib.metadata loads only when HCL is parsed

        problem = hcl2_problem()
        if problem:
            raise EnvironmentProblem(problem)
        _PARSER_CHECKED = True


def _parse_all(jobs: list[tuple[str, str, str]], options: Options, home: Optional[UserCache],
               notes: list[str]) -> list[Any]:
    from .pool import parse_all  # multiprocessing loads only when something is parsed

    return parse_all(jobs, options, home, notes)


def _attach_git(repo: Repo, walked: discover.Walk, view: Optional[GitView]) -> None:
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
