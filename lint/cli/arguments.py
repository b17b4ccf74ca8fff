"""What `check` and `report` share once click has parsed their options:
the paths to scan, the command line laid over the configuration file as
scan Options, and the one-line failure (exit 2) for what the user must fix."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any, NoReturn, Optional

import click
from click.core import ParameterSource

from ..errors import EnvironmentProblem
from ..filter.config import ConfigError, config_for, options_from_config
from ..options import Options
from ..output import OutputError
from ..redact import describe_exception
from ..sanitise import printable


def existing_paths(given: Iterable[str]) -> list[str]:
    """The paths to scan (default "."); a missing one is a usage error (exit 2)."""
    paths = list(given) or ["."]
    for path in paths:
        if not os.path.exists(path) and not os.path.islink(path):
            click.echo(f"iacm-lint: path does not exist: {path}", err=True)
            sys.exit(2)
    return paths


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
