"""The `iacm-lint` command: parse options, call the engine, pick a reporter.
Nothing else lives here."""

from __future__ import annotations

import os
import sys
from typing import Optional

import click

from .. import __version__
from ..filter.config import ConfigError, shown
from ..options import Options
from ..engine import exit_code, run
from ..registry import all_rules, get_rule

LEVEL_CHOICES = ("error", "warning", "note", "never")
MAX_JOBS = 256  # more parser processes than this only costs memory


def _split_ids(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    ids = tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())
    if values and not ids:  # `--select ''` would otherwise select every rule
        raise click.BadParameter(f"'{shown(','.join(values))}' names no rule; give rule IDs or prefixes such as "
                                 "IACM1 (see `iacm-lint rules`)", param_hint=option)
    if not ids:
        return ids  # no rule module imported: a cached scan never needs them
    known = {r.id for r in all_rules()}
    for rule_id in ids:
        if not any(k.startswith(rule_id) for k in known):
            raise click.BadParameter(f"'{shown(rule_id)}' matches no rule ID (see `iacm-lint rules`)",
                                     param_hint=option)
    return ids


def _parse_formats(formats: tuple[str, ...], output: Optional[str]) -> list[tuple[str, Optional[str]]]:
    """`--format sarif:out.sarif` writes to a file; plain `--format x` to -o or stdout."""
    from ..report import FORMATS

    chosen: list[tuple[str, Optional[str]]] = []
    for spec in formats or ("text",):
        name, _, target = spec.partition(":")
        if name not in FORMATS:
            raise click.BadParameter(f"unknown format '{shown(name)}'; choose from {', '.join(FORMATS)}",
                                     param_hint="--format")
        chosen.append((name, target or None))
    to_stdout = [c for c in chosen if c[1] is None]
    if len(to_stdout) > 1:
        raise click.BadParameter("only one --format may go to standard output; give the others a file (FMT:FILE)",
                                 param_hint="--format")
    if output:
        if not to_stdout:
            raise click.BadParameter("-o applies to a --format without :FILE", param_hint="-o")
        chosen = [(n, t if t else output) for n, t in chosen]
    return chosen


CONFIG_OPTION = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), default=None,
    help="config file to trust, anywhere (default: nearest .iacm-lint.yaml or pyproject.toml [tool.iacm-lint] "
         "upwards, which must be a regular file, not a link)")
