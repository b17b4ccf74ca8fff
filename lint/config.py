"""The configuration file: `.iacm-lint.yaml`, or `[tool.iacm-lint]` in
`pyproject.toml`.

`find_config(path)` looks upward from the first scanned path for the nearest
directory holding either (a `.iacm-lint.yaml` wins over a `pyproject.toml` in
the same directory; a `pyproject.toml` without the table is passed over).
`load_config(file)` reads and validates it strictly: an unknown key, a wrong
type or an unknown rule ID raises `ConfigError` naming the file, the line and
the key, which the CLI prints before exiting with status 2.
`options_from_config(config, paths)` turns it into `engine.Options` fields;
the CLI lays its explicitly given options over them.

Paths in the file (`roots`, `exclude`, `per-file-ignores`, `baseline`) are
relative to the directory holding the config file, whatever is scanned.
Globs use `.gitignore` syntax (lint/globs.py): `examples/**`, `**/.terragrunt-cache/**`,
`*.bak` (no slash: any depth).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


CONFIG_NAME = ".iacm-lint.yaml"
PYPROJECT = "pyproject.toml"
TOML_TABLE = "tool.iacm-lint"

ENGINE_CHOICES = ("auto", "opentofu", "terraform")
STATE_CHOICES = ("auto", "existing", "managed")
SEVERITY_CHOICES = ("error", "warning", "note", "off")


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

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)


# ---- discovery ------------------------------------------------------------------


def find_config(start: str) -> Optional[str]:
    """The nearest `.iacm-lint.yaml` (or pyproject.toml with `[tool.iacm-lint]`)
    in `start`'s directory or any parent, or None."""
    directory = os.path.realpath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        candidate = os.path.join(directory, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
        pyproject = os.path.join(directory, PYPROJECT)
        if os.path.isfile(pyproject) and _pyproject_has_table(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _pyproject_has_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return False
    # A cheap textual test first so that unrelated pyproject files are never parsed. A header that
    # lacks its "]" still counts: parsing then reports the TOML error instead of ignoring the config.
    return bool(re.search(r'^\s*\[\s*tool\s*\.\s*(?:"iacm-lint"|iacm-lint)\s*(?:[.\]]|$)', text, re.MULTILINE))


# ---- loading: both formats become a tree of _Node (value + line) ----------------


@dataclass(frozen=True)
class _Node:
    value: Any  # dict[str, (key line, _Node)] / list[_Node] / scalar
    line: int
    raw: str = ""  # a YAML scalar's source text (`off` resolves to False in YAML 1.1)


def load_config(path: str) -> Config:
    """Read and validate one config file; `ConfigError` on any problem."""
    path = os.path.abspath(path)
    display = _display(path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ConfigError(f"config file {display} does not exist; check the --config path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {display}: {getattr(exc, 'strerror', None) or exc}") from None
    if path.endswith(".toml"):
        tree = _toml_tree(text, display)
    else:
        tree = _yaml_tree(text, display)
    return _validate(tree, path, display)


def _display(path: str) -> str:
    """A config path as messages show it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _yaml_tree(text: str, display: str) -> _Node:
    import yaml  # here, not at the top: a scan without a YAML config never pays for the import

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ConfigError(f"{display}:{line}: invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{display}: invalid YAML: {exc}") from None
    if node is None:
        return _Node({}, 1)
    return _from_yaml(node, display)


def _from_yaml(node, display: str) -> _Node:
    import yaml

    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        entries: dict[str, tuple[int, _Node]] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise ConfigError(f"{display}:{key_line}: a key must be a plain string")
            key = key_node.value
            if key in entries:
                raise ConfigError(f"{display}:{key_line}: {key}: duplicate key (first on line {entries[key][0]}); "
                                  "keep one of them")
            entries[key] = (key_line, _from_yaml(value_node, display))
        return _Node(entries, line)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_from_yaml(item, display) for item in node.value], line)
    loader = yaml.SafeLoader("")  # only to resolve the scalar's tag (int, bool, null, string)
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise ConfigError(f"{display}:{line}: {exc.problem}") from None
    finally:
        loader.dispose()
    return _Node(value, line, node.value if isinstance(node.value, str) else "")


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
        raise ConfigError(f"{display}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("iacm-lint")
    if table is None:
        raise ConfigError(f"{display} has no [tool.iacm-lint] table; add one or pass a .iacm-lint.yaml")
    lines = text.splitlines()
    start = _toml_table_line(lines)
    return _from_toml(table, lines, start)


def _toml_table_line(lines: list[str]) -> int:
    pattern = re.compile(r'^\s*\[\s*tool\s*\.\s*(?:"iacm-lint"|iacm-lint)\s*\]')
    return next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), 1)


def _toml_key_line(lines: list[str], after: int, key: str) -> int:
    """tomllib keeps no positions: the first line at or after `after` that
    assigns `key` (bare or quoted, also as a sub-table header) stands in."""
    quoted = re.escape(key)
    pattern = re.compile(rf'(^|[\s{{,.\[])("{quoted}"|\'{quoted}\'|{quoted})\s*(=|\])')
    for index in range(max(after - 1, 0), len(lines)):
        if pattern.search(lines[index]):
            return index + 1
    return after


def _from_toml(value: Any, lines: list[str], line: int) -> _Node:
    if isinstance(value, dict):
        entries = {}
        for key, item in value.items():
            key_line = _toml_key_line(lines, line, key)
            entries[key] = (key_line, _from_toml(item, lines, key_line))
        return _Node(entries, line)
    if isinstance(value, list):
        return _Node([_from_toml(item, lines, line) for item in value], line)
    return _Node(value, line, value if isinstance(value, str) else "")


# ---- validation ----------------------------------------------------------------


def _known_rule_ids() -> list[str]:
    from .registry import all_rules

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
            raise self.fail(node.line, key, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def strings(self, node: _Node, key: str) -> tuple[str, ...]:
        if not isinstance(node.value, list):
            raise self.fail(node.line, key, f"expected a list of strings, got {_type_name(node.value)}")
        return tuple(self.string(item, f"{key}[{i}]") for i, item in enumerate(node.value))

    def rule_ids(self, node: _Node, key: str) -> tuple[str, ...]:
        ids = self.strings(node, key)
        for index, (rule_id, item) in enumerate(zip(ids, node.value)):
            self.rule_id(rule_id, item.line, f"{key}[{index}]")
        return tuple(i.upper() for i in ids)

    def rule_id(self, rule_id: str, line: int, key: str) -> None:
        wanted = rule_id.upper()
        if not wanted or not any(known.startswith(wanted) for known in self.known):
            raise self.fail(line, key, f"{rule_id!r} matches no rule ID (see `iacm-lint rules`)")

    def mapping(self, node: _Node, key: str) -> dict[str, tuple[int, _Node]]:
        if not isinstance(node.value, dict):
            raise self.fail(node.line, key, f"expected a mapping, got {_type_name(node.value)}")
        return node.value

    def boolean(self, node: _Node, key: str) -> bool:
        if not isinstance(node.value, bool):
            raise self.fail(node.line, key, f"expected true or false, got {_type_name(node.value)}")
        return node.value


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return f"{type(value).__name__} {value!r}"


def _validate(tree: _Node, path: str, display: str) -> Config:
    check = _Checker(display)
    if not isinstance(tree.value, dict):
        raise ConfigError(f"{display}:{tree.line}: the configuration must be a mapping of keys, "
                          f"got {_type_name(tree.value)}")
    values: dict[str, Any] = {}
    for key, (line, node) in tree.value.items():
        handler = _KEYS.get(key)
        if handler is None:
            raise check.fail(line, key, f"unknown key; valid keys are {', '.join(sorted(_KEYS))}")
        field_name, parse = handler
        values[field_name] = parse(check, node, key)
    return Config(path=path, **values)


def _severity(check: _Checker, node: _Node, key: str) -> dict[str, str]:
    levels = {}
    for rule_id, (line, value) in check.mapping(node, key).items():
        check.rule_id(rule_id, line, f"{key}.{rule_id}")
        if value.value is False and value.raw.lower() == "off":  # YAML 1.1 reads `off` as false
            level = "off"
        else:
            level = check.choice(value, f"{key}.{rule_id}", SEVERITY_CHOICES)
        levels[rule_id.upper()] = level
    return levels


def _per_file_ignores(check: _Checker, node: _Node, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    entries = []
    for glob, (line, value) in check.mapping(node, key).items():
        entries.append((glob, check.rule_ids(value, f"{key}.{glob}")))
    return tuple(entries)


def _positive_int(check: _Checker, node: _Node, key: str) -> int:
    if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value <= 0:
        raise check.fail(node.line, key, f"expected a positive number of bytes, got {_type_name(node.value)}")
    return node.value


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
    "max-file-size": ("max_file_size", _positive_int),
}


# ---- turning a Config into engine Options fields -----------------------------------


def path_matcher(globs, config_dir: str, scan_root: str) -> Callable[[str], bool]:
    """`matcher(rel_path) -> bool` for scan-root relative paths, with `globs`
    (gitignore syntax, matched without backtracking: lint/globs.py) relative
    to `config_dir`. A directory also matches when a glob names everything
    under it (`examples/**`), so the walk skips it."""
    from .globs import PatternList

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
    """The `engine.Options` fields the config sets (only those it sets)."""
    from .discover import scan_root

    root = scan_root(paths)
    fields: dict[str, Any] = {}
    for name in ("engine", "state", "select", "ignore", "require_reasons"):
        value = getattr(config, name)
        if value is not None:
            fields[name] = value
    if config.severity:
        fields["severity"] = _expand_severity(config.severity)
    if config.roots is not None:
        for directory in config.roots:  # a mistyped root would silently drop every root-scoped check
            if not os.path.isdir(os.path.join(config.directory, directory)):
                raise ConfigError(f"{_display(config.path)}: roots: {directory!r} is not a directory "
                                  "(roots are relative to the config file's directory)")
        fields["roots"] = tuple(_to_scan_relative(r, config.directory, root) for r in config.roots)
    if config.exclude:
        fields["exclude"] = path_matcher(config.exclude, config.directory, root)
    if config.per_file_ignores:
        fields["per_file_ignores"] = tuple((path_matcher([glob], config.directory, root), ids)
                                           for glob, ids in config.per_file_ignores)
    if config.baseline is not None:
        fields["baseline"] = os.path.join(config.directory, config.baseline)
    if config.max_file_size is not None:
        fields["max_file_bytes"] = config.max_file_size
    return fields


def _to_scan_relative(directory: str, config_dir: str, scan_root: str) -> str:
    absolute = os.path.normpath(os.path.join(config_dir, directory))
    return os.path.relpath(absolute, scan_root).replace(os.sep, "/")
