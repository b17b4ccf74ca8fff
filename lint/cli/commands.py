"""The `iacm-lint` command (click): its subcommands and their options.
What `check` and `report` do once their options are parsed is in check.py
and report.py, imported when the command runs: `iacm-lint --version`,
`--help`, `rules` and `explain` load click and the registry only (the
start-up budget: benchmarks/bench_startup.py)."""

from __future__ import annotations

from typing import Optional

import click

from .. import __version__
from ..knowledge.engines import ENGINE_CHOICES
from ..registry import all_rules, get_rule
from ..sanitise import shown, source_url_base

LEVEL_CHOICES = ("error", "warning", "note", "never")
COLOR_CHOICES = ("auto", "always", "never")
MAX_JOBS = 256  # more parser processes than this only costs memory
FORMAT_NAMES = "text|gcc|json|sarif|github|markdown|gitlab|junit|checkstyle"  # report.FORMATS, without loading it


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


@main.command(short_help="Check files or directories for what blocks onboarding.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "formats", multiple=True, metavar="FMT[:FILE]",
              help=f"{FORMAT_NAMES}; repeatable as FMT:FILE")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write the output to FILE")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True)
@click.option("--state", type=click.Choice(["auto", "existing", "managed"]), default="auto", show_default=True)
@click.option("--select", multiple=True, metavar="IDS", help="rule IDs or prefixes, comma separated")
@click.option("--ignore", multiple=True, metavar="IDS", help="rule IDs or prefixes, comma separated")
@click.option("--fail-on", type=click.Choice(LEVEL_CHOICES), default="error", show_default=True)
@click.option("--jobs", type=click.IntRange(min=1, max=MAX_JOBS), default=None,
              help=f"parallel parsers, at most {MAX_JOBS} (default: CPU count)")
@click.option("--no-cache", is_flag=True, help="do not read or write the parse and result caches")
@click.option("--quiet", "-q", is_flag=True, help="print findings only: no summary, no progress bar")
@click.option("--verbose", "-v", is_flag=True, help="print notes about skipped files and tracebacks")
@click.option("--statistics", is_flag=True, help="print the number of findings per rule instead of the findings")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
              help="colour the text output; auto: on a terminal, never with NO_COLOR, always with FORCE_COLOR "
                   "or CLICOLOR_FORCE")
@click.option("--no-color", is_flag=True, help="the same as --color never")
@CONFIG_OPTION
@NO_CONFIG_OPTION
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="hide findings recorded in this baseline file")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
              help="record the current findings in this baseline file")
@click.option("--max-file-size", "max_file_size", metavar="SIZE", default=None,
              help="larger files get IACM000 instead of being parsed, e.g. 10MB, 512KB, 2000000 (default 10MB)")
@click.option("--max-size", type=click.IntRange(min=0), default=None, metavar="CHARS",
              help="cap the markdown output at CHARS characters, keeping the summary and the most severe findings "
                   "(default 65000, GitHub's comment limit; 0: no cap)")
@click.option("--stats", "show_stats", is_flag=True, help="print the file accounting as JSON on standard error")
@click.option("--fix/--no-fix", "fix", default=None,
              help="apply the safe fixes in place, then report what remains (config: fix)")
@click.option("--unsafe-fixes/--no-unsafe-fixes", "unsafe_fixes", default=None,
              help="with --fix or --diff, apply the unsafe fixes too (config: unsafe-fixes)")
@click.option("--diff", is_flag=True,
              help="print what --fix would change as a unified diff, write nothing; exit 1 when it would change "
                   "something")
def check(paths: tuple[str, ...], formats: tuple[str, ...], output: Optional[str], engine: str, state: str,
          select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str, jobs: Optional[int], no_cache: bool,
          quiet: bool, verbose: bool, statistics: bool, color: str, no_color: bool, config_file: Optional[str],
          no_config: bool, baseline: Optional[str], write_baseline: Optional[str], max_file_size: Optional[str],
          max_size: Optional[int], show_stats: bool, fix: Optional[bool], unsafe_fixes: Optional[bool],
          diff: bool) -> None:
    """Check PATHS (default: the current directory). A file is checked in
    the context of its module and project, and only the findings located in
    the files named are reported."""
    from .check import CheckRequest, run_check  # the engine and every layer below it load when a scan runs

    run_check(CheckRequest(paths, formats, output, engine, state, select, ignore, fail_on, jobs, no_cache, quiet,
                           verbose, statistics, color, no_color, config_file, no_config, baseline, write_baseline,
                           max_file_size, max_size, show_stats, fix, unsafe_fixes, diff))


