"""The configuration file: `.iacm-lint.yaml`, or `[tool.iacm-lint]` in
`pyproject.toml`.

`find_config(path)` looks upward from the first scanned path for the nearest
directory holding either (a `.iacm-lint.yaml` wins over a `pyproject.toml` in
the same directory; a `pyproject.toml` without the table is passed over).
`load_config(file)` reads and validates it strictly: an unknown key, a wrong
type or an unknown rule ID raises `ConfigError` naming the file, the line and
the key, which the CLI prints before exiting with status 2.
`options_from_config(config, paths)` turns it into `options.Options` fields;
the CLI lays its explicitly given options over them.

A config that is found belongs to the repository under review, which is
untrusted (docs/security.md): it must be a regular file, not a link, and the
`baseline:` it names must be a file inside its directory, not a link. One
given with `--config` is the user's choice and may live anywhere. Either is
read through the size-capped regular-file reader (a FIFO or `/dev/zero` is
refused, not waited for), its YAML through the pipeline loader's alias and
depth guards, and no message ever quotes a value from it (it could be any
file of the machine): messages say what a value is (`a string of 64
characters`), and keys are escaped and shortened.

Paths in the file (`roots`, `exclude`, `per-file-ignores`, `baseline`) are
relative to the directory holding the config file, whatever is scanned.
Globs use `.gitignore` syntax (lint/knowledge/globs.py): `examples/**`, `**/.terragrunt-cache/**`,
`*.bak` (no slash: any depth).
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Optional

from ..knowledge.engines import ENGINE_CHOICES
from ..knowledge.globs import PatternList
from ..model.syntax import YNode
from ..parse.limits import MAX_SIZE_LIMIT
from ..parse.textio import NotRegularFileError, read_regular, size_text
from ..registry import all_rules
from ..sanitise import shown
from ..scan.discover import scan_root

CONFIG_NAME = ".iacm-lint.yaml"
PYPROJECT = "pyproject.toml"
TOML_TABLE = "tool.iacm-lint"

STATE_CHOICES = ("auto", "existing", "managed")
SEVERITY_CHOICES = ("error", "warning", "note", "off")
MAX_CONFIG_BYTES = 1024 * 1024  # configs are a few hundred bytes; anything near this is not one
MAX_TOML_DEPTH = 50  # tables in tables; a config needs three levels


class ConfigError(Exception):
    """A configuration or baseline problem the user must fix (exit 2)."""


@dataclass(frozen=True)
class Config:
    path: str  # the file read (absolute)
    engine: Optional[str] = None
    state: Optional[str] = None
    roots: Optional[tuple[str, ...]] = None
    exclude: tuple[str, ...] = ()
    select: Optional[tuple[str, ...]] = None
    ignore: Optional[tuple[str, ...]] = None
    severity: dict[str, str] = field(default_factory=dict)  # rule ID or prefix -> level or "off"
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, rule IDs or prefixes)
    require_reasons: Optional[bool] = None
    baseline: Optional[str] = None  # as written (relative to the config directory)
    max_file_size: Optional[int] = None  # bytes
    fix: Optional[bool] = None  # `check` applies safe fixes as with --fix
    unsafe_fixes: Optional[bool] = None  # and unsafe ones, as with --unsafe-fixes
    fixable: Optional[tuple[str, ...]] = None  # rule IDs or prefixes whose fixes may apply (default: all)
    unfixable: Optional[tuple[str, ...]] = None  # rule IDs or prefixes whose fixes never apply
    found: bool = False  # found in the scanned tree (untrusted), not given with --config

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)


# ---- discovery ------------------------------------------------------------------


def config_for(start: str, config_file: Optional[str]) -> Optional[Config]:
    """The config given with --config, else the one found from `start`, or None."""
    if config_file:
        return load_config(config_file)
    found = find_config(start)
    return load_config(found, found=True) if found else None


def find_config(start: str) -> Optional[str]:
    """The nearest `.iacm-lint.yaml` (or pyproject.toml with `[tool.iacm-lint]`)
    in `start`'s directory or any parent, or None. A candidate that is a
    symbolic link or not a regular file is a `ConfigError`, not followed."""
    directory = os.path.realpath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        candidate = os.path.join(directory, CONFIG_NAME)
        if _regular_candidate(candidate):
            return candidate
        pyproject = os.path.join(directory, PYPROJECT)
        if _regular_candidate(pyproject) and _pyproject_has_table(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _regular_candidate(path: str) -> bool:
    """True for a regular file, False when nothing (or a directory) is there;
    a link or a device/FIFO/socket of that name is refused: a committed
    `.iacm-lint.yaml -> ~/.git-credentials` must not be read."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    if stat.S_ISLNK(mode):
        raise ConfigError(f"refusing config file {_display(path)}: it is a symbolic link; a configuration found in "
                          "the scanned tree must be a regular file (use --config FILE to choose one, or --no-config)")
    if stat.S_ISDIR(mode):
        return False
    if not stat.S_ISREG(mode):
        raise ConfigError(f"refusing config file {_display(path)}: it is not a regular file")
    return True


