"""The result cache: a scan whose inputs have not changed since the last scan
of the same paths with the same options is answered from one small JSON
file, without parsing a file or running a rule. A warm `iacm-lint check` is
then start-up, the walk, one `git ls-files` and the reporter (issue 10).

Slot and state. A *slot* is one combination of scan paths, options and
config file: `<cache dir>/results-v1/<slot digest>.json`, so a repository
scanned again and again keeps one file, overwritten as its state changes.
The file holds the *state* digest its result belongs to, and the result. The
state covers everything a result depends on:

- the tool: iacm-lint's own files and its parsing dependencies (path, size,
  mtime, ctime, inode of each) and the Python version;
- every file the walk found (relative path, size, mtime, ctime, inode), the
  files it could not read, skipped or excluded, and the notes of the walk and
  of git (a missing git is another result);
- git: each repository's raw `git ls-files` output (as a digest), and the
  repository config that names the remotes (IACM601-604);
- outside the scan root: the config file, the baseline file, and the
  `.gitignore` files between the repository's top and the scan root (IACM404).

Why stat signatures, not content hashes: reading and hashing every file
costs as much as all the rest of a warm scan, and git decides "unchanged"
the same way (its index). The weakness git calls "racy git" applies here
too: a file written within the file system's timestamp granularity of the
moment it was examined can keep its size and mtime. So a result is only
stored when no input was modified within RACY_SECONDS before the scan
started; such a file is examined again by the next scan instead of trusted.
ctime changes on every write and cannot be set back from user space, so a
restored mtime (`touch -d`) does not hide a change.

At most MAX_ENTRIES slot files are kept, the least recently written go.

Not stored: results with internal errors (a crashing rule), and options
holding callables that no config file describes (an API caller's own
exclude matcher). The JSON holds what reporters print (findings with their
already masked messages, run properties), no source text, and is read with
`json`, never unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, Optional

from .findings import Finding
from .model import Repo, Span

FORMAT = "results-v1"
RACY_SECONDS = 2
MAX_ENTRIES = 256  # slot files kept (see _prune)
_NANOSECONDS = 1_000_000_000
_DEPENDENCIES = ("hcl2", "lark", "yaml")  # packages whose code shapes a result


class _Racy(Exception):
    """An input changed too recently for its stat signature to be trusted."""


def entry_for(paths: list[str], found, options) -> Optional["Entry"]:
    """The cache entry for this scan (`found`: an engine.Discovered), or None
    when its state cannot be trusted or its options cannot be described."""
    if (options.exclude is not None or options.per_file_ignores) and options.config_file is None:
        return None
    limit = found.started_ns - RACY_SECONDS * _NANOSECONDS
    try:
        state = _digest([_tool_identity(), _walk_identity(found.walked, limit), _git_identity(found.git), found.notes,
                         [_signature(path, limit) for path in _outside_inputs(found, options)]])
    except _Racy as racy:
        found.notes.append(f"result cache: {racy} was modified less than {RACY_SECONDS} s ago, so this result "
                           "is not stored (a change within the same clock tick could go unseen)")
        return None
    slot = _digest([FORMAT, found.root, [os.path.abspath(p) for p in paths], _options_identity(options)])
    from .cache import default_directory

    return Entry(os.path.join(default_directory(), FORMAT, slot + ".json"), state)


class Entry:
    """One slot file: `load()` the result stored for `state`, or `save()` one."""

    def __init__(self, path: str, state: str):
        self.path = path
        self.state = state

    def load(self):
        """The stored engine.Result, or None (no entry, another state, damaged)."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                stored = json.load(handle)
            if stored.get("format") != FORMAT or stored.get("state") != self.state:
                return None
            result = _decode_result(stored["result"])
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None  # a damaged entry is a miss; the scan rewrites it
        result.repo.notes.append(f"result cache: nothing this result depends on changed since it was stored "
                                 f"in {self.path}; nothing was parsed or checked again")
        return result

    def save(self, result) -> None:
        """Store `result` atomically; a cache that cannot be written costs the next hit, never this scan."""
        import tempfile

        try:
            text = json.dumps({"format": FORMAT, "state": self.state, "result": _encode_result(result)})
        except (TypeError, ValueError):  # a property that JSON cannot hold: nothing stored
            return
        directory = os.path.dirname(self.path)
        try:
            os.makedirs(directory, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=directory)
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, self.path)
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return
        _prune(directory)


