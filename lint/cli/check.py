"""What `iacm-lint check` does once click has parsed its options
(commands.py): check the rule IDs and formats asked for, decide what to
scan (arguments.py: a file is scanned with its project), build the scan
Options, run the engine with a progress bar, write the baseline and the
outputs, and exit with the status `--fail-on` asks for."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

import click

from ..engine import Result, exit_code, run
from ..engine.result import FixCount
from ..filter.suppress import apply_baseline, baseline_entries, write_baseline
from ..options import Options
from ..output import write_file, write_stdout
from ..parse.limits import parse_size
from ..registry import all_rules
from ..report import FORMATS, ReportOptions, plural, render, use_color
from ..report.text import statistics_table
from ..sanitise import printable, shown, terminal_lines
from . import progress
from .arguments import existing_paths, fail, one_config_choice, options_with_config, scan_targets

NOTHING_FOUND_STATUS = 2  # a scan that checked nothing cannot vouch for anything (docs/configuration.md)


@dataclass(frozen=True)
class CheckRequest:
    """The options of `iacm-lint check` as click parsed them."""

    paths: tuple[str, ...]
    formats: tuple[str, ...]
    output: str | None
    engine: str
    state: str
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    fail_on: str
    jobs: int | None
    no_cache: bool
    quiet: bool
    verbose: bool
    statistics: bool
    color: str
    no_color: bool
    config_file: str | None
    no_config: bool
    baseline: str | None
    write_baseline: str | None
    max_file_size: str | None
    max_size: int | None
    show_stats: bool
    fix: bool | None = None
    unsafe_fixes: bool | None = None
    diff: bool = False


def run_check(request: CheckRequest) -> None:
    """`iacm-lint check` after click parsed its options (commands.py)."""
    import atexit
    import gc

    atexit.register(gc.freeze)  # issue 10: the exit-time collection over the whole model took ~1 s on 1,700 files
    paths = existing_paths(request.paths)
    one_config_choice(request.config_file, request.no_config)
    outputs = _parse_formats(request.formats, request.output)
    if request.diff and (request.formats or request.output or request.write_baseline):
        raise click.UsageError("--diff prints a diff and writes nothing; it takes no --format, -o or --write-baseline")
    color = _color_choice(request.color, request.no_color)
    if request.statistics and ("text", None) not in outputs:
        raise click.BadParameter("--statistics prints to standard output in place of the text findings; write the "
                                 "other formats to files (FMT:FILE)", param_hint="--statistics")
    if request.max_size is not None and not any(name == "markdown" for name, _ in outputs):
        raise click.BadParameter("applies to --format markdown only", param_hint="--max-size")
    limits = {}
    if request.max_file_size is not None:
        try:
            limits["max_file_bytes"] = parse_size(request.max_file_size)
        except ValueError as exc:
            raise click.BadParameter(f"'{shown(request.max_file_size)}' {exc}", param_hint="--max-file-size") from None
    given = dict(engine=request.engine, state=request.state, select=_split_ids(request.select, "--select"),
                 ignore=_split_ids(request.ignore, "--ignore"), baseline=request.baseline, fix=request.fix,
                 unsafe_fixes=request.unsafe_fixes)
    try:
        targets = scan_targets(paths, request.config_file, request.no_config)
        options = options_with_config(targets.scan, request.config_file, request.no_config, given, jobs=request.jobs,
                                      cache=not request.no_cache, verbose=request.verbose,
                                      result_cache=not request.no_cache, only=targets.only, **limits)
        if request.write_baseline:
            options.baseline = None  # the file is being (re)written, it need not exist yet
        if request.diff:
            _print_diff(targets.scan, options, request.quiet, request.verbose)
        fixed = (_apply_fixes(targets.scan, options, request.quiet, text_to_stdout=("text", None) in outputs)
                 if options.fix else None)
        result = _run_with_progress(targets.scan, options, show_bar=not request.quiet)
        if fixed is not None:
            result.fixed, errors = fixed
            result.internal_errors.extend(errors)
        if _nothing_found(result, files_named=targets.only is not None):
            _report_nothing_found(paths)
        if request.write_baseline:
            _write_baseline(result, request.write_baseline)
        report_options = ReportOptions(quiet=request.quiet, max_size=request.max_size, fail_on=request.fail_on)
        _write_outputs(result, outputs, report_options, color, request.statistics)
    except Exception as exc:  # noqa: BLE001 - one line on stderr and exit 2, the traceback only with --verbose
        fail(exc, request.verbose)
    if request.verbose:  # notes name the repository's files: printable, no terminal escapes
        for note in result.repo.notes:
            click.echo(f"iacm-lint: {printable(note)}", err=True)
    for error in result.internal_errors:
        click.echo(f"iacm-lint: internal error: {printable(error, line_breaks=request.verbose)}", err=True)
    if request.show_stats:
        import json

        click.echo(json.dumps(result.stats or {}, sort_keys=True), err=True)
    sys.exit(exit_code(result, request.fail_on))


def _color_choice(color: str, no_color: bool) -> str:
    if no_color and color == "always":
        raise click.UsageError("--no-color and --color always exclude each other")
    return "never" if no_color else color


def _nothing_found(result: Result, files_named: bool) -> bool:
    """No Terraform, OpenTofu or pipeline file was checked, and nothing else
    was found either (a committed state file is a finding of its own). When
    files are named, their project counts: a commit that touches only
    `.gitignore` or a pin file (pre-commit with `pass_filenames: true`) is
    checked in a project that has modules, and passes when clean."""
    if result.findings or result.internal_errors:
        return False
    stats = result.stats
    if files_named and stats:
        return stats.get("checked", 0) + stats.get("unparsable", 0) == 0
    return result.files_checked == 0


def _report_nothing_found(paths: list[str]) -> None:
    """An empty or mistyped scan is not a pass: say so and exit 2 whatever
    `--fail-on` says, as for a path that does not exist."""
    named = ", ".join(shown(path, 200) for path in paths)
    click.echo(f"iacm-lint: no Terraform, OpenTofu or pipeline files found under {named}; nothing was checked",
               err=True)
    sys.exit(NOTHING_FOUND_STATUS)


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


def _parse_formats(formats: tuple[str, ...], output: str | None) -> list[tuple[str, str | None]]:
    """`--format sarif:out.sarif` writes to a file; plain `--format x` to -o or stdout."""
    chosen: list[tuple[str, str | None]] = []
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


def _run_with_progress(paths: list[str], options: Options, show_bar: bool) -> Result:
    """The scan, with a progress bar on stderr when stderr is a terminal
    (whatever stdout is) and `--quiet` was not given."""
    if not show_bar or not progress.wanted(sys.stderr):
        return run(paths, options)
    bar = progress.ProgressBar(sys.stderr)
    options.progress = bar
    try:
        return run(paths, options)
    finally:
        bar.close()


def _write_outputs(result: Result, outputs: list[tuple[str, str | None]], report_options: ReportOptions,
                   color: str, statistics: bool) -> None:
    for name, target in outputs:
        if statistics and target is None:
            write_stdout(statistics_table(result))
            continue
        colored = name == "text" and target is None and use_color(sys.stdout, color)  # gcc never: IDE matchers read it
        text = render(name, result, replace(report_options, color=colored))
        if target is None:
            write_stdout(text, color=colored)
        else:
            write_file(target, text)