NO_CONFIG_OPTION = click.option(
    "--no-config", is_flag=True,
    help="ignore any configuration file in the repository (CI on untrusted pull requests)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="iacm-lint")
def main() -> None:
    """Check Terraform/OpenTofu repositories and Harness pipelines for
    everything that blocks onboarding to Harness IaCM."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "formats", multiple=True, metavar="FMT[:FILE]",
              help="text|sarif|json|gcc|github|markdown; repeatable as FMT:FILE")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write the output to FILE")
@click.option("--engine", type=click.Choice(["auto", "opentofu", "terraform"]), default="auto", show_default=True)
@click.option("--state", type=click.Choice(["auto", "existing", "managed"]), default="auto", show_default=True)
@click.option("--select", multiple=True, metavar="IDS", help="rule IDs or prefixes, comma separated")
@click.option("--ignore", multiple=True, metavar="IDS", help="rule IDs or prefixes, comma separated")
@click.option("--fail-on", type=click.Choice(LEVEL_CHOICES), default="error", show_default=True)
@click.option("--jobs", type=click.IntRange(min=1, max=MAX_JOBS), default=None,
              help=f"parallel parsers, at most {MAX_JOBS} (default: CPU count)")
@click.option("--no-cache", is_flag=True, help="do not read or write the parse and result caches")
@click.option("--quiet", "-q", is_flag=True, help="print findings only, no summary")
@click.option("--verbose", "-v", is_flag=True, help="print notes about skipped files and tracebacks")
@click.option("--no-color", is_flag=True, help="never colour the output (NO_COLOR is honoured too)")
@CONFIG_OPTION
@NO_CONFIG_OPTION
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="hide findings recorded in this baseline file")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
              help="record the current findings in this baseline file")
@click.option("--max-file-size", "max_file_size", metavar="SIZE", default=None,
              help="larger files get IACM000 instead of being parsed, e.g. 10MB, 512KB, 2000000 (default 10MB)")
@click.option("--stats", "show_stats", is_flag=True, help="print the file accounting as JSON on standard error")
def check(paths, formats, output, engine, state, select, ignore, fail_on, jobs, no_cache, quiet, verbose, no_color,
          config_file, no_config, baseline, write_baseline, max_file_size=None, show_stats=False):
    """Check PATHS (default: the current directory)."""
    import atexit
    import gc

    atexit.register(gc.freeze)  # issue 10: the exit-time collection over the whole model took ~1 s on 1,700 files
    paths = _existing_paths(paths)
    _one_config_choice(config_file, no_config)
    outputs = _parse_formats(formats, output)
    limits = {}
    if max_file_size is not None:
        from ..parse.limits import parse_size

        try:
            limits["max_file_bytes"] = parse_size(max_file_size)
        except ValueError as exc:
            raise click.BadParameter(f"'{shown(max_file_size)}' {exc}", param_hint="--max-file-size")
    given = dict(engine=engine, state=state, select=_split_ids(select, "--select"),
                 ignore=_split_ids(ignore, "--ignore"), baseline=baseline)
    try:
        options = _options_with_config(paths, config_file, no_config, given, jobs=jobs, cache=not no_cache,
                                       verbose=verbose, result_cache=not no_cache, **limits)
        if write_baseline:
            options.baseline = None  # the file is being (re)written, it need not exist yet
        result = _run_with_progress(paths, options)
        if write_baseline:
            _write_baseline(result, write_baseline)
        _write_outputs(result, outputs, no_color, quiet)
    except Exception as exc:  # noqa: BLE001 - one line on stderr and exit 2, the traceback only with --verbose
        _fail(exc, verbose)
    from ..sanitise import printable  # notes name the repository's files: no terminal escapes

    if verbose:
        for note in result.repo.notes:
            click.echo(f"iacm-lint: {printable(note)}", err=True)
    for error in result.internal_errors:
        click.echo(f"iacm-lint: internal error: {printable(error, line_breaks=verbose)}", err=True)
    if show_stats:
        import json

        click.echo(json.dumps(result.stats or {}, sort_keys=True), err=True)
    sys.exit(exit_code(result, fail_on))


def _options_with_config(paths: list[str], config_file: Optional[str], no_config: bool, given: dict,
                         **fixed) -> Options:
    """Options from the config file, with the options given on the command
    line (not left at their defaults) laid over them."""
    from click.core import ParameterSource

    from ..filter.config import config_for, options_from_config

    config = None if no_config else config_for(paths[0], config_file)
    fields = dict(options_from_config(config, paths), config_file=config.path) if config else {}
    ctx = click.get_current_context()
    for name, value in given.items():
        if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None):
            fields[name] = value
    return Options(**{**fields, **fixed})


def _one_config_choice(config_file: Optional[str], no_config: bool) -> None:
    if config_file and no_config:
        raise click.UsageError("--config and --no-config exclude each other")


def _write_baseline(result, path: str) -> None:
    """Record the findings, then treat them as baselined so this run passes."""
    from ..filter.suppress import apply_baseline, baseline_entries, write_baseline

    count = write_baseline(path, result.findings)
    result.findings = apply_baseline(result.findings, frozenset((e["rule"], e["fingerprint"])
                                                                for e in baseline_entries(result.findings)))
    click.echo(f"iacm-lint: wrote {count} finding{'s' if count != 1 else ''} to baseline {path}", err=True)


def _existing_paths(paths) -> list[str]:
    """The paths to scan (default "."); a missing one is a usage error (exit 2)."""
    paths = list(paths) or ["."]
    for path in paths:
        if not os.path.exists(path) and not os.path.islink(path):
            click.echo(f"iacm-lint: path does not exist: {path}", err=True)
            sys.exit(2)
    return paths


def _fail(exc: Exception, verbose: bool) -> None:
    """A config, output or internal error as one line on stderr, exit 2
    (with --verbose an internal error's traceback comes first)."""
    from ..output import OutputError
    from ..scan.repository import EnvironmentProblem  # the scan stage loads only when a scan runs

    # EnvironmentProblem: bc-python-hcl2 (checkov) shadows python-hcl2
    if isinstance(exc, (ConfigError, EnvironmentProblem, OutputError)):
        from ..sanitise import printable  # a config key or path may hold a line break or an escape sequence

        click.echo(f"iacm-lint: {printable(exc)}", err=True)
        sys.exit(2)
    if verbose and sys.stderr is not None:
        import traceback

        traceback.print_exception(exc)
    from ..redact import describe_exception  # never the exception's text: it may quote a scanned secret

    click.echo(f"iacm-lint: internal error: {describe_exception(exc)}", err=True)
    sys.exit(2)


def _run_with_progress(paths, options):
    from . import progress

    if not progress.wanted(sys.stderr):
        return run(paths, options)
    bar = progress.ProgressBar(sys.stderr)
    options.progress = bar
    try:
        return run(paths, options)
    finally:
        bar.close()


def _write_outputs(result, outputs, no_color: bool, quiet: bool) -> None:
    from ..output import write_file, write_stdout
    from ..report import ReportOptions, render, use_color

    for name, target in outputs:
        color = target is None and use_color(sys.stdout, no_color)
        text = render(name, result, ReportOptions(color=color, quiet=quiet))
        if target is None:
            write_stdout(text)
        else:
            write_file(target, text)


@main.command("rules")
@click.option("--format", "format_name", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def list_rules(format_name: str) -> None:
    """List every rule: ID, name, default level and summary."""
    import json

    rules = all_rules()
    if format_name == "json":
        click.echo(json.dumps([{"id": r.id, "name": r.name, "level": r.level, "short": r.short, "tags": list(r.tags),
                                "enabled_by_default": r.enabled_by_default, "help_uri": r.help_uri} for r in rules],
                              indent=2))
    elif format_name == "markdown":
        click.echo("| ID | name | level | summary |\n|---|---|---|---|")
        for r in rules:
            click.echo(f"| [{r.id}](docs/rules/{r.id}.md) | {r.name} | {r.level} | {r.short} |")
    else:
        for r in rules:
            click.echo(f"{r.id}  {r.name:<36} {r.level:<8} {r.short}")


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show the full documentation of RULE_ID (e.g. IACM110)."""
    found = get_rule(rule_id.upper())
    if found is None:
        raise click.UsageError(f"unknown rule '{shown(rule_id)}'; `iacm-lint rules` lists them")
    click.echo(f"{found.id} {found.name} ({found.level})\n\n{found.short}\n\n{found.doc}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "format_name", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write the report to FILE")
@click.option("--engine", type=click.Choice(["auto", "opentofu", "terraform"]), default="auto", show_default=True)
@click.option("--state", type=click.Choice(["auto", "existing", "managed"]), default="auto", show_default=True)
@CONFIG_OPTION
@NO_CONFIG_OPTION
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="leave out findings recorded in this baseline file")
@click.option("--verbose", "-v", is_flag=True, help="show tracebacks of internal errors")
def report(paths, format_name, output, engine, state, config_file, no_config, baseline, verbose):
    """Migration readiness report of PATHS (default: the current directory):
    a verdict per root module, built from the same findings as `check`."""
    from .report import write_report

    paths = _existing_paths(paths)
    _one_config_choice(config_file, no_config)
    given = dict(engine=engine, state=state, baseline=baseline)
    try:
        options = _options_with_config(paths, config_file, no_config, given, verbose=verbose)
        sys.exit(write_report(paths, options, format_name, output))
    except Exception as exc:  # noqa: BLE001 - one line on stderr and exit 2, the traceback only with --verbose
        _fail(exc, verbose)


if __name__ == "__main__":  # pragma: no cover
    main()