def _prune(directory: str) -> None:
    """Keep at most MAX_ENTRIES slot files: every scanned path set and option
    combination (a CI checkout in a new temporary folder each time) leaves
    one; the least recently written go first."""
    try:
        entries = [entry for entry in os.scandir(directory) if entry.name.endswith(".json")]
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
        for entry in entries[:len(entries) - MAX_ENTRIES // 2]:
            os.unlink(entry.path)
    except OSError:
        pass  # another run pruned or wrote concurrently: the next save tries again


# ---- the state ---------------------------------------------------------------------


def _digest(value: Any) -> str:
    return hashlib.blake2b(json.dumps(value, separators=(",", ":")).encode("utf-8", "surrogateescape"),
                           digest_size=20).hexdigest()


def _trusted(path: str, mtime_ns: int, ctime_ns: int, limit: int) -> None:
    if mtime_ns >= limit or ctime_ns >= limit:
        raise _Racy(path)


def _signature(path: str, limit: int) -> list:
    """[path, size, mtime, ctime, inode], or [path] for a missing file."""
    try:
        info = os.stat(path)
    except OSError:
        return [path]
    _trusted(path, info.st_mtime_ns, info.st_ctime_ns, limit)
    return [path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _walk_identity(walked, limit: int) -> list:
    for rel_path, _, mtime_ns, ctime_ns, _ in walked.signatures:
        _trusted(rel_path, mtime_ns, ctime_ns, limit)
    unreadable = [[rel, error.message] for rel, error in walked.unreadable]
    return [walked.signatures, unreadable, walked.skipped, walked.excluded]


def _git_identity(view) -> list:
    if view is None:
        return []
    return [[r.toplevel, r.prefix, r.listing_digest] for r in view.repositories]


def _outside_inputs(found, options) -> list[str]:
    """Files outside the walk that a result depends on."""
    inputs = [os.path.abspath(p) for p in (options.config_file, options.baseline) if p]
    toplevel = found.git.toplevel if found.git is not None else None
    if toplevel is not None:
        from .gitinfo import git_dir

        directory = git_dir(toplevel)
        if directory is not None:
            inputs.append(os.path.join(directory, "config"))  # remotes: which repository a workspace targets
        above = found.root
        while above != toplevel and os.path.dirname(above) != above:  # .gitignore files above the scan root
            above = os.path.dirname(above)
            inputs.append(os.path.join(above, ".gitignore"))
    return inputs


def _options_identity(options) -> list:
    return [options.engine, options.state, list(options.select), list(options.ignore), sorted(options.severity.items()),
            list(options.roots) if options.roots is not None else None, options.max_file_bytes, options.verbose,
            options.require_reasons, options.baseline and os.path.abspath(options.baseline),
            options.config_file and os.path.abspath(options.config_file)]


_TOOL: Optional[list] = None


def _tool_identity() -> list:
    """Signatures of iacm-lint's files (rules and data included) and of the
    dependencies that shape a result; a changed or reinstalled file is another tool."""
    global _TOOL
    if _TOOL is None:
        import importlib.util

        from . import __path__ as package_path, __version__

        files: list[str] = []
        rules = importlib.util.find_spec(f"{__package__}.rules")
        for directory in [*package_path, *(rules.submodule_search_locations or [] if rules else [])]:
            files.extend(_package_files(directory))
        for name in _DEPENDENCIES:
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.origin:
                files.append(spec.origin)
                if name == "hcl2":
                    files.append(os.path.join(os.path.dirname(spec.origin), "hcl2.lark"))
        signatures = []
        for path in sorted(files):
            try:
                info = os.stat(path)
            except OSError:
                signatures.append([path])
            else:
                signatures.append([path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino])
        _TOOL = [__version__, sys.version, signatures]
    return _TOOL


def _package_files(directory: str) -> list[str]:
    found = []
    for current, directories, names in os.walk(directory):
        directories[:] = [d for d in directories if d != "__pycache__"]
        found.extend(os.path.join(current, name) for name in names if not name.endswith((".pyc", ".tmp")))
    return found


# ---- the stored result -------------------------------------------------------------


def _span(span: Span) -> list:
    return [span.path, span.line, span.col, span.end_line, span.end_col]


def _encode_finding(f: Finding) -> list:
    return [f.rule_id, f.rule_name, f.level, f.message, _span(f.span), [[_span(s), text] for s, text in f.related],
            f.fingerprint, f.suppressed, f.baseline_state, [list(pair) for pair in f.properties]]


def _decode_finding(row: list) -> Finding:
    rule_id, rule_name, level, message, span, related, fingerprint, suppressed, baseline_state, properties = row
    return Finding(rule_id, rule_name, level, message, Span(*span), tuple((Span(*s), text) for s, text in related),
                   fingerprint, suppressed, baseline_state, tuple(tuple(pair) for pair in properties))


def _encode_result(result) -> dict:
    return {"root": result.root, "rules": [rule.id for rule in result.rules], "checked": result.files_checked,
            "properties": result.properties, "notes": result.repo.notes,
            "findings": [_encode_finding(f) for f in result.findings]}


def _decode_result(stored: dict):
    from .engine import Result

    properties = stored["properties"]
    repo = Repo(root=stored["root"], notes=list(stored["notes"]), stats=properties.get("stats") or {})
    findings = [_decode_finding(row) for row in stored["findings"]]
    return Result(findings, RulesById(stored["rules"]), stored["root"], repo, properties, [], checked=stored["checked"])


class RulesById(Sequence):
    """The rules that ran, by ID, imported only when a reporter asks (SARIF,
    markdown): the text formats never need the rule modules."""

    def __init__(self, ids: list[str]):
        self.ids = list(ids)
        self._rules: Optional[list] = None

    def _resolved(self) -> list:
        if self._rules is None:
            from .registry import get_rule

            self._rules = [rule for rule in map(get_rule, self.ids) if rule is not None]
        return self._rules

    def __getitem__(self, index):
        return self._resolved()[index]

    def __len__(self) -> int:
        return len(self._resolved())
