"""What `check` and `report` share once click has parsed their options:
the paths to scan (for `check`, a file is scanned with its project:
`scan_targets`), the command line laid over the configuration file as
scan Options, and the one-line failure (exit 2) for what the user must fix."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn, Optional

import click
from click.core import ParameterSource

from ..errors import EnvironmentProblem
from ..filter.config import ConfigError, config_for, find_config, options_from_config
from ..options import Options
from ..output import OutputError
from ..redact import describe_exception
from ..sanitise import printable
from ..scan.gitinfo import find_toplevel


def existing_paths(given: Iterable[str]) -> list[str]:
    """The paths to scan (default "."); a missing one is a usage error (exit 2)."""
    paths = list(given) or ["."]
    for path in paths:
        if not os.path.exists(path) and not os.path.islink(path):
            click.echo(f"iacm-lint: path does not exist: {path}", err=True)
            sys.exit(2)
    return paths


@dataclass(frozen=True)
class Targets:
    """What a `check` scans (`scan`, given to the engine) and what it reports
    (`only`: absolute paths of the files and directories named; None: all)."""

    scan: list[str]
    only: Optional[tuple[str, ...]] = None


def scan_targets(paths: list[str], config_file: Optional[str], no_config: bool) -> Targets:
    """Directories are scanned as they are. Once a file is named (an editor,
    pre-commit or `git diff --name-only | xargs` passes files), every path
    is replaced by its project: the directory of the configuration file that
    applies (the nearest `.iacm-lint.yaml` or `pyproject.toml` with
    `[tool.iacm-lint]` upwards, or `--config FILE`) when that lies between
    the path and the top of its git work tree; else that top; outside git,
    the path's own directory. So a file is judged in its module's context
    (the directory's other files) and its root as a scan of the repository
    judges it (callers, pipelines, workspaces, pin files), with the same
    root names and paths; only the findings located in the named paths are
    reported. Like ruff, the nearest config marks the project; like tflint
    with `--filter`, the module around the file is read."""
    if all(os.path.isdir(path) for path in paths):
        return Targets(list(paths))
    config = _config_directory(paths[0], config_file, no_config)
    named = [_named(path) for path in paths]
    projects = sorted({_project(path, config) for path in named})
    outermost = [p for p in projects if not any(p != q and _inside(p, q) for q in projects)]
    return Targets(outermost, tuple(named))


def _named(path: str) -> str:
    """The absolute path of a named file or directory, its directories
    resolved (a link's own name kept: that is the name the scan sees)."""
    absolute = os.path.abspath(path)
    if os.path.isdir(absolute):
        return os.path.realpath(absolute)
    return os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))


def _config_directory(first: str, config_file: Optional[str], no_config: bool) -> Optional[str]:
    if no_config:
        return None
    found = os.path.abspath(config_file) if config_file else find_config(first)
    return os.path.realpath(os.path.dirname(found)) if found else None


def _project(path: str, config_directory: Optional[str]) -> str:
    directory = path if os.path.isdir(path) else os.path.dirname(path)
    top = find_toplevel(directory)
    if config_directory is not None and _inside(directory, config_directory) and (
            top is None or _inside(config_directory, top)):
        return config_directory
    return top or directory


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def one_config_choice(config_file: Optional[str], no_config: bool) -> None:
    if config_file and no_config:
        raise click.UsageError("--config and --no-config exclude each other")


def options_with_config(paths: list[str], config_file: Optional[str], no_config: bool, given: dict[str, Any],
                        **fixed: Any) -> Options:
    """Options from the config file, with the options given on the command
    line (not left at their defaults) laid over them."""
    config = None if no_config else config_for(paths[0], config_file)
    fields = dict(options_from_config(config, paths), config_file=config.path) if config else {}
    ctx = click.get_current_context()
    for name, value in given.items():
        if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None):
            fields[name] = value
    return Options(**{**fields, **fixed})


def fail(exc: Exception, verbose: bool) -> NoReturn:
    """A config, output or internal error as one line on stderr, exit 2
    (with --verbose an internal error's traceback comes first)."""
    # EnvironmentProblem: bc-python-hcl2 (checkov) shadows python-hcl2
    if isinstance(exc, (ConfigError, EnvironmentProblem, OutputError)):
        click.echo(f"iacm-lint: {printable(str(exc))}", err=True)  # a config key or path may hold a line break
        sys.exit(2)
    if verbose and sys.stderr is not None:
        import traceback

        traceback.print_exception(exc)
    # never the exception's text: it may quote a secret
    click.echo(f"iacm-lint: internal error: {describe_exception(exc)}", err=True)
    sys.exit(2)
