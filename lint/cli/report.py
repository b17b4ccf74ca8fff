"""What `iacm-lint report` does after option parsing: run the engine (the
same `run()` as `check`), build the readiness model, render, write."""

from __future__ import annotations

import os
import posixpath
from typing import Optional

import click

from ..options import Options
from ..engine import run


def link_base(scan_root: str, output: Optional[str]) -> str:
    """The relative path from the report file's directory to the scan root,
    so that file links in the report work where it is written ("" when the
    report sits in the scan root or goes to standard output)."""
    if not output:
        return ""
    relative = os.path.relpath(scan_root, os.path.dirname(os.path.abspath(output)))
    relative = relative.replace(os.sep, "/")
    return "" if relative == "." else posixpath.normpath(relative)


def render_report(result, format_name: str, output: Optional[str] = None) -> str:
    from ..report.readiness import model as readiness

    model = readiness.build(result, link_base=link_base(str(result.root), output))
    if format_name == "html":
        from ..report.readiness.html import render
    else:
        from ..report.readiness.markdown import render
    return render(model)


def write_report(paths: list[str], options: Options, format_name: str, output: Optional[str]) -> int:
    """Write the report; returns the exit code (0, or 2 when a rule crashed;
    an output that cannot be written raises `output.OutputError`). The
    verdicts are the report's content, not its exit status."""
    from ..output import write_file, write_stdout

    result = run(paths, options)
    text = render_report(result, format_name, output)
    if output:
        write_file(output, text)
    else:
        write_stdout(text)
    from ..sanitise import printable  # notes name the repository's files: no terminal escapes

    for error in result.internal_errors:
        click.echo(f"iacm-lint: internal error: {printable(error, line_breaks=options.verbose)}", err=True)
    if options.verbose:
        for note in result.repo.notes:
            click.echo(f"iacm-lint: {printable(note)}", err=True)
    return 2 if result.internal_errors else 0