def _pyproject_has_table(path: str) -> bool:
    text = _read_config_text(path, _display(path))
    # A cheap textual test first so that unrelated pyproject files are never parsed. A header that
    # lacks its "]" still counts: parsing then reports the TOML error instead of ignoring the config.
    return bool(re.search(r'^\s*\[\s*tool\s*\.\s*(?:"iacm-lint"|iacm-lint)\s*(?:[.\]]|$)', text, re.MULTILINE))


def _read_config_text(path: str, display: str) -> str:
    return read_capped_text(path, display, "config file", MAX_CONFIG_BYTES, "check the --config path")


def read_capped_text(path: str, display: str, what: str, limit: int, if_missing: str) -> str:
    """A configuration or baseline file as text: a regular file (a FIFO or
    `/dev/zero` is refused, not waited for or read forever) of at most
    `limit` bytes, UTF-8. Any problem is a one-line `ConfigError`."""
    try:
        data = read_regular(path, limit + 1)
    except FileNotFoundError:
        raise ConfigError(f"{what} {display} does not exist; {if_missing}") from None
    except NotRegularFileError:
        raise ConfigError(f"refusing {what} {display}: it is not a regular file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {display}: {exc.strerror or type(exc).__name__}") from None
    if len(data) > limit:
        raise ConfigError(f"refusing {what} {display}: it is larger than {size_text(limit)}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read {what} {display}: it is not UTF-8 text") from None


# ---- loading: both formats become a tree of _Node (value + line) ----------------


@dataclass(frozen=True)
class _Node:
    value: Any  # dict[str, (key line, _Node)] / list[_Node] / scalar
    line: int
    raw: str = ""  # a YAML scalar's source text (`off` resolves to False in YAML 1.1)


def load_config(path: str, found: bool = False) -> Config:
    """Read and validate one config file; `ConfigError` on any problem.
    `found`: it was found in the scanned tree rather than given by the user."""
    path = os.path.abspath(path)
    display = _display(path)
    text = _read_config_text(path, display)
    tree = _toml_tree(text, display) if path.endswith(".toml") else _yaml_tree(text, display)
    return _validate(tree, path, display, found)


