"""What `iacm-lint survey` does after option parsing: find the inputs
(checkouts, readiness documents, the git repositories in `--repos-in`),
scan the checkouts in worker processes, read the documents, and render the
organisation-wide survey (report/survey/).

A checkout is scanned as `iacm-lint report --format json` would scan it
(its own configuration file unless `--no-config`), and its readiness
document is read back through the same checks as a document given as a
file (report/survey/model.py), so both paths give the same entry. Each
checkout is scanned in a process of its own, `--jobs` at a time: memory is
that of the largest repository, not of all of them, and a repository that
crashes or kills its process is that entry's `failed`, not the survey's.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing.connection import Connection, wait
from typing import Any, Optional

import click

from .. import __version__
from ..engine import run
from ..errors import EnvironmentProblem
from ..filter.config import ConfigError, config_for, options_from_config
from ..options import Options
from ..output import OutputError, write_file, write_stdout
from ..redact import describe_exception
from ..report.readiness import html as readiness_html, json as readiness_json, model as readiness
from ..report.survey import csv, html, json, markdown
from ..report.survey.model import (
    Entry,
    InputError,
    display_name,
    entry_of,
    failed,
    load_entry,
    parse_document,
    survey_of,
)
from ..sanitise import file_link, printable, shown
from ..scan.pool import available_cpus
from .report import link_base, scan_time

RENDERERS = {"html": html.render, "markdown": markdown.render, "csv": csv.render, "json": json.render}


@dataclass(frozen=True)
class Checkout:
    """A checkout to scan, and where its own reports go (`--reports-dir`)."""

    path: str
    no_config: bool
    scanned_at: datetime
    report_base: str = ""  # DIR/NAME: NAME.json and NAME.html are written; "" for none


def run_survey(paths: tuple[str, ...], repos_in: Optional[str], format_name: str, output: Optional[str],
               reports_dir: Optional[str], jobs: Optional[int], no_config: bool, quiet: bool) -> None:
    """`iacm-lint survey` after click parsed its options (commands.py)."""
    inputs = list(paths)
    if repos_in is not None:
        inputs += repositories_in(repos_in)
    if not inputs:
        _stop("nothing to survey: give checkouts or readiness documents, or --repos-in DIR with git repositories")
    if reports_dir is not None and not os.path.isdir(reports_dir):
        _stop(f"--reports-dir {shown(reports_dir, 80)} is not a directory")
    try:
        scanned_at = scan_time()
    except ValueError as error:
        _stop(str(error))
    progress = _Progress(len(inputs), quiet)
    entries = survey_inputs(inputs, no_config, scanned_at, reports_dir, jobs or available_cpus(), progress)
    if reports_dir is not None:
        entries = [_linked(entry, reports_dir, output) for entry in entries]
    survey = survey_of(entries, __version__)
    try:
        text = RENDERERS[format_name](survey)
        if output:
            write_file(output, text)
        else:
            write_stdout(text)
    except OutputError as error:
        _stop(printable(str(error)))
    if not survey.surveyed:
        _stop(f"nothing could be surveyed ({len(survey.entries)} failed)")


def _stop(message: str) -> None:
    click.echo(f"iacm-lint: {message}", err=True)
    sys.exit(2)


def repositories_in(directory: str) -> list[str]:
    """Every git repository directly below `directory` (a folder with a
    `.git`; a link is not followed), by name."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as error:
        _stop(f"--repos-in {shown(directory, 80)}: {error.strerror or type(error).__name__}")
    found = []
    for name in names:
        path = os.path.join(directory, name)
        if not os.path.islink(path) and os.path.isdir(path) and os.path.lexists(os.path.join(path, ".git")):
            found.append(path)
    return found


class _Progress:
    """One line on stderr per input surveyed: `[3/30] NAME: blocked`."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.quiet, self.done = total, quiet, 0

    def __call__(self, entry: Entry) -> None:
        self.done += 1
        if self.quiet:
            return
        said = f"{entry.verdict}: {entry.reason}" if entry.reason else entry.verdict
        click.echo(f"iacm-lint survey: [{self.done}/{self.total}] {printable(entry.name)}: {printable(said)}",
                   err=True)


# ---- the inputs --------------------------------------------------------------------------


def survey_inputs(inputs: list[str], no_config: bool, scanned_at: datetime, reports_dir: Optional[str], jobs: int,
                  progress: Callable[[Entry], None]) -> list[Entry]:
    """An entry per input: documents read here, checkouts scanned `jobs` at a time."""
    entries: list[Entry] = []
    checkouts: list[Checkout] = []
    report_names: set[str] = set()
    for path in inputs:
        if os.path.isdir(path):
            if not os.path.lexists(os.path.join(path, ".git")):
                entries.append(failed(path, "not a git repository (no .git in it)"))
                progress(entries[-1])
                continue
            base = os.path.join(reports_dir, _report_name(path, report_names)) if reports_dir is not None else ""
            checkouts.append(Checkout(path, no_config, scanned_at, base))
        elif os.path.lexists(path):
            entries.append(load_entry(path))
            progress(entries[-1])
        else:
            entries.append(failed(path, "no such file or directory"))
            progress(entries[-1])

    def collect(entry: Entry) -> None:
        entries.append(entry)
        progress(entry)

    if len(checkouts) == 1:  # its memory is the survey's either way
        collect(survey_checkout(checkouts[0]))
    else:
        scan_in_processes(checkouts, jobs, collect)
    return entries


def _report_name(path: str, taken: set[str]) -> str:
    """A file name for a checkout's own reports: its name in safe characters, made unique."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", display_name(os.path.abspath(path))).strip(".-") or "repository"
    name, number = stem, 1
    while name.lower() in taken:
        number += 1
        name = f"{stem}-{number}"
    taken.add(name.lower())
    return name


