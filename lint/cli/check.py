"""What `iacm-lint check` does once click has parsed its options
(commands.py): check the rule IDs and formats asked for, build the scan
Options (arguments.py), run the engine with a progress bar, write the
baseline and the outputs, and exit with the status `--fail-on` asks for."""

from __future__ import annotations

import sys
from typing import Optional

import click

from ..engine import Result, exit_code, run
from ..engine.result import FixCount
from ..filter.suppress import apply_baseline, baseline_entries, write_baseline
from ..options import Options
from ..output import write_file, write_stdout
from ..parse.limits import parse_size
from ..registry import all_rules
from ..report import FORMATS, ReportOptions, plural, render, use_color
from ..sanitise import printable, shown, terminal_lines
from . import progress
from .arguments import existing_paths, fail, one_config_choice, options_with_config


def run_check(paths: tuple[str, ...], formats: tuple[str, ...], output: Optional[str], engine: str, state: str,
              select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str, jobs: Optional[int], no_cache: bool,
              quiet: bool, verbose: bool, no_color: bool, config_file: Optional[str], no_config: bool,
              baseline: Optional[str], write_baseline: Optional[str], max_file_size: Optional[str] = None,
              show_stats: bool = False, fix: Optional[bool] = None,
              unsafe_fixes: Optional[bool] = None, diff: bool = False) -> None:
    """`iacm-lint check` after click parsed its options (commands.py)."""
    import atexit
    import gc

    atexit.register(gc.freeze)  # issue 10: the exit-time collection over the whole model took ~1 s on 1,700 files
    scanned = existing_paths(paths)
    one_config_choice(config_file, no_config)
    if diff and (formats or output or write_baseline):
        raise click.UsageError("--diff prints a diff and writes nothing; it takes no --format, -o or --write-baseline")
    outputs = _parse_formats(formats, output)
    limits = {}
    if max_file_size is not None:
        try:
            limits["max_file_bytes"] = parse_size(max_file_size)
        except ValueError as exc:
            raise click.BadParameter(f"'{shown(max_file_size)}' {exc}", param_hint="--max-file-size") from None
    given = dict(engine=engine, state=state, select=_split_ids(select, "--select"),
                 ignore=_split_ids(ignore, "--ignore"), baseline=baseline, fix=fix, unsafe_fixes=unsafe_fixes)
    try:
        options = options_with_config(scanned, config_file, no_config, given, jobs=jobs, cache=not no_cache,
                                      verbose=verbose, result_cache=not no_cache, **limits)
        if write_baseline:
            options.baseline = None  # the file is being (re)written, it need not exist yet
        if diff:
            _print_diff(scanned, options, quiet, verbose)
        fixed = _apply_fixes(scanned, options, quiet, text_to_stdout=("text", None) in outputs) if options.fix else None
        result = _run_with_progress(scanned, options)
        if fixed is not None:
            result.fixed, errors = fixed
            result.internal_errors.extend(errors)
        if write_baseline:
            _write_baseline(result, write_baseline)
        _write_outputs(result, outputs, no_color, quiet)
    except Exception as exc:  # noqa: BLE001 - one line on stderr and exit 2, the traceback only with --verbose
        fail(exc, verbose)
    if verbose:  # notes name the repository's files: printable, no terminal escapes
        for note in result.repo.notes:
            click.echo(f"iacm-lint: {printable(note)}", err=True)
    for error in result.internal_errors:
        click.echo(f"iacm-lint: internal error: {printable(error, line_breaks=verbose)}", err=True)
    if show_stats:
        import json

        click.echo(json.dumps(result.stats or {}, sort_keys=True), err=True)
    sys.exit(exit_code(result, fail_on))


def _print_diff(paths: list[str], options: Options, quiet: bool, verbose: bool) -> None:
    """`--diff`: the unified diff of what --fix would write (secrets masked),
    then exit 1 when it would change something, 0 when not, 2 on an internal error."""
    from ..engine.fixes import fix_scan, unified_diff

    state = fix_scan(paths, options)
    text = unified_diff(state)
    write_stdout(terminal_lines(text) if sys.stdout is not None and sys.stdout.isatty() else text)
    _warn(state.warnings, state.notes)
    for error in state.errors:
        click.echo(f"iacm-lint: internal error: {printable(error, line_breaks=verbose)}", err=True)
    count = state.count
    if not quiet:
        click.echo(f"iacm-lint: --fix would fix {plural(count.findings, 'finding')} in {plural(count.files, 'file')}",
                   err=True)
    sys.exit(2 if state.errors else 1 if count.files else 0)


def _apply_fixes(paths: list[str], options: Options, quiet: bool,
                 text_to_stdout: bool) -> tuple[FixCount, list[str]]:
    """`--fix`: write the fixes; (what was fixed, the internal errors) for
    the report of what remains."""
    from ..engine.fixes import fix_scan, write_fixes

    state = fix_scan(paths, options)
    unwritten = write_fixes(state)
    _warn(state.warnings + list(unwritten.values()), state.notes)
    fixed = FixCount(sum(1 for f in state.fixed if f.fix is not None and not set(f.fix.paths) & set(unwritten)),
                     sum(1 for change in state.changed_files if change.path not in unwritten))
    if not quiet and not text_to_stdout:  # the text summary says it
        click.echo(f"iacm-lint: fixed {plural(fixed.findings, 'finding')} in {plural(fixed.files, 'file')}", err=True)
    return fixed, state.errors


def _warn(warnings: list[str], notes: list[str]) -> None:
    for warning in warnings:  # they name the repository's files: printable
        click.echo(f"iacm-lint: warning: {printable(warning)}", err=True)
    for note in notes:
        click.echo(f"iacm-lint: note: {printable(note)}", err=True)


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


def _write_baseline(result: Result, path: str) -> None:
    """Record the findings, then treat them as baselined so this run passes."""
    count = write_baseline(path, result.findings)
    result.findings = apply_baseline(result.findings, frozenset((e["rule"], e["fingerprint"])
                                                                for e in baseline_entries(result.findings)))
    click.echo(f"iacm-lint: wrote {count} finding{'s' if count != 1 else ''} to baseline {path}", err=True)


def _run_with_progress(paths: list[str], options: Options) -> Result:
    if not progress.wanted(sys.stderr):
        return run(paths, options)
    bar = progress.ProgressBar(sys.stderr)
    options.progress = bar
    try:
        return run(paths, options)
    finally:
        bar.close()


def _write_outputs(result: Result, outputs: list[tuple[str, Optional[str]]], no_color: bool, quiet: bool) -> None:
    for name, target in outputs:
        color = target is None and use_color(sys.stdout, no_color)
        text = render(name, result, ReportOptions(color=color, quiet=quiet))
        if target is None:
            write_stdout(text)
        else:
            write_file(target, text)
