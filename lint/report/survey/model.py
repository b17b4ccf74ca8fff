"""The organisation-wide survey behind `iacm-lint survey`: one `Entry` per
repository, summarised from its readiness document (report/readiness/json.py,
`iacm-lint.readiness/1`), and the totals over all of them.

A readiness document may come from anywhere (a CI artifact of a job that
ran on a stranger's pull request), so `read_document` reads at most
`MAX_DOCUMENT_BYTES` of a regular file and parses it with bounded numbers,
and `entry_of` checks every field the survey uses before using it (types,
enumerations, rule IDs, lengths). A document that does not pass is that
input's `failed` entry with a one-line reason that names the field, never
its bytes. A checkout is scanned into the same document first, so the two
paths give the same entry (cli/survey.py).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ...parse.textio import read_regular
from ...scan.gitinfo import without_credentials
from ..readiness.json import SCHEMA as READINESS_SCHEMA
from ..readiness.model import BLOCKED, LEVELS, NEEDS_WORK, READY, VERDICTS

SCHEMA = "iacm-lint.survey/1"
FAILED = "failed"
SURVEY_VERDICTS = (BLOCKED, NEEDS_WORK, READY, FAILED)
ENGINES = ("opentofu", "terraform")

MAX_DOCUMENT_BYTES = 256 * 1024 * 1024  # a readiness document of 500,000 findings is about 250 MB
MAX_NAME = 255  # a directory name
MAX_TEXT = 2048  # a remote URL, a branch name
MAX_INTEGER_DIGITS = 20  # json would parse a number of a million digits (in quadratic time before 3.11)

_RULE_ID = re.compile(r"IACM[0-9]{3}")
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_READINESS_VERSION = re.compile(r"iacm-lint\.readiness/[0-9]{1,6}")


class InputError(Exception):
    """A survey input that cannot be used; the message is one line, safe to show."""


@dataclass(frozen=True)
class Entry:
    """One repository of the survey (or an input that failed, `verdict` FAILED with a `reason`)."""

    name: str
    path: str  # the input as given: a checkout or a readiness document
    verdict: str
    remote: str = ""
    commit: str = ""
    branch: str = ""
    roots: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("total", *VERDICTS), 0))
    findings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    rules: dict[str, int] = field(default_factory=dict)  # rule ID -> findings
    rule_errors: dict[str, int] = field(default_factory=dict)  # rule ID -> findings at level error
    engines: dict[str, int] = field(default_factory=dict)  # engine -> roots
    reason: str = ""  # why it failed
    report: str = ""  # a link to the repository's own report (`--reports-dir`), "" for none

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.name.lower(), self.path)


def failed(path: str, reason: str, name: str = "") -> Entry:
    return Entry(name=name or display_name(path), path=path, verdict=FAILED, reason=reason)


def repositories(count: int) -> str:
    return f"{count} repository" if count == 1 else f"{count} repositories"


def display_name(path: str) -> str:
    """A repository's name from its path: the last part (of the checkout, or
    of a readiness document's file name without `.json`)."""
    base = os.path.basename(os.path.abspath(path)) or path
    return base[:-5] if base.endswith(".json") else base


# ---- reading a readiness document ---------------------------------------------------