def _display(path: str) -> str:
    """A config path as messages show it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return shown(path if relative.startswith("..") else relative, PATH_LIMIT)


PATH_LIMIT = 1000  # no real path is longer; a hostile one is cut


def _yaml_tree(text: str, display: str) -> _Node:
    from ..parse.yaml import load_yaml  # the pipeline loader: safe, alias-bomb and depth guarded

    parsed = load_yaml(text, display, single_document=True)
    if parsed.error is not None:
        raise ConfigError(f"{display}:{parsed.error.span.line}: {shown(parsed.error.message, 300)}")
    if parsed.root is None:
        return _Node({}, 1)
    return _from_yaml(parsed.root, display, text.split("\n"))


def _from_yaml(node: YNode, display: str, lines: list[str]) -> _Node:
    line = node.span.line
    if node.kind == "map":
        entries: dict[str, tuple[int, _Node]] = {}
        for key_node, value_node in node.entries:
            key_line = key_node.span.line
            if key_node.kind != "scalar":
                raise ConfigError(f"{display}:{key_line}: a key must be a plain string")
            key = key_node.value if isinstance(key_node.value, str) else _source(key_node, lines)
            if key in entries:
                raise ConfigError(f"{display}:{key_line}: {shown(key)}: duplicate key (first on line "
                                  f"{entries[key][0]}); keep one of them")
            entries[key] = (key_line, _from_yaml(value_node, display, lines))
        return _Node(entries, line)
    if node.kind == "seq":
        return _Node([_from_yaml(item, display, lines) for item in node.items], line)
    return _Node(node.value, line, _source(node, lines))


def _source(node: YNode, lines: list[str]) -> str:
    """A one-line scalar as written (YAML 1.1 reads `off` as false, `1` as a number)."""
    span = node.span
    if span.end_line != span.line or span.line > len(lines):
        return ""
    return lines[span.line - 1][span.col - 1:span.end_col - 1]


def _load_toml(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


def _toml_tree(text: str, display: str) -> _Node:
    try:
        data = _load_toml(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError; its message names line and column
        raise ConfigError(f"{display}: invalid TOML: {shown(exc, 300)}") from None
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise ConfigError(f"{display}: invalid TOML: nested too deep") from None
    table = data.get("tool", {}).get("iacm-lint")
    if table is None:
        raise ConfigError(f"{display} has no [tool.iacm-lint] table; add one or pass a .iacm-lint.yaml")
    start = _toml_table_line(text.splitlines())
    return _from_toml(table, _TomlKeyLines(text), start, display)


def _toml_table_line(lines: list[str]) -> int:
    pattern = re.compile(r'^\s*\[\s*tool\s*\.\s*(?:"iacm-lint"|iacm-lint)\s*\]')
    return next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), 1)


# A key as assigned (`key =`, `"key" =`, `'key' =`) or as the last part of a table header (`.key]`).
_TOML_KEY = re.compile(r"""(?<![^\s{,.\[])("[^"\\\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)(?=[ \t]*[=\]])""")


class _TomlKeyLines:
    """tomllib keeps no positions: the first line at or after a given line
    that assigns a key stands in for the key's line. Indexed in one pass over
    the text (searching it once per key took minutes on a 60,000-key table)."""

    def __init__(self, text: str):
        line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.lines: dict[str, list[int]] = {}
        for match in _TOML_KEY.finditer(text):
            token = match.group(1)
            if token[0] in "\"'":
                token = token[1:-1]
            self.lines.setdefault(token, []).append(bisect.bisect_right(line_starts, match.start()))

    def at_or_after(self, line: int, key: str) -> int:
        found = self.lines.get(key, ())
        index = bisect.bisect_left(found, line)
        return found[index] if index < len(found) else line


def _from_toml(value: Any, key_lines: _TomlKeyLines, line: int, display: str, depth: int = 0) -> _Node:
    if depth > MAX_TOML_DEPTH:
        raise ConfigError(f"{display}:{line}: nested deeper than {MAX_TOML_DEPTH} levels")
    if isinstance(value, dict):
        entries = {}
        for key, item in value.items():
            key_line = key_lines.at_or_after(line, key)
            entries[key] = (key_line, _from_toml(item, key_lines, key_line, display, depth + 1))
        return _Node(entries, line)
    if isinstance(value, list):
        return _Node([_from_toml(item, key_lines, line, display, depth + 1) for item in value], line)
    return _Node(value, line, value if isinstance(value, str) else "")


# ---- validation ----------------------------------------------------------------


def _known_rule_ids() -> list[str]:
    return [r.id for r in all_rules()]


class _Checker:
    def __init__(self, display: str):
        self.display = display
        self.known = _known_rule_ids()

    def fail(self, line: int, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.display}:{line}: {key}: {problem}")

    def string(self, node: _Node, key: str) -> str:
        if not isinstance(node.value, str):
            raise self.fail(node.line, key, f"expected a string, got {_type_name(node.value)}")
        return node.value

    def choice(self, node: _Node, key: str, choices: tuple[str, ...]) -> str:
        value = self.string(node, key)
        if value not in choices:
            raise self.fail(node.line, key, f"expected one of {', '.join(choices)}, got {_type_name(value)}")
        return value

    def strings(self, node: _Node, key: str) -> tuple[str, ...]:
        if not isinstance(node.value, list):
            raise self.fail(node.line, key, f"expected a list of strings, got {_type_name(node.value)}")
        return tuple(self.string(item, f"{key}[{i}]") for i, item in enumerate(node.value))

    def rule_ids(self, node: _Node, key: str) -> tuple[str, ...]:
        ids = self.strings(node, key)
        for index, (rule_id, item) in enumerate(zip(ids, node.value, strict=True)):
            self.rule_id(rule_id, item.line, f"{key}[{index}]")
        return tuple(i.upper() for i in ids)

    def rule_id(self, rule_id: str, line: int, key: str) -> None:
        wanted = rule_id.upper()
        if not wanted or not any(known.startswith(wanted) for known in self.known):
            raise self.fail(line, key, "matches no rule ID (see `iacm-lint rules`)")

    def mapping(self, node: _Node, key: str) -> dict[str, tuple[int, _Node]]:
        if not isinstance(node.value, dict):
            raise self.fail(node.line, key, f"expected a mapping, got {_type_name(node.value)}")
        return node.value

    def boolean(self, node: _Node, key: str) -> bool:
        if not isinstance(node.value, bool):
            raise self.fail(node.line, key, f"expected true or false, got {_type_name(node.value)}")
        return node.value


def _type_name(value: Any) -> str:
    """What a value is, never what it says: the file may be any file of the machine."""
    if isinstance(value, dict):
        return f"a mapping of {_count(len(value), 'key')}"
    if isinstance(value, list):
        return f"a list of {_count(len(value), 'item')}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean (YAML reads yes, no, on and off as booleans: quote them to mean text)"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"a string of {_count(len(value), 'character')}"
    return f"a {type(value).__name__}"  # TOML dates and times


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _validate(tree: _Node, path: str, display: str, found: bool = False) -> Config:
    check = _Checker(display)
    if not isinstance(tree.value, dict):
        raise ConfigError(f"{display}:{tree.line}: the configuration must be a mapping of keys, "
                          f"got {_type_name(tree.value)}")
    values: dict[str, Any] = {}
    for key, (line, node) in tree.value.items():
        handler = _KEYS.get(key)
        if handler is None:
            raise check.fail(line, shown(key), f"unknown key; valid keys are {', '.join(sorted(_KEYS))}")
        field_name, parse = handler
        values[field_name] = parse(check, node, key)
    return Config(path=path, found=found, **values)


def _severity(check: _Checker, node: _Node, key: str) -> dict[str, str]:
    levels = {}
    for rule_id, (line, value) in check.mapping(node, key).items():
        check.rule_id(rule_id, line, f"{key}.{shown(rule_id)}")
        if value.value is False and value.raw.lower() == "off":  # YAML 1.1 reads `off` as false
            level = "off"
        else:
            level = check.choice(value, f"{key}.{shown(rule_id)}", SEVERITY_CHOICES)
        levels[rule_id.upper()] = level
    return levels


def _per_file_ignores(check: _Checker, node: _Node, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    entries = []
    for glob, (_line, value) in check.mapping(node, key).items():
        entries.append((glob, check.rule_ids(value, f"{key}.{shown(glob)}")))
    return tuple(entries)


def _file_size(check: _Checker, node: _Node, key: str) -> int:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_SIZE_LIMIT:
        raise check.fail(node.line, key, f"expected a positive number of bytes up to {MAX_SIZE_LIMIT} "
                                         f"({size_text(MAX_SIZE_LIMIT)}), got {_type_name(value)}")
    return value


_KEYS: dict[str, tuple[str, Callable[[_Checker, _Node, str], Any]]] = {
    "engine": ("engine", lambda c, n, k: c.choice(n, k, ENGINE_CHOICES)),
    "state": ("state", lambda c, n, k: c.choice(n, k, STATE_CHOICES)),
    "roots": ("roots", lambda c, n, k: c.strings(n, k)),
    "exclude": ("exclude", lambda c, n, k: c.strings(n, k)),
    "select": ("select", lambda c, n, k: c.rule_ids(n, k)),
    "ignore": ("ignore", lambda c, n, k: c.rule_ids(n, k)),
    "severity": ("severity", _severity),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "require-reasons": ("require_reasons", lambda c, n, k: c.boolean(n, k)),
    "baseline": ("baseline", lambda c, n, k: c.string(n, k)),
    "max-file-size": ("max_file_size", _file_size),
    "fix": ("fix", lambda c, n, k: c.boolean(n, k)),
    "unsafe-fixes": ("unsafe_fixes", lambda c, n, k: c.boolean(n, k)),
    "fixable": ("fixable", lambda c, n, k: c.rule_ids(n, k)),
    "unfixable": ("unfixable", lambda c, n, k: c.rule_ids(n, k)),
}


# ---- turning a Config into engine Options fields -----------------------------------


def path_matcher(globs: Iterable[str], config_dir: str, scan_root: str) -> Callable[[str], bool]:
    """`matcher(rel_path) -> bool` for scan-root relative paths, with `globs`
    (gitignore syntax, matched without backtracking: lint/knowledge/globs.py) relative
    to `config_dir`. A directory also matches when a glob names everything
    under it (`examples/**`), so the walk skips it."""
    rules = PatternList(globs)
    prefix = os.path.relpath(scan_root, config_dir).replace(os.sep, "/")
    outside = prefix == ".." or prefix.startswith("../")

    def to_config_relative(rel_path: str) -> Optional[str]:
        if rel_path in ("", "."):
            return None
        if prefix == ".":
            return rel_path
        if outside:  # scanning above the config's directory: only paths below it can match
            absolute = os.path.join(scan_root, rel_path)
            relative = os.path.relpath(absolute, config_dir).replace(os.sep, "/")
            return None if relative.startswith("../") else relative
        return f"{prefix}/{rel_path}"

    def matches(rel_path: str) -> bool:
        target = to_config_relative(rel_path)
        if target is None:
            return False
        if rules.excludes(target):
            return True
        return rules.excludes_directory(target) and os.path.isdir(os.path.join(scan_root, rel_path))

    return matches


def _expand_severity(levels: dict[str, str]) -> dict[str, str]:
    """Prefix keys (`IACM2: note`) become one entry per rule; a longer, more
    specific key wins over a shorter one whatever the order in the file."""
    expanded: dict[str, str] = {}
    known = _known_rule_ids()
    for key in sorted(levels, key=len):
        for rule_id in known:
            if rule_id.startswith(key):
                expanded[rule_id] = levels[key]
    return expanded


def options_from_config(config: Config, paths: list[str]) -> dict[str, Any]:
    """The `options.Options` fields the config sets (only those it sets)."""
    root = scan_root(paths)
    fields: dict[str, Any] = {}
    for name in ("engine", "state", "select", "ignore", "require_reasons", "fix", "unsafe_fixes", "fixable",
                 "unfixable"):
        value = getattr(config, name)
        if value is not None:
            fields[name] = value
    if config.severity:
        fields["severity"] = _expand_severity(config.severity)
    if config.roots is not None:
        for index, directory in enumerate(config.roots):  # a mistyped root would silently drop every root-scoped check
            if not os.path.isdir(os.path.join(config.directory, directory)):
                raise ConfigError(f"{_display(config.path)}: roots[{index}]: not a directory "
                                  "(roots are relative to the config file's directory)")
        fields["roots"] = tuple(_to_scan_relative(r, config.directory, root) for r in config.roots)
    if config.exclude:
        fields["exclude"] = path_matcher(config.exclude, config.directory, root)
    if config.per_file_ignores:
        fields["per_file_ignores"] = tuple((path_matcher([glob], config.directory, root), ids)
                                           for glob, ids in config.per_file_ignores)
    if config.baseline is not None:
        fields["baseline"] = _baseline_path(config, config.baseline)
    if config.max_file_size is not None:
        fields["max_file_bytes"] = config.max_file_size
    return fields


def _baseline_path(config: Config, baseline: str) -> str:
    """The config's `baseline:` as a path. A found config's baseline must be a
    file inside the config's directory, not a link: `baseline: /dev/zero` or
    `../../.ssh/id_rsa` in a repository under review is refused."""
    path = os.path.join(config.directory, baseline)
    if not config.found:
        return path
    directory = os.path.realpath(config.directory)
    resolved = os.path.realpath(path)
    if os.path.islink(path) or not resolved.startswith(directory.rstrip(os.sep) + os.sep):
        raise ConfigError(f"{_display(config.path)}: baseline: refusing {_display(os.path.normpath(path))}: a "
                          "baseline named by a configuration found in the scanned tree must be a file inside the "
                          "configuration's directory, not a link (give --baseline FILE to use another)")
    return path


def _to_scan_relative(directory: str, config_dir: str, scan_root: str) -> str:
    absolute = os.path.normpath(os.path.join(config_dir, directory))
    return os.path.relpath(absolute, scan_root).replace(os.sep, "/")
