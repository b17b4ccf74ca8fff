"""The result cache: a scan whose inputs have not changed since the last scan
of the same paths with the same options is answered from one small JSON
file, without parsing a file or running a rule. A warm `iacm-lint check` is
then start-up, the walk, one `git ls-files` and the reporter (issue 10).

Slot and state. A *slot* is one combination of scan paths, options and
config file: `<cache dir>/results-v2/<slot digest>.json`, so a repository
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

Trust. A slot file is written 0600 into the per-user cache directory
(cachedir.py: never inside the scanned tree) and sealed with a MAC under
the per-user key over its name and bytes: a file with findings removed or
injected, another slot's file or another key's is a miss and is rewritten.
What passes the MAC is still checked shape by shape (`_decode_result`) before
any reporter sees it: a malformed file (a bug of another version) is a miss
too, never a traceback on every run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Optional, overload

from .. import __path__ as package_path, __version__, rules as rules_package
from ..cachedir import UserCache
from ..findings import LEVEL_ORDER, Finding
from ..fix import APPLICABILITIES, Edit, Fix, Position
from ..model.syntax import Repo, Span
from ..options import Options
from ..registry import Rule, get_rule
from ..scan.gitinfo import GitView, git_dir
from .result import Result

if TYPE_CHECKING:
    from ..scan.discover import Discovered, Walk

FORMAT = "results-v2"
RACY_SECONDS = 2
MAX_ENTRIES = 256  # slot files kept (see _prune)
_NANOSECONDS = 1_000_000_000
_DEPENDENCIES = ("hcl2", "lark", "yaml")  # packages whose code shapes a result


class _Racy(Exception):
    """An input changed too recently for its stat signature to be trusted."""


def entry_for(paths: list[str], found: Discovered, options: Options) -> Optional[Entry]:
    """The cache entry for this scan (`found`: a scan.discover.Discovered), or None
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
    return Entry(found.cache_home, f"{FORMAT}/{slot}.json", state)


class Entry:
    """One slot file of a cachedir.UserCache: `load()` the result stored for
    `state`, or `save()` one."""

    def __init__(self, home: UserCache, name: str, state: str):
        self.home = home
        self.name = name
        self.path = os.path.join(home.directory, name)
        self.state = state

    def load(self) -> Optional[Result]:
        """The stored engine.Result, or None (no entry, another state, not
        sealed with this key, damaged or malformed)."""
        stored = self.read()
        if stored is None or stored.get("format") != FORMAT or stored.get("state") != self.state:
            return None
        try:
            result = _decode_result(stored.get("result"))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            return None  # a malformed entry is a miss; the scan rewrites it
        result.repo.notes.append(f"result cache: nothing this result depends on changed since it was stored "
                                 f"in {self.path}; nothing was parsed or checked again")
        return result

    def read(self) -> Optional[dict]:
        """The slot file's JSON object when its MAC checks out."""
        data = self.home.read_sealed(self.name, FORMAT)
        if data is None:
            return None
        try:
            stored = json.loads(data)
        except (ValueError, RecursionError):
            return None
        return stored if isinstance(stored, dict) else None

    def write(self, stored: dict) -> bool:
        return self.home.write_sealed(self.name, FORMAT, json.dumps(stored).encode("utf-8"))

    def save(self, result: Result) -> None:
        """Store `result` atomically; a cache that cannot be written costs the next hit, never this scan."""
        try:
            stored = {"format": FORMAT, "state": self.state, "result": _encode_result(result)}
            written = self.write(stored)
        except (TypeError, ValueError):  # a property that JSON cannot hold: nothing stored
            return
        if written:
            _prune(os.path.dirname(self.path))


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


