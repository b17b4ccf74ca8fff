"""Reporters: turn an engine `Result` into text, gcc, sarif, json, github,
markdown, gitlab, junit or checkstyle output. Reporters know nothing of HCL or YAML; they read

- `result.findings`  Finding list (any order; reporters sort),
- `result.rules`     the Rule objects that ran (SARIF lists all of them),
- `result.root`      the absolute scan root,
- `result.properties` run properties (`engines`: root -> {engine, reason}, ...),
- `result.files_checked` how many files were scanned,
- `result.internal_errors` (optional): rule crashes; SARIF then reports
  `executionSuccessful: false`.

`render(format_name, result, options)` returns the whole output as one
string. `options` may be None or a `ReportOptions` (the caller decides
colour with `use_color`).

Paths: the human formats (text, gcc, json, markdown) name files relative to
the scan root; the formats a code host or CI server reads (github, sarif,
gitlab, junit, checkstyle) relative to the top of the git work tree holding
the scan root, which is how they resolve them (`repository_path`), and
relative to the scan root outside git.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Optional
from xml.etree import ElementTree

from .. import __version__
from ..filter.fingerprint import assign_fingerprints, lines_under
from ..findings import LEVEL_ORDER, Finding
from ..sanitise import printable
from ..scan.gitinfo import repository_prefix

FORMATS = ("text", "gcc", "sarif", "json", "github", "markdown", "gitlab", "junit", "checkstyle")

TOOL_NAME = "iacm-lint"
INFORMATION_URI = "https://github.com/iacm-lint/iacm-lint"


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    quiet: bool = False  # text: findings only, no summary line
    max_size: Optional[int] = None  # markdown: at most this many characters (None: its default, 0: no cap)
    fail_on: str = "error"  # junit: findings at or above this level are failures (`--fail-on`)


def use_color(stream: Any, choice: str = "auto", environ: Optional[Mapping[str, str]] = None) -> bool:
    """`--color always|never` decide; `auto` colours a terminal, unless a
    non-empty `NO_COLOR` (https://no-color.org) says never, and when
    `FORCE_COLOR` is set non-empty or `CLICOLOR_FORCE` to anything but `0`
    (a CI log that renders ANSI colours) also what is not a terminal."""
    if choice != "auto":
        return choice == "always"
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR") or environ.get("CLICOLOR_FORCE", "0") != "0":
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render(format_name: str, result: Any, options: Any = None) -> str:
    if format_name not in FORMATS:
        raise ValueError(f"unknown format {format_name!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{format_name}")
    return module.render(result, options if options is not None else ReportOptions())


# ---- helpers shared by the reporters -----------------------------------------


def sorted_findings(result: Any) -> list[Finding]:
    """All findings sorted by path, line, column, rule, with fingerprints
    filled in from the files under the scan root where the engine left them empty."""
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    return assign_fingerprints(findings, lines_under(str(result.root)))


def is_visible(finding: Finding) -> bool:
    """Text-like formats hide inline-suppressed and baselined findings."""
    return finding.suppressed is None and finding.baseline_state != "unchanged"


def visible_findings(result: Any) -> list[Finding]:
    return [f for f in sorted(result.findings, key=lambda f: f.sort_key) if is_visible(f)]


def at_or_above(finding: Finding, level: str) -> bool:
    """Whether `finding` counts for `--fail-on level` ("never": none does)."""
    return level != "never" and LEVEL_ORDER[finding.level] >= LEVEL_ORDER[level]


def repository_path(result: Any) -> Callable[[str], str]:
    """Scan-root relative path -> the path a code host or CI server reads:
    relative to the top of the git work tree holding the scan root (a scan
    of `infra/` names `infra/main.tf`), relative to the scan root outside git."""
    prefix = repository_prefix(str(result.root))
    return lambda path: prefix + path


def xml_document(root: ElementTree.Element) -> str:
    """`root` as an indented UTF-8 XML document (junit, checkstyle)."""
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def engine_text(result: Any) -> str:
    """`engine: opentofu, from pipeline .harness/deploy.yaml` from the run
    properties: either `engine`/`engine_reason`, or `engines` (root directory
    -> {engine, reason}). Empty when no engine was resolved."""
    properties = getattr(result, "properties", None) or {}
    if properties.get("engine"):
        choices = [(properties["engine"], properties.get("engine_reason") or "")]
    else:
        engines = properties.get("engines") or {}
        choices = [(choice_field(engines[d], "engine"), choice_field(engines[d], "reason")) for d in sorted(engines)]
    distinct_engines = sorted({engine for engine, _ in choices})
    if not distinct_engines:
        return ""
    if len(distinct_engines) > 1:
        roots = sorted(properties.get("engines") or {})
        return "engines: " + ", ".join(f"{engine} for {root}" for root, (engine, _) in zip(roots, choices, strict=True))
    reasons = sorted({reason for _, reason in choices if reason})
    engine = distinct_engines[0]
    return f"engine: {engine}, from {reasons[0]}" if len(reasons) == 1 else f"engine: {engine}"


def choice_field(choice: Any, name: str) -> str:
    """`engine` / `reason` of an engine choice, given as a dict or an object ("" when absent)."""
    value = choice.get(name) if isinstance(choice, dict) else getattr(choice, name, "")
    return str(value or "")


def summary(result: Any, findings: list[Finding]) -> str:
    """`N errors, M warnings, K notes in F files (engine: …)` over `findings`
    (the engine's reason names files of the scanned tree: printable)."""
    counts = {level: sum(1 for f in findings if f.level == level) for level in ("error", "warning", "note")}
    files = getattr(result, "files_checked", 0) or 0
    text = (f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
            f"{plural(counts['note'], 'note')} in {plural(files, 'file')}")
    engine = printable(engine_text(result))
    text = f"{text} ({engine})" if engine else text
    fixed = getattr(result, "fixed", None)  # with --fix: what was fixed before this check
    if fixed is not None:
        text += f"; fixed {plural(fixed.findings, 'finding')} in {plural(fixed.files, 'file')}"
    return text


def tool_version(result: Any) -> str:
    properties = getattr(result, "properties", None) or {}
    return str(properties.get("tool_version") or __version__)
