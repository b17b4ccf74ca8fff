"""Building the Repo the rules read from what discovery found
(discover.py): parse the files (pool.py, with the parse cache), group them
into modules and roots, and record what the model needs from outside the
files: git's work tree, its remotes and (when `Options.revision` asks) HEAD's
commit and branch, the pipeline YAML inside `harness_platform_pipeline`
heredocs (parsed with their files by the parse stage, collected here), the
version pin files, and what the hygiene rules need from the disk
(hygiene.py). Rules and model views read the Repo, never the disk."""

from __future__ import annotations

import dataclasses
import functools
import os
from typing import TYPE_CHECKING, Any, Optional, Union

from ..cachedir import UserCache
from ..errors import EnvironmentProblem
from ..model.pins import is_pin_file
from ..model.syntax import MODULE_KINDS, YAML, HclFile, Repo, SourceFile, YamlFile
from ..options import Options
from ..parse.textio import read_regular
from . import discover
from .discover import Discovered, discover_scan
from .gitinfo import GitView, display_remote, find_toplevel, head_revision, remote_urls
from .hygiene import read_on_disk
from .stats import file_stats
from .terragrunt import attach_terragrunt, reattach_terragrunt

if TYPE_CHECKING:
    from .pool import ParseStats

MAX_PIN_FILE_BYTES = 4 * 1024 * 1024  # far above any real pin file; a bigger one is read this far


def build_repo(paths: list[str], options: Options) -> Repo:
    return repo_from(discover_scan(paths, options), options)


def repo_from(found: Discovered, options: Options) -> Repo:
    """Parse what discovery found and group it into modules and roots."""
    walked = found.walked
    repo = Repo(root=found.root)
    repo.notes.extend(found.notes)
    _attach_git(repo, walked, found.git, options)
    parse_jobs = [(abs_path, rel, kind) for abs_path, rel, kind in walked.files
                  if kind in discover.PARSED_KINDS or kind == YAML]
    if any(kind != YAML for _, _, kind in parse_jobs):
        _require_usable_parser()
    models, repo.parse_stats = _parse_all(parse_jobs, options, found.cache_home, repo.notes)
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
    repo.pin_files = _pin_files(repo)
    repo.on_disk = read_on_disk(repo)
    repo.stats = file_stats(walked, parse_jobs, models, repo.ignored_paths)
    return repo


def with_files(repo: Repo, models: dict[str, Optional[Union[HclFile, YamlFile]]], sources: dict[str, str],
               options: Options) -> Repo:
    """A new Repo in which the files named in `models` have those models
    (None: a file that is no model, such as a `.gitignore`) and `sources`
    those texts: what a fix pass made of them (engine/fixes.py). A new path
    is an untracked file; modules, roots and heredoc pipelines are built
    again, and no memo of the old Repo's objects applies to it."""
    hcl_files = {f.path: f for f in repo.hcl_files}
    yaml_files = {f.path: f for f in repo.yaml_files}
    files = {f.path: f for f in repo.files}
    for path, model in models.items():
        hcl_files.pop(path, None)
        yaml_files.pop(path, None)
        if isinstance(model, HclFile):
            hcl_files[path] = model
        elif isinstance(model, YamlFile):
            yaml_files[path] = model
        if path not in files:
            files[path] = SourceFile(path, discover.classify(path.rsplit("/", 1)[-1]), False if repo.in_git else None)
    changed = dataclasses.replace(
        repo, files=[files[p] for p in sorted(files)], hcl_files=[hcl_files[p] for p in sorted(hcl_files)],
        yaml_files=[yaml_files[p] for p in sorted(yaml_files)], modules={}, roots=[], notes=list(repo.notes),
        sources={**repo.sources, **sources})
    discover.build_modules(changed, list(options.roots) if options.roots is not None else None)
    reattach_terragrunt(changed, options)
    changed.heredoc_yaml = _heredoc_yaml(changed)
    return changed


def _require_usable_parser() -> None:
    problem = _parser_problem()
    if problem:
        raise EnvironmentProblem(problem)


@functools.cache
def _parser_problem() -> Optional[str]:
    """What is wrong with the installed python-hcl2, asked once per process:
    the installed packages are the process's, the same for every scan."""
    from ..parse.envcheck import hcl2_problem  # importlib.metadata loads only when HCL is parsed

    return hcl2_problem()


def _parse_all(jobs: list[tuple[str, str, str]], options: Options, home: Optional[UserCache],
               notes: list[str]) -> tuple[list[Any], ParseStats]:
    from .pool import parse_all  # multiprocessing loads only when something is parsed

    return parse_all(jobs, options, home, notes)


def _attach_git(repo: Repo, walked: discover.Walk, view: Optional[GitView], options: Options) -> None:
    if view is None:
        repo.files = discover.source_files(walked, lambda rel: None, frozenset())
        return
    repo.in_git = True
    repo.git_toplevel = find_toplevel(repo.root)
    repo.git_remotes = remote_urls(repo.git_toplevel)
    repo.git_remote = display_remote(repo.git_toplevel)
    if options.revision:
        repo.git_commit, repo.git_branch = head_revision(repo.git_toplevel, repo.notes)
    repo.tracked = frozenset(view.tracked)
    untracked = [rel for _, rel, _ in walked.files if rel not in repo.tracked]
    repo.ignored_paths = frozenset(view.is_ignored(untracked)) if untracked else frozenset()
    repo.files = discover.source_files(walked, view.is_tracked, repo.ignored_paths)


def _pin_files(repo: Repo) -> dict[str, str]:
    """The text of every version pin file the walk found and git does not
    ignore (model/pins.py reads them), size-capped; one that cannot be read
    (or is no regular file by now) is left out."""
    found = {}
    for source in repo.files:
        if source.ignored or not is_pin_file(source.path):
            continue
        try:
            data = read_regular(os.path.join(repo.root, *source.path.split("/")), MAX_PIN_FILE_BYTES)
        except OSError:
            continue
        found[source.path] = data.decode("utf-8", errors="replace")
    return found


def _heredoc_yaml(repo: Repo) -> dict:
    """(path, heredoc span) -> parsed YAML, for every `harness_platform_pipeline`
    `yaml` heredoc of the scan's module files, in path order (the parse
    stage parsed them with their files: parse/heredoc.py)."""
    return {(hcl_file.path, span): parsed for hcl_file in repo.hcl_files
            if hcl_file.kind in MODULE_KINDS and hcl_file.path not in repo.ignored_paths
            for span, parsed in hcl_file.heredoc_yaml}