def _linked(entry: Entry, reports_dir: str, output: Optional[str]) -> Entry:
    """The entry with a link to its HTML report, relative to where the survey is written."""
    if not entry.report:
        return entry
    base = os.path.relpath(reports_dir, os.path.dirname(os.path.abspath(output)) if output else os.getcwd())
    return replace(entry, report=file_link("" if base == "." else base.replace(os.sep, "/"), entry.report))


# ---- one checkout ----------------------------------------------------------------------------


def survey_checkout(checkout: Checkout) -> Entry:
    """Scan a checkout into its readiness document and read that back as a
    document file would be; a failure is the entry's reason."""
    path = checkout.path
    try:
        result = run([path], _options(checkout))
        if result.internal_errors:
            return failed(path, f"internal error: {printable(result.internal_errors[0])}")
        document = readiness_json.render(readiness.build(result, scanned_at=checkout.scanned_at), result)
        entry = entry_of(parse_document(document.encode("utf-8")), path)
        if checkout.report_base:
            page = checkout.report_base + ".html"
            model = readiness.build(result, link_base=link_base(str(result.root), page), scanned_at=checkout.scanned_at)
            write_file(checkout.report_base + ".json", document)
            write_file(page, readiness_html.render(model))
            entry = replace(entry, report=os.path.basename(page))
        return entry
    except (ConfigError, EnvironmentProblem, OutputError, InputError) as error:
        return failed(path, printable(str(error)))
    except Exception as error:  # noqa: BLE001 - one repository's failure is its entry's, never the survey's
        return failed(path, f"internal error: {describe_exception(error)}")


def _options(checkout: Checkout) -> Options:
    """The scan options `iacm-lint report PATH` would use: the checkout's configuration file unless --no-config."""
    config = None if checkout.no_config else config_for(checkout.path, None)
    fields = dict(options_from_config(config, [checkout.path]), config_file=config.path) if config else {}
    return Options(**{**fields, "jobs": 1, "revision": True})


# ---- worker processes ----------------------------------------------------------------------


def scan_in_processes(checkouts: list[Checkout], jobs: int, collect: Callable[[Entry], None]) -> None:
    """Scan each checkout in a process of its own, `jobs` at once, handing
    each entry to `collect` as it comes. A process that dies without an
    answer (killed, out of memory) is its checkout's failed entry."""
    context = _context()
    pending = deque(checkouts)
    running: dict[Connection, tuple[multiprocessing.process.BaseProcess, Checkout]] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                checkout = pending.popleft()
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_scan_and_send, args=(sender, checkout), daemon=True,
                                          name="iacm-lint-survey")
                process.start()
                sender.close()
                running[receiver] = (process, checkout)
            for ready in wait(list(running)):
                assert isinstance(ready, Connection)  # wait() returns the objects it was given
                process, checkout = running.pop(ready)
                collect(_answer(ready, process, checkout))
    finally:
        for process, _ in running.values():
            process.terminate()
            process.join()


def _context() -> Any:  # a ForkContext, or the platform's default context (typeshed types them apart)
    # fork: a worker starts with the rules and parsers this process loaded; elsewhere the platform's default
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


def _scan_and_send(sender: Connection, checkout: Checkout) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the survey stops its workers
    sender.send(survey_checkout(checkout))
    sender.close()


def _answer(receiver: Connection, process: multiprocessing.process.BaseProcess, checkout: Checkout) -> Entry:
    try:
        entry = receiver.recv()
    except (EOFError, OSError):
        entry = None
    finally:
        receiver.close()
    process.join()
    if isinstance(entry, Entry):
        return entry
    code = process.exitcode
    how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return failed(checkout.path, f"the scanning process ended without an answer ({how})")