def _signature(path: str, limit: int) -> list[Any]:
    """[path, size, mtime, ctime, inode], or [path] for a missing file."""
    try:
        info = os.stat(path)
    except OSError:
        return [path]
    _trusted(path, info.st_mtime_ns, info.st_ctime_ns, limit)
    return [path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _walk_identity(walked: Walk, limit: int) -> list[Any]:
    for rel_path, _, mtime_ns, ctime_ns, _ in walked.signatures:
        _trusted(rel_path, mtime_ns, ctime_ns, limit)
    unreadable = [[rel, error.message] for rel, error in walked.unreadable]
    return [walked.signatures, unreadable, walked.skipped, walked.excluded]


def _git_identity(view: Optional[GitView]) -> list[Any]:
    if view is None:
        return []
    return [[r.toplevel, r.prefix, r.listing_digest] for r in view.repositories]


def _outside_inputs(found: Discovered, options: Options) -> list[str]:
    """Files outside the walk that a result depends on."""
    inputs = [os.path.abspath(p) for p in (options.config_file, options.baseline) if p]
    toplevel = found.git.toplevel if found.git is not None else None
    if toplevel is not None:
        directory = git_dir(toplevel)
        if directory is not None:
            inputs.append(os.path.join(directory, "config"))  # remotes: which repository a workspace targets
        above = found.root
        while above != toplevel and os.path.dirname(above) != above:  # .gitignore files above the scan root
            above = os.path.dirname(above)
            inputs.append(os.path.join(above, ".gitignore"))
    return inputs


def _options_identity(options: Options) -> list[Any]:
    return [options.engine, options.state, list(options.select), list(options.ignore), sorted(options.severity.items()),
            list(options.roots) if options.roots is not None else None, options.max_file_bytes, options.verbose,
            options.require_reasons, options.baseline and os.path.abspath(options.baseline),
            options.config_file and os.path.abspath(options.config_file),
            list(options.only) if options.only is not None else None,
            list(options.fixable) if options.fixable is not None else None, list(options.unfixable)]


_TOOL: Optional[list[Any]] = None  # the installed tool's identity: once per process, the same for every scan


def _tool_identity() -> list[Any]:
    """Signatures of iacm-lint's files (rules and data included) and of the
    dependencies that shape a result (their whole package folders: python-hcl2's
    grammar too); a changed or reinstalled file is another tool."""
    global _TOOL
    if _TOOL is None:
        files: list[str] = []
        for directory in [*package_path, *rules_package.__path__]:
            files.extend(_package_files(directory))
        for name in _DEPENDENCIES:
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.origin:
                folders = spec.submodule_search_locations or []
                files.extend([path for folder in folders for path in _package_files(folder)] or [spec.origin])
        signatures: list[list[Any]] = []
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
    found: list[str] = []
    for current, directories, names in os.walk(directory):
        directories[:] = [d for d in directories if d != "__pycache__"]
        found.extend(os.path.join(current, name) for name in names if not name.endswith((".pyc", ".tmp")))
    return found


# ---- the stored result -------------------------------------------------------------


def _span(span: Span) -> list[Any]:
    return [span.path, span.line, span.col, span.end_line, span.end_col]


def _encode_finding(f: Finding) -> list[Any]:
    return [f.rule_id, f.rule_name, f.level, f.message, _span(f.span), [[_span(s), text] for s, text in f.related],
            f.fingerprint, f.suppressed, f.baseline_state, [list(pair) for pair in f.properties], _encode_fix(f.fix)]


def _encode_fix(fix: Optional[Fix]) -> Optional[list]:
    if fix is None:
        return None
    return [fix.applicability, fix.message,
            [[e.path, e.start.line, e.start.column, e.end.line, e.end.column, e.content] for e in fix.edits]]


def _encode_result(result: Result) -> dict[str, Any]:
    return {"root": result.root, "rules": [rule.id for rule in result.rules], "checked": result.files_checked,
            "properties": result.properties, "notes": result.repo.notes,
            "findings": [_encode_finding(f) for f in result.findings]}


# Decoding checks every value's type before a reporter sees it (ValueError
# otherwise): the MAC says who wrote a file, not that its shape is right.

def _decode_result(stored: Any) -> Result:
    _expect(isinstance(stored, dict))
    root, rules, checked = stored["root"], stored["rules"], stored["checked"]
    properties, notes = stored["properties"], stored["notes"]
    _expect(isinstance(root, str) and os.path.isabs(root) and _strings(rules) and _integer(checked) and _strings(notes))
    _expect(_run_properties(properties))
    findings = [_decode_finding(row) for row in _list(stored["findings"])]
    repo = Repo(root=root, notes=list(notes), stats=properties.get("stats") or {})
    return Result(findings, RulesById(rules), root, repo, properties, [], checked=checked)


def _decode_finding(row: Any) -> Finding:
    (rule_id, rule_name, level, message, span, related, fingerprint, suppressed, baseline_state, properties,
     fix) = _list(row)
    _expect(isinstance(rule_id, str) and isinstance(rule_name, str) and level in LEVEL_ORDER
            and isinstance(message, str) and isinstance(fingerprint, str)
            and (suppressed is None or isinstance(suppressed, str)) and baseline_state in (None, "new", "unchanged"))
    pairs = [_list(pair) for pair in _list(properties)]
    _expect(all(len(pair) == 2 and _strings(pair) for pair in pairs))
    links = [_list(link) for link in _list(related)]
    _expect(all(len(link) == 2 and isinstance(link[1], str) for link in links))
    return Finding(rule_id, rule_name, level, message, _decode_span(span),
                   tuple((_decode_span(s), text) for s, text in links), fingerprint, suppressed, baseline_state,
                   tuple((key, value) for key, value in pairs), fix=_decode_fix(fix))


def _decode_fix(value: Any) -> Optional[Fix]:
    if value is None:
        return None
    applicability, message, rows = _list(value)
    edits = [_list(row) for row in _list(rows)]
    _expect(applicability in APPLICABILITIES and isinstance(message, str) and bool(edits)
            and all(len(row) == 6 and isinstance(row[0], str) and isinstance(row[5], str)
                    and all(_integer(n) and n >= 1 for n in row[1:5]) for row in edits))
    return Fix(applicability, message, tuple(Edit(path, Position(line, column), Position(end_line, end_column), content)
                                             for path, line, column, end_line, end_column, content in edits))


def _decode_span(value: Any) -> Span:
    path, line, col, end_line, end_col = _list(value)
    _expect(isinstance(path, str) and all(_integer(n) and n >= 0 for n in (line, col, end_line, end_col)))
    return Span(path, line, col, end_line, end_col)


def _run_properties(properties: Any) -> bool:
    """The shapes reporters read: engines (root -> {engine, reason}), state,
    versions (root -> {accepted: {engine: [...]}}), stats (name -> count or counts)."""
    if not isinstance(properties, dict):
        return False
    engines = properties.get("engines", {})
    versions = properties.get("versions", {})
    stats = properties.get("stats", {})
    return (isinstance(engines, dict) and all(isinstance(c, dict) and _strings([c.get("engine"), c.get("reason")])
                                                for c in engines.values())
            and isinstance(properties.get("state", ""), str)
            and isinstance(versions, dict) and all(isinstance(v, dict) and isinstance(v.get("accepted", {}), dict)
                                                   for v in versions.values())
            and isinstance(stats, dict) and all(_integer(v) or (isinstance(v, dict) and all(map(_integer, v.values())))
                                                for v in stats.values()))


def _expect(condition: bool) -> None:
    if not condition:
        raise ValueError("malformed result cache entry")


def _list(value: Any) -> list[Any]:
    _expect(isinstance(value, list))
    return value


def _strings(values: Any) -> bool:
    return isinstance(values, list) and all(isinstance(v, str) for v in values)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class RulesById(Sequence[Rule]):
    """The rules that ran, by ID, imported only when a reporter asks (SARIF,
    markdown): the text formats never need the rule modules."""

    def __init__(self, ids: list[str]):
        self.ids = list(ids)
        self._rules: Optional[list[Rule]] = None

    def _resolved(self) -> list[Rule]:
        if self._rules is None:
            self._rules = [rule for rule in map(get_rule, self.ids) if rule is not None]
        return self._rules

    @overload
    def __getitem__(self, index: int) -> Rule: ...

    @overload
    def __getitem__(self, index: slice) -> list[Rule]: ...

    def __getitem__(self, index: int | slice) -> Rule | list[Rule]:
        return self._resolved()[index]

    def __len__(self) -> int:
        return len(self._resolved())