@main.command("rules", short_help="List every rule: ID, name, level, summary.")
@click.option("--format", "format_name", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
def list_rules(format_name: str) -> None:
    """List every rule: ID, name, default level, fix (safe, unsafe or none) and summary."""
    import json

    rules = all_rules()
    if format_name == "json":
        click.echo(json.dumps([{"id": r.id, "name": r.name, "level": r.level, "short": r.short, "tags": list(r.tags),
                                "enabled_by_default": r.enabled_by_default, "fix": r.fix or None,
                                "help_uri": r.help_uri} for r in rules], indent=2))
    elif format_name == "markdown":
        click.echo("| ID | name | level | fix | summary |\n|---|---|---|---|---|")
        for r in rules:
            click.echo(f"| [{r.id}](docs/rules/{r.id}.md) | {r.name} | {r.level} | {r.fix or '—'} | {r.short} |")
    else:
        for r in rules:
            click.echo(f"{r.id}  {r.name:<36} {r.level:<8} {r.fix or '-':<14} {r.short}")


@main.command(short_help="Show the documentation of one rule.")
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show the full documentation of RULE_ID (e.g. IACM110)."""
    found = get_rule(rule_id.upper())
    if found is None:
        raise click.UsageError(f"unknown rule '{shown(rule_id)}'; `iacm-lint rules` lists them")
    click.echo(f"{found.id} {found.name} ({found.level})\n\n{found.short}\n\n{found.doc}")


@main.command(short_help="Write the migration readiness report.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "format_name", type=click.Choice(["markdown", "html", "json"]), default="markdown",
              show_default=True, help="json: the versioned readiness document `survey` reads (docs/output-formats.md)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write the report to FILE")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True)
@click.option("--state", type=click.Choice(["auto", "existing", "managed"]), default="auto", show_default=True)
@CONFIG_OPTION
@NO_CONFIG_OPTION
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="leave out findings recorded in this baseline file")
@click.option("--source-url", metavar="URL", default=None, callback=lambda ctx, param, value: _source_url(value),
              help="link files under this http(s) base, e.g. https://github.com/ORG/REPO/blob/SHA/ "
                   "(paths relative to the repository root are appended); default: links relative to the report")
@click.option("--verbose", "-v", is_flag=True, help="show tracebacks of internal errors")
def report(paths: tuple[str, ...], format_name: str, output: Optional[str], engine: str, state: str,
           config_file: Optional[str], no_config: bool, baseline: Optional[str], source_url: str,
           verbose: bool) -> None:
    """Migration readiness report of PATHS (default: the current directory):
    a verdict per root module, built from the same findings as `check`.
    The header names the commit and the scan time (SOURCE_DATE_EPOCH when set)."""
    from .report import run_report  # the engine, the readiness model and its renderers load when it runs

    run_report(paths, format_name, output, engine, state, config_file, no_config, baseline, verbose, source_url)


@main.command(short_help="Survey the readiness of many repositories at once.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--repos-in", "repos_in", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="also survey every git repository directly below DIR")
@click.option("--format", "format_name", type=click.Choice(["html", "markdown", "csv", "json"]), default="markdown",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write the survey to FILE")
@click.option("--reports-dir", "reports_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="write each scanned checkout's own report there (NAME.html, NAME.json) and link to it")
@click.option("--jobs", type=click.IntRange(min=1, max=MAX_JOBS), default=None,
              help=f"checkouts scanned at once, each in a process of its own, at most {MAX_JOBS} "
                   "(default: CPU count)")
@NO_CONFIG_OPTION
@click.option("--quiet", "-q", is_flag=True, help="no progress lines on standard error")
def survey(paths: tuple[str, ...], repos_in: Optional[str], format_name: str, output: Optional[str],
           reports_dir: Optional[str], jobs: Optional[int], no_config: bool, quiet: bool) -> None:
    """Organisation-wide readiness survey of PATHS: repository checkouts
    (scanned as `report` scans them) and readiness documents that
    `iacm-lint report --format json` wrote (e.g. CI artifacts of a matrix of
    jobs, docs/survey.md). An input that cannot be surveyed is listed as
    failed with the reason; the exit code is 2 only when none could be."""
    from .survey import run_survey  # the engine and the survey's renderers load when it runs

    run_survey(paths, repos_in, format_name, output, reports_dir, jobs, no_config, quiet)


def _source_url(value: str | None) -> str:
    """`--source-url` checked (sanitise.source_url_base), or a usage error (exit 2)."""
    if not value:
        return ""
    try:
        return source_url_base(value)
    except ValueError as error:
        raise click.BadParameter(f"{shown(value, 80)} {error}", param_hint="'--source-url'") from None


@main.command(short_help="Run the language server for editors (LSP over stdio).")
@click.option("--stdio", is_flag=True, help="talk over standard input and output (the default and only transport)")
def server(stdio: bool) -> None:
    """Run the language server (LSP 3.17 over standard input and output) for
    editors: diagnostics as you type, quick fixes. Needs pygls:
    pip install 'iacm-lint[server]' (docs/editors.md)."""
    import importlib.util

    if importlib.util.find_spec("pygls") is None:
        click.echo("iacm-lint: the language server needs pygls: pip install 'iacm-lint[server]'", err=True)
        raise SystemExit(2)
    from ..server.lsp import serve  # pygls, the engine and every layer below it load when the server runs

    serve()


if __name__ == "__main__":  # pragma: no cover
    main()