def read_document(path: str) -> Any:
    """The parsed JSON of a readiness document file; InputError saying why not."""
    try:
        data = read_regular(path, MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except OSError as error:  # NotRegularFileError, permissions
        raise InputError(_os_reason(error)) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB, not read")
    return parse_document(data)


def _os_reason(error: OSError) -> str:
    if error.strerror:
        return f"cannot read it: {error.strerror}"
    return "not a regular file" if "regular" in str(error) else f"cannot read it: {type(error).__name__}"


def parse_document(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start + 1})") from None
    try:
        return json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as error:  # its msg is json's own wording, never the input
        raise InputError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except InputError:
        raise
    except RecursionError:
        raise InputError("not a readiness document: nested too deeply") from None
    except MemoryError:
        raise InputError("too large to parse") from None


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise InputError(f"not a readiness document: a number of more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def _no_constant(text: str) -> Any:
    raise InputError("not valid JSON: NaN and Infinity are not JSON numbers")


# ---- checking and summarising it -------------------------------------------------------


def entry_of(document: Any, path: str) -> Entry:
    """The survey entry of a readiness document, every field it reads
    checked; InputError naming the first field that is wrong."""
    if not isinstance(document, dict) or "schema" not in document:
        raise InputError("not an iacm-lint readiness document (no \"schema\" field)")
    schema = document["schema"]
    if schema != READINESS_SCHEMA:
        if isinstance(schema, str) and _READINESS_VERSION.fullmatch(schema):
            raise InputError(f"readiness document version {schema} is not supported; "
                             f"this iacm-lint reads {READINESS_SCHEMA}")
        raise InputError(f"not an iacm-lint readiness document (its schema is not {READINESS_SCHEMA})")
    repository = _object(document, "repository", "repository")
    name = _text(repository, "name", "repository.name", MAX_NAME)
    if not name:
        raise InputError("invalid readiness document: repository.name is empty")
    commit = _text(repository, "commit", "repository.commit", 64, nullable=True)
    if commit and not _COMMIT.fullmatch(commit):
        raise InputError("invalid readiness document: repository.commit is not a commit's object name")
    roots = _array(document, "roots", "roots")
    verdicts: Counter[str] = Counter()
    engines: Counter[str] = Counter()
    for index, root in enumerate(roots):
        where = f"roots[{index}]"
        if not isinstance(root, dict):
            raise InputError(f"invalid readiness document: {where} is not an object")
        verdicts[_choice(root, "verdict", f"{where}.verdict", VERDICTS)] += 1
        engine = _choice(root, "engine", f"{where}.engine", (*ENGINES, None))
        if engine is not None:
            engines[engine] += 1
    levels: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    rule_errors: Counter[str] = Counter()
    for index, finding in enumerate(_array(document, "findings", "findings")):
        where = f"findings[{index}]"
        if not isinstance(finding, dict):
            raise InputError(f"invalid readiness document: {where} is not an object")
        rule = _text(finding, "rule", f"{where}.rule", MAX_TEXT)
        if not _RULE_ID.fullmatch(rule):
            raise InputError(f"invalid readiness document: {where}.rule is not a rule ID (IACM and three digits)")
        level = _choice(finding, "level", f"{where}.level", LEVELS)
        levels[level] += 1
        rules[rule] += 1
        if level == "error":
            rule_errors[rule] += 1
    return Entry(
        name=name,
        path=path,
        verdict=BLOCKED if levels["error"] else NEEDS_WORK if levels["warning"] else READY,
        remote=without_credentials(_text(repository, "remote", "repository.remote", MAX_TEXT, nullable=True)),
        commit=commit,
        branch=_text(repository, "branch", "repository.branch", MAX_TEXT, nullable=True),
        roots={"total": len(roots), **{verdict: verdicts[verdict] for verdict in VERDICTS}},
        findings={level: levels[level] for level in LEVELS},
        rules=dict(sorted(rules.items())),
        rule_errors=dict(sorted(rule_errors.items())),
        engines=dict(sorted(engines.items())),
    )


def _invalid(where: str, what: str) -> InputError:
    return InputError(f"invalid readiness document: {where} {what}")


def _object(container: dict, key: str, where: str) -> dict:
    value = container.get(key)
    if not isinstance(value, dict):
        raise _invalid(where, "is missing or not an object")
    return value


def _array(container: dict, key: str, where: str) -> list:
    value = container.get(key)
    if not isinstance(value, list):
        raise _invalid(where, "is missing or not a list")
    return value


def _text(container: dict, key: str, where: str, limit: int, nullable: bool = False) -> str:
    value = container.get(key)
    if value is None and nullable and key in container:
        return ""
    if not isinstance(value, str):
        raise _invalid(where, "is missing or not a string")
    if len(value) > limit:
        raise _invalid(where, f"is longer than {limit} characters")
    return value


def _choice(container: dict, key: str, where: str, choices: tuple) -> Any:
    value = container.get(key, ...)
    if value not in choices or isinstance(value, bool):
        shown = ", ".join("null" if choice is None else choice for choice in choices)
        raise _invalid(where, f"is missing or not one of {shown}")
    return value


def load_entry(path: str) -> Entry:
    """The entry of a readiness document file, or its failed entry."""
    try:
        return entry_of(read_document(path), path)
    except InputError as error:
        return failed(path, str(error))


# ---- the survey ------------------------------------------------------------------------


@dataclass(frozen=True)
class Survey:
    entries: tuple[Entry, ...]
    tool_version: str

    @property
    def surveyed(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if entry.verdict != FAILED)

    @property
    def verdict_counts(self) -> dict[str, int]:
        counts = Counter(entry.verdict for entry in self.entries)
        return {verdict: counts[verdict] for verdict in SURVEY_VERDICTS}

    @property
    def root_counts(self) -> dict[str, int]:
        return {key: sum(entry.roots[key] for entry in self.entries) for key in ("total", *VERDICTS)}

    @property
    def level_counts(self) -> dict[str, int]:
        return {level: sum(entry.findings[level] for entry in self.entries) for level in LEVELS}

    @property
    def rule_counts(self) -> dict[str, int]:
        return dict(sorted(_summed(entry.rules for entry in self.entries).items()))

    @property
    def rule_error_counts(self) -> dict[str, int]:
        return dict(sorted(_summed(entry.rule_errors for entry in self.entries).items()))

    @property
    def engine_counts(self) -> dict[str, int]:
        return dict(sorted(_summed(entry.engines for entry in self.entries).items()))

    @property
    def blocked_by(self) -> dict[str, int]:
        """Rule ID -> how many repositories it blocks (an error of it), most first, then by ID."""
        counts: Counter[str] = Counter(rule for entry in self.entries for rule in entry.rule_errors)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _summed(counts: Any) -> Counter[str]:
    total: Counter[str] = Counter()
    for each in counts:
        total.update(each)
    return total


def survey_of(entries: list[Entry], tool_version: str) -> Survey:
    return Survey(tuple(sorted(entries, key=lambda entry: entry.sort_key)), tool_version)
