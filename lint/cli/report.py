"""What `iacm-lint report` does after option parsing: run the engine (the
same `run()` as `check`), build the readiness model, render, write."""

from __future__ import annotations

import os
import posixpath
import re
import sys
from datetime import datetime, timezone
from typing import Optional

import click

from ..engine import Result, run
from ..options import Options
from ..output import write_file, write_stdout
from ..report.readiness import html, markdown, model as readiness
from ..sanitise import printable, shown
from .arguments import existing_paths, fail, one_config_choice, options_with_config


def link_base(scan_root: str, output: Optional[str]) -> str:
    """The relative path from the report file's directory to the scan root,
    so that file links in the report work where it is written ("" when the
    report sits in the scan root or goes to standard output)."""
    if not output:
        return ""
    relative = os.path.relpath(scan_root, os.path.dirname(os.path.abspath(output)))
    relative = relative.replace(os.sep, "/")
    return "" if relative == "." else posixpath.normpath(relative)


def scan_time(environment: Optional[dict] = None) -> datetime:
    """When the scan ran, as the report's header says: SOURCE_DATE_EPOCH
    (seconds since 1970 UTC, the reproducible-builds convention) when set,
    so that a report can be made byte for byte again; else now. A value
    that is not a whole number of seconds is an error (exit 2), not a
    silently different date."""
    value = (os.environ if environment is None else environment).get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return datetime.now(timezone.utc).replace(microsecond=0)
    if not re.fullmatch(r"[0-9]{1,12}", value.strip()):
        raise ValueError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01 UTC, not {shown(value)!r}")
    return datetime.fromtimestamp(int(value), timezone.utc)


def render_report(result: Result, format_name: str, output: Optional[str] = None, scanned_at: Optional[datetime] = None,
                  source_url: str = "") -> str:
    model = readiness.build(result, link_base=link_base(str(result.root), output), scanned_at=scanned_at,
                            source_url=source_url)
    renderer = html if format_name == "html" else markdown
    return renderer.render(model)


def write_report(paths: list[str], options: Options, format_name: str, output: Optional[str],
                 source_url: str = "") -> int:
    """Write the report; returns the exit code (0, or 2 when a rule crashed;
    an output that cannot be written raises `output.OutputError`). The
    verdicts are the report's content, not its exit status."""
    scanned_at = scan_time()
    result = run(paths, options)
    text = render_report(result, format_name, output, scanned_at, source_url)
    if output:
        write_file(output, text)
    else:
        write_stdout(text)
    for error in result.internal_errors:
        click.echo(f"iacm-lint: internal error: {printable(error, line_breaks=options.verbose)}", err=True)
    if options.verbose:
        for note in result.repo.notes:
            click.echo(f"iacm-lint: {printable(note)}", err=True)
    return 2 if result.internal_errors else 0


def run_report(paths: tuple[str, ...], format_name: str, output: Optional[str], engine: str, state: str,
               config_file: Optional[str], no_config: bool, baseline: Optional[str], verbose: bool,
               source_url: str = "") -> None:
    """`iacm-lint report` after click parsed its options (commands.py)."""
    scanned = existing_paths(paths)
    one_config_choice(config_file, no_config)
    given = dict(engine=engine, state=state, baseline=baseline)
    try:
        scan_time()  # a bad SOURCE_DATE_EPOCH stops the command before the scan
    except ValueError as error:
        click.echo(f"iacm-lint: {error}", err=True)
        sys.exit(2)
    try:
        options = options_with_config(scanned, config_file, no_config, given, verbose=verbose, revision=True)
        sys.exit(write_report(scanned, options, format_name, output, source_url))
    except Exception as exc:  # noqa: BLE001 - one line on stderr and exit 2, the traceback only with --verbose
        fail(exc, verbose)
