"""Terragrunt's static evaluation (shared/spec/terragrunt.md TG-1.4): the
value of an expression of Terragrunt configuration, computed without running
anything.

A `Value` is a literal (a string, number, bool, null, list or map that
remembers the span of the literal it came from) or unknown: present, but not
known (`get_env("X")`, `run_cmd`, `dependency.x.outputs`, any function the
spec does not list). An evaluation error (a missing file, a wrong type) is an
unknown value with `error` set: it stays local to the values that depend on
it, and `try()`/`can()` swallow it. Where Terragrunt itself would fail in a
fresh clone of the repository, the evaluator records a `Problem` (IACM701)
at the call that fails.

Three contexts decide what the path functions return (`Scope.context`):

- unit: the unit's `terragrunt.hcl` and every file it includes; the
  "current file" of `find_in_parent_folders` and `path_relative_*` is the
  unit's configuration file, also while evaluating `root.hcl`;
- read: a file read by `read_terragrunt_config(p)`: the current file is p;
- standalone: configuration that no unit includes: the unit-dependent
  functions are unknown and nothing is a problem.

The evaluator never reads the disk: every file it needs comes through
`Inputs`, which the scan stage implements over the files it discovered
(inside the scan root, git-ignored files counting as missing), bounded in
the number and size of the files it hands out. Absolute paths are written
under `REPO`, a stand-in for wherever the repository is checked out; a
value built from one is marked `checkout` and is not a literal.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from . import expressions as ex
from .expressions import Node
from .syntax import NOT_LITERAL, Attribute, Block, HclFile, Span

REPO = "/@repo"  # where absolute paths start: the repository's checkout, wherever that is

# Contexts (TG-1.4).
UNIT = "unit"
READ = "read"
STANDALONE = "standalone"

# What `Inputs.status` says of a scan-relative path.
FILE = "file"
DIRECTORY = "directory"
IGNORED = "ignored"  # on disk, but git-ignored: Harness clones what is committed
LINK_OUTSIDE = "link outside"  # a symbolic link that points outside the scan root: never followed
MISSING = "missing"

# Problem kinds (IACM701 and the bad-input diagnostics).
MISSING_FILE = "missing file"
OUTSIDE = "outside the repository"
CYCLE = "cycle"

MAX_LOCAL_DEPTH = 100  # TG-1.4: a `locals` cycle, or depth over 100, is unknown
MAX_READ_DEPTH = 16  # nested read_terragrunt_config calls
MAX_EVAL_DEPTH = 200  # nested expressions being evaluated (templates inside calls inside …)
FRAMES_PER_LEVEL = 16  # Python frames one level of evaluation may take, at most
MAX_STRING = 1 << 20  # longest string a function builds (1 MiB)


class Inputs(Protocol):
    """The files Terragrunt evaluation may read, as the scan stage collected
    them. Paths are scan-relative with "/" separators, already normalised and
    inside the scan root."""

    def status(self, path: str) -> str:
        """FILE, DIRECTORY, IGNORED, LINK_OUTSIDE or MISSING."""
        ...

    def config(self, path: str) -> HclFile | None:
        """The parsed Terragrunt (HCL) file at `path`, or None."""
        ...

    def text(self, path: str) -> str | None:
        """The decoded text of a file, or None when it cannot be had (missing,
        unreadable, too large, past the number of files a scan may read)."""
        ...

    def template(self, text: str, path: str) -> Node | None:
        """`text` parsed as an HCL template (templatefile), or None."""
        ...

    def yaml(self, text: str) -> Any:
        """`text` decoded as YAML (plain Python values); raises ValueError."""
        ...

    def attributes(self, path: str) -> tuple[Attribute, ...] | None:
        """The attributes of a parsed .tfvars/.tfbackend file, or None."""
        ...


# ---- values ------------------------------------------------------------------------------

STRING, NUMBER, BOOL, NULL, LIST, MAP, UNKNOWN = "string", "number", "bool", "null", "list", "map", "unknown"


@dataclass(frozen=True)
class Value:
    """A literal or an unknown value (see the module docstring)."""

    kind: str
    span: Span
    data: Any = None  # str, int, float, bool or None for scalars
    items: tuple[Value, ...] = ()
    entries: tuple[tuple[str, Span, Value], ...] = ()
    checkout: bool = False  # built from an absolute path: depends on where the repository is checked out
    error: bool = False  # unknown because evaluating it failed
    why: str = ""  # unknown: what made it so

    @property
    def is_unknown(self) -> bool:
        return self.kind == UNKNOWN

    @property
    def is_known(self) -> bool:
        """Known all the way down (no unknown item or entry)."""
        if self.kind == UNKNOWN:
            return False
        if self.kind == LIST:
            return all(item.is_known for item in self.items)
        if self.kind == MAP:
            return all(value.is_known for _, _, value in self.entries)
        return True

    @property
    def is_literal(self) -> bool:
        """Known and independent of where the repository is checked out."""
        return self.is_known and not self._depends_on_checkout()

    def _depends_on_checkout(self) -> bool:
        if self.checkout:
            return True
        return any(i._depends_on_checkout() for i in self.items) or \
            any(v._depends_on_checkout() for _, _, v in self.entries)

    def python(self) -> Any:
        """The plain Python value, or NOT_LITERAL when it is not a literal."""
        if not self.is_literal:
            return NOT_LITERAL
        return self._plain()

    def _plain(self) -> Any:
        if self.kind == LIST:
            return [i._plain() for i in self.items]
        if self.kind == MAP:
            return {k: v._plain() for k, _, v in self.entries}
        return self.data

    def get(self, key: str) -> Value | None:
        for name, _, value in self.entries:
            if name == key:
                return value
        return None

    def key_span(self, key: str) -> Span | None:
        for name, span, _ in self.entries:
            if name == key:
                return span
        return None

    @property
    def text(self) -> str | None:
        """The string of a known string value (checkout-dependent ones too)."""
        return self.data if self.kind == STRING else None


def unknown(span: Span, why: str, error: bool = False) -> Value:
    return Value(UNKNOWN, span, error=error, why=why)


def string(text: str, span: Span, checkout: bool = False) -> Value:
    return Value(STRING, span, text, checkout=checkout)


def from_python(data: Any, span: Span) -> Value:
    """A Value of plain Python data (decoded JSON/YAML), every part at `span`."""
    if isinstance(data, bool):
        return Value(BOOL, span, data)
    if data is None:
        return Value(NULL, span)
    if isinstance(data, (int, float)):
        return Value(NUMBER, span, data)
    if isinstance(data, str):
        return Value(STRING, span, data)
    if isinstance(data, (list, tuple)):
        return Value(LIST, span, items=tuple(from_python(i, span) for i in data))
    if isinstance(data, dict):
        return Value(MAP, span, entries=tuple((str(k), span, from_python(v, span)) for k, v in data.items()))
    return unknown(span, f"a value of type {type(data).__name__}")


def merged_map(base: Value, override: Value, deep: bool = False) -> Value:
    """`override`'s entries over `base`'s, key by key (recursively for `deep`)."""
    if base.kind != MAP or override.kind != MAP:
        return override
    entries = {key: (key, span, value) for key, span, value in base.entries}
    for key, span, value in override.entries:
        previous = entries.get(key)
        if deep and previous is not None and previous[2].kind == MAP and value.kind == MAP:
            value = merged_map(previous[2], value, deep=True)
        entries[key] = (key, span, value)
    return Value(MAP, override.span, entries=tuple(entries.values()))


# ---- paths -------------------------------------------------------------------------------


def absolute(relative: str) -> str:
    """A scan-relative path as an absolute one under REPO."""
    return REPO if relative in (".", "") else f"{REPO}/{relative}"


def relative(path: str) -> str | None:
    """An absolute path under REPO as scan-relative, or None when it lies
    outside the repository."""
    normal = posixpath.normpath(path)
    if normal == REPO:
        return "."
    if normal.startswith(REPO + "/"):
        return normal[len(REPO) + 1:]
    return None


def join_path(directory_abs: str, path: str) -> str:
    """`path` (absolute, or relative to `directory_abs`) normalised."""
    joined = path if path.startswith("/") else posixpath.join(directory_abs, path)
    normal = posixpath.normpath(joined)
    inside = normal == REPO or normal.startswith(REPO + "/")
    if not inside and (joined == REPO or joined.startswith(REPO + "/")):
        return f"{REPO}/{posixpath.relpath(normal, REPO)}"  # climbs above the root: messages show how far
    return normal


def directory_of(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."


# ---- what evaluation reports -------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something Terragrunt cannot resolve in a fresh clone (IACM701), at
    the call or attribute that fails."""

    span: Span
    message: str
    kind: str = MISSING_FILE


@dataclass
class IncludeRef:
    """An include as evaluation sees it: the included file and, when it is
    exposed, its evaluated configuration (`include.<label>.*`)."""

    label: str
    path: str  # scan-relative path of the included file
    exposed: Callable[[], Value] | None = None


@dataclass
class Scope:
    """One file being evaluated in one context."""

    file: HclFile
    context: str
    config_path: str | None  # the "current file" of the context (scan-relative); None standalone
    includes: dict[str, IncludeRef] = field(default_factory=dict)
    original: IncludeRef | None = None  # the include being evaluated, inside an included file
    variables: dict[str, Value] = field(default_factory=dict)  # templatefile() variables
    local_nodes: dict[str, tuple[Attribute, Node]] = field(default_factory=dict)
    local_values: dict[str, Value] = field(default_factory=dict)
    resolving: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for block in self.file.top("locals"):
            for attribute in block.attributes:
                if attribute.expr.tree is not None:
                    self.local_nodes.setdefault(attribute.name, (attribute, attribute.expr.tree))

    @property
    def file_dir(self) -> str:
        return absolute(self.file.directory)

    @property
    def config_dir(self) -> str | None:
        return absolute(directory_of(self.config_path)) if self.config_path is not None else None


class Limits:
    """How much evaluation a scan may do (bounded: depth, files, size)."""

    def __init__(self, max_read_depth: int = MAX_READ_DEPTH, max_eval_depth: int = MAX_EVAL_DEPTH):
        self.max_read_depth = max_read_depth
        self.max_eval_depth = max_eval_depth


class Evaluator:
    """Evaluates Terragrunt expressions of one scan. It keeps what it has
    learnt for that scan only: the configurations read by
    `read_terragrunt_config` (the read context does not depend on the unit),
    the files it reached and the problems it found."""

    def __init__(self, inputs: Inputs, limits: Limits | None = None):
        self.inputs = inputs
        self.limits = limits or Limits()
        self.problems: list[Problem] = []
        self.reached: set[str] = set()  # configuration files read or included (scan-relative)
        self.touched: set[str] = set()  # the same, since the caller last cleared it (one unit's)
        self.notes: list[str] = []
        self._reads: dict[tuple[str, bool], Value] = {}
        self._reading: list[str] = []
        self._depth = 0
        self._guarded = 0  # inside try()/can(): failures are not problems

    # ---- problems -------------------------------------------------------------------------

    def fail(self, scope: Scope, span: Span, message: str, kind: str = MISSING_FILE) -> Value:
        """An error value; a Problem unless inside try()/can() or standalone."""
        if not self._guarded and scope.context != STANDALONE:
            problem = Problem(span, message, kind)
            if problem not in self.problems:
                self.problems.append(problem)
        return unknown(span, message, error=True)

    def take_problems(self) -> list[Problem]:
        found, self.problems = self.problems, []
        return found

    def missing(self, scope: Scope, span: Span, what: str, path_abs: str) -> Value:
        """The error of a file or folder that a fresh clone does not have.
        `what` names the path ("include path") or what reads it ("file() reads")."""
        rel = relative(path_abs)
        shown = rel if rel is not None else path_abs.replace(REPO, "<repository>")
        subject = f"{what} {shown}, which" if what.endswith(" reads") else f"{what} {shown}"
        if rel is None:
            return self.fail(scope, span, f"{subject} lies outside the repository, which a Harness clone does not "
                                          "have", OUTSIDE)
        status = self.inputs.status(rel)
        if status == IGNORED:
            return self.fail(scope, span, f"{subject} is git-ignored, so a fresh clone does not have it")
        if status == LINK_OUTSIDE:
            return self.fail(scope, span, f"{subject} is a symbolic link that points outside the repository, "
                                          "which a Harness clone does not have", OUTSIDE)
        return self.fail(scope, span, f"{subject} does not exist in the repository")

    # ---- evaluation -----------------------------------------------------------------------

    def evaluate(self, node: Node | None, scope: Scope) -> Value:
        if node is None:
            return unknown(Span.file_start(scope.file.path), "no expression")
        if self._depth >= self.limits.max_eval_depth:
            return unknown(node.span, "nested too deeply to evaluate")
        if self._depth == 0:
            return self._outermost(node, scope)
        self._depth += 1
        try:
            return self._evaluate(node, scope)
        finally:
            self._depth -= 1

    def _outermost(self, node: Node, scope: Scope) -> Value:
        """The first level of an evaluation: `max_eval_depth` levels take about
        a dozen Python frames each (a local's call's argument's reference to
        the next local …), more than the default recursion limit allows, so
        the limit is raised for the evaluation; a RecursionError past that
        still only makes the value unknown."""
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, FRAMES_PER_LEVEL * self.limits.max_eval_depth + limit))
        self._depth = 1
        try:
            return self._evaluate(node, scope)
        except RecursionError:
            return unknown(node.span, "nested too deeply to evaluate")
        finally:
            self._depth = 0
            sys.setrecursionlimit(limit)

    def attribute(self, attribute: Attribute | None, scope: Scope) -> Value | None:
        if attribute is None:
            return None
        if attribute.expr.tree is None:
            return unknown(attribute.expr.span, "not evaluated")
        return self.evaluate(attribute.expr.tree, scope)

    def _evaluate(self, node: Node, scope: Scope) -> Value:
        kind = node.kind
        if kind == ex.LITERAL:
            return from_python(node.value, node.span)
        if kind == ex.TEXT:
            return string(node.value, node.span)
        if kind == ex.TEMPLATE:
            return self._template(node, scope)
        if kind == ex.TUPLE:
            return Value(LIST, node.span, items=tuple(self.evaluate(c, scope) for c in node.children))
        if kind == ex.OBJECT:
            return self._object(node, scope)
        if kind in (ex.REF, ex.ATTR, ex.INDEX):
            return self._traverse(node, scope)
        if kind == ex.CALL:
            return self._call(node, scope)
        if kind == ex.COND:
            predicate = self.evaluate(node.children[0], scope)
            if predicate.kind == BOOL:
                return self.evaluate(node.children[1] if predicate.data else node.children[2], scope)
            if predicate.kind == STRING and predicate.data in ("true", "false"):
                return self.evaluate(node.children[1] if predicate.data == "true" else node.children[2], scope)
            return _unknown_from([predicate], node.span, "a condition that is not known")
        if kind == ex.BINARY:
            return _binary(node, self.evaluate(node.children[0], scope), self.evaluate(node.children[1], scope))
        if kind == ex.UNARY:
            return _unary(node, self.evaluate(node.children[0], scope))
        if kind == ex.FOR:
            return self._for(node, scope)
        return unknown(node.span, f"{node.name or 'an expression'} is not evaluated")

    def _for(self, node: Node, scope: Scope) -> Value:
        """A `for` expression over a known list or map."""
        collection = self.evaluate(node.children[0], scope)
        if collection.kind == LIST:
            pairs = [(Value(NUMBER, item.span, index), item) for index, item in enumerate(collection.items)]
        elif collection.kind == MAP:
            pairs = [(string(key, span), value) for key, span, value in collection.entries]
        else:
            return _unknown_from([collection], node.span, "a for expression over a value that is not known")
        key_name, value_name = node.value
        items: list[Value] = []
        entries: list[tuple[str, Span, Value]] = []
        for key, value in pairs:
            names = {value_name: value} if key_name is None else {key_name: key, value_name: value}
            inner = replace(scope, variables={**scope.variables, **names})
            condition = self.evaluate(node.children[-1], inner)
            if condition.kind != BOOL:
                return _unknown_from([condition], node.span, "a for condition that is not known")
            if not condition.data:
                continue
            if node.name == "tuple":
                items.append(self.evaluate(node.children[1], inner))
                continue
            result_key = self.evaluate(node.children[1], inner)
            text = _as_string(result_key) if result_key.is_known else None
            if text is None:
                return _unknown_from([result_key], node.span, "a for key that is not known")
            entries.append((text, result_key.span, self.evaluate(node.children[2], inner)))
        if node.name == "tuple":
            return Value(LIST, node.span, items=tuple(items))
        return Value(MAP, node.span, entries=tuple(entries))

    def _template(self, node: Node, scope: Scope) -> Value:
        pieces: list[str] = []
        checkout = False
        parts = [self.evaluate(part, scope) for part in node.children]
        for part in parts:
            if part.is_unknown:
                return _unknown_from(parts, node.span, "a template with an unknown part")
            text = _as_string(part)
            if text is None:
                return unknown(node.span, f"a {part.kind} in a template", error=True)
            pieces.append(text)
            checkout = checkout or part.checkout
        return string("".join(pieces), node.span, checkout)

    def _object(self, node: Node, scope: Scope) -> Value:
        entries: list[tuple[str, Span, Value]] = []
        for item in node.children:
            key_node, value_node = item.children
            key = (from_python(key_node.value, key_node.span) if key_node.kind == ex.LITERAL
                   else self.evaluate(key_node, scope))
            text = _as_string(key) if not key.is_unknown else None
            if text is None:
                return unknown(node.span, "an object with a key that is not known", error=key.error)
            entries.append((text, key_node.span, self.evaluate(value_node, scope)))
        return Value(MAP, node.span, entries=tuple(entries))

    # ---- references -----------------------------------------------------------------------

    def _traverse(self, node: Node, scope: Scope) -> Value:
        if node.kind == ex.REF:
            return self._root_reference(node, scope)
        target_node = node.children[0]
        if target_node.kind == ex.REF and target_node.name not in scope.variables:
            # `local.x` and `include.x` evaluate only what they name
            key = node.name if node.kind == ex.ATTR else _literal_key(node.children[1])
            if key is not None and target_node.name == "local":
                return self.local(scope, key, node.span)
            if key is not None and target_node.name == "include":
                return self._exposed(scope, key, node.span)
        target = self.evaluate(target_node, scope)
        if node.kind == ex.ATTR:
            return _index(target, string(node.name, node.span), node.span)
        return _index(target, self.evaluate(node.children[1], scope), node.span)

    def _root_reference(self, node: Node, scope: Scope) -> Value:
        name = node.name
        if name in scope.variables:
            return scope.variables[name]
        if name == "local":
            return Value(MAP, node.span, entries=tuple((local, node.span, self.local(scope, local, node.span))
                                                        for local in scope.local_nodes))
        if name == "include":
            return Value(MAP, node.span, entries=tuple((label, node.span, self._exposed(scope, label, node.span))
                                                        for label, ref in scope.includes.items() if ref.exposed))
        if name in ("dependency", "values", "feature"):
            return unknown(node.span, f"{name}.* is only known when Terragrunt runs")
        return unknown(node.span, f"{name} is not a Terragrunt value", error=True)

    def _exposed(self, scope: Scope, label: str, span: Span) -> Value:
        include = scope.includes.get(label)
        if include is None or include.exposed is None:
            return unknown(span, f"include.{label} is not an exposed include of this unit", error=True)
        return include.exposed()

    def local(self, scope: Scope, name: str, span: Span) -> Value:
        if name in scope.local_values:
            return scope.local_values[name]
        found = scope.local_nodes.get(name)
        if found is None:
            return unknown(span, f"local.{name} is not declared in {scope.file.path}", error=True)
        if name in scope.resolving or len(scope.resolving) >= MAX_LOCAL_DEPTH:
            return unknown(span, f"local.{name} refers to itself")
        scope.resolving.append(name)
        try:
            value = self.evaluate(found[1], scope)
        finally:
            scope.resolving.pop()
        scope.local_values[name] = value
        return value

    # ---- configuration files --------------------------------------------------------------

    def config_value(self, scope: Scope) -> Value:
        """A whole configuration file as a map (what read_terragrunt_config
        returns and what `include.<label>` exposes): its attributes, its
        locals, and each block as a map (labelled blocks under their type,
        keyed by label)."""
        hcl_file = scope.file
        span = Span.file_start(hcl_file.path)
        entries: list[tuple[str, Span, Value]] = []
        for attribute in hcl_file.attributes:
            entries.append((attribute.name, attribute.name_span, self.attribute(attribute, scope) or unknown(span, "")))
        local_entries = tuple((name, attribute.name_span, self.local(scope, name, attribute.name_span))
                              for name, (attribute, _) in scope.local_nodes.items())
        if scope.local_nodes:
            entries.append(("locals", span, Value(MAP, span, entries=local_entries)))
        labelled: dict[str, list[tuple[str, Span, Value]]] = {}
        for block in hcl_file.blocks:
            if block.type in ("locals", "include"):
                continue
            value = self.block_value(block, scope)
            if block.labels:
                labelled.setdefault(block.type, []).append((block.labels[0], block.header_span, value))
            else:
                entries.append((block.type, block.header_span, value))
        for block_type, items in labelled.items():
            entries.append((block_type, items[0][1], Value(MAP, items[0][1], entries=tuple(items))))
        return Value(MAP, span, entries=tuple(entries))

    def block_value(self, block: Block, scope: Scope) -> Value:
        entries: list[tuple[str, Span, Value]] = []
        for attribute in block.attributes:
            value = self.attribute(attribute, scope)
            if value is not None:
                entries.append((attribute.name, attribute.name_span, value))
        if block.type == "dependency":
            entries.append(("outputs", block.header_span, unknown(block.header_span, "dependency outputs")))
        nested: dict[str, list[tuple[str, Span, Value]]] = {}
        for child in block.blocks:
            value = self.block_value(child, scope)
            if child.labels:
                nested.setdefault(child.type, []).append((child.labels[0], child.header_span, value))
            else:
                entries.append((child.type, child.header_span, value))
        for block_type, items in nested.items():
            entries.append((block_type, items[0][1], Value(MAP, items[0][1], entries=tuple(items))))
        return Value(MAP, block.header_span, entries=tuple(entries))

    def read_config(self, path_abs: str, span: Span, scope: Scope) -> Value:
        """read_terragrunt_config: the file evaluated in the read context."""
        rel = relative(path_abs)
        if rel is None or self.inputs.status(rel) != FILE:
            return self.missing(scope, span, "read_terragrunt_config reads", path_abs)
        key = (rel, bool(self._guarded))
        self.touched.add(rel)
        if key in self._reads:
            self.reached.add(rel)
            return self._reads[key]
        if rel in self._reading:
            return self.fail(scope, span, f"read_terragrunt_config of {rel} reads itself again "
                                          f"({' -> '.join(self._reading[self._reading.index(rel):] + [rel])})", CYCLE)
        if len(self._reading) >= self.limits.max_read_depth:
            self.notes.append(f"{span.path}:{span.line}: read_terragrunt_config nested more than "
                              f"{self.limits.max_read_depth} deep; not evaluated")
            return unknown(span, "read_terragrunt_config nested too deeply")
        config = self.inputs.config(rel)
        self.reached.add(rel)
        if config is None:
            return unknown(span, f"{rel} is not Terragrunt configuration that could be read")
        self._reading.append(rel)
        try:
            value = self.config_value(Scope(config, READ, rel))
        finally:
            self._reading.pop()
        self._reads[key] = value  # read under try() or not: a failure inside is swallowed or not
        return value

    # ---- functions ------------------------------------------------------------------------

    def _call(self, node: Node, scope: Scope) -> Value:
        name = node.name
        handler = _FUNCTIONS.get(name)
        if name in ("try", "can"):
            return self._try_or_can(node, scope)
        if handler is None:
            return unknown(node.span, f"{name}() is not evaluated")
        if node.value:  # f(args...): the expanded list is not worth following
            return unknown(node.span, f"{name}() with expanded arguments")
        return handler(self, node, scope)

    def _try_or_can(self, node: Node, scope: Scope) -> Value:
        self._guarded += 1
        try:
            values = [self.evaluate(argument, scope) for argument in node.children]
        finally:
            self._guarded -= 1
        if node.name == "can":
            if not values:
                return unknown(node.span, "can() without an argument", error=True)
            if values[0].error:
                return Value(BOOL, node.span, False)
            if not values[0].is_known:
                return unknown(node.span, "can() of an unknown value")
            return Value(BOOL, node.span, True)
        for value in values:
            if not value.error:
                return value
        return unknown(node.span, "every argument of try() fails", error=True)

    def arguments(self, node: Node, scope: Scope) -> list[Value]:
        return [self.evaluate(argument, scope) for argument in node.children]


# ---- helpers over values --------------------------------------------------------------------


def _literal_key(node: Node) -> str | None:
    if node.kind == ex.LITERAL and isinstance(node.value, str):
        return node.value
    return None


def _unknown_from(values: list[Value], span: Span, why: str) -> Value:
    error = any(v.error for v in values)
    reason = next((v.why for v in values if v.is_unknown and v.why), why)
    return unknown(span, reason, error=error)


def _as_string(value: Value) -> str | None:
    """HCL's conversion of a primitive to a string; None for others."""
    if value.kind == STRING:
        return value.data
    if value.kind == BOOL:
        return "true" if value.data else "false"
    if value.kind == NUMBER:
        data = value.data
        if isinstance(data, float) and data.is_integer():
            return str(int(data))
        return str(data)
    return None


def _as_number(value: Value) -> float | None:
    if value.kind == NUMBER and not isinstance(value.data, str):
        return value.data
    if value.kind == STRING:
        try:
            number = float(value.data)
        except ValueError:
            return None
        whole = number.is_integer() and "." not in value.data and "e" not in value.data.lower()
        return int(number) if whole else number
    return None


def _as_bool(value: Value) -> bool | None:
    if value.kind == BOOL:
        return value.data
    if value.kind == STRING and value.data in ("true", "false"):
        return value.data == "true"
    return None


def _index(target: Value, key: Value, span: Span) -> Value:
    if key.is_unknown:
        return _unknown_from([key], span, "an index that is not known")
    if target.is_unknown:
        return _unknown_from([target], span, target.why or "a reference to an unknown value")
    if target.kind == MAP:
        name = _as_string(key)
        found = target.get(name) if name is not None else None
        if found is None:
            return unknown(span, f'no "{name}" in the value', error=True)
        return found
    if target.kind == LIST:
        number = _as_number(key)
        if number is None or number != int(number) or not 0 <= int(number) < len(target.items):
            return unknown(span, "an index out of range", error=True)
        return target.items[int(number)]
    return unknown(span, f"a {target.kind} has no attributes", error=True)


_COMPARE = {"==", "!="}
_ORDER = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
_ARITHMETIC = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}


def _binary(node: Node, left: Value, right: Value) -> Value:
    operator = node.name
    if left.is_unknown or right.is_unknown:
        return _unknown_from([left, right], node.span, "an operand that is not known")
    if operator in _COMPARE:
        equal = left.python() == right.python() and left.kind == right.kind
        if not (left.is_literal and right.is_literal):
            return unknown(node.span, "a comparison of values that are not known")
        return Value(BOOL, node.span, equal if operator == "==" else not equal)
    if operator in ("&&", "||"):
        a, b = _as_bool(left), _as_bool(right)
        if a is None or b is None:
            return unknown(node.span, "a logical operator on a value that is not a bool", error=True)
        return Value(BOOL, node.span, (a and b) if operator == "&&" else (a or b))
    a_number, b_number = _as_number(left), _as_number(right)
    if a_number is None or b_number is None:
        return unknown(node.span, f"{operator} on a value that is not a number", error=True)
    if operator in _ORDER:
        return Value(BOOL, node.span, _ORDER[operator](a_number, b_number))
    if operator in _ARITHMETIC:
        return Value(NUMBER, node.span, _ARITHMETIC[operator](a_number, b_number))
    if operator in ("/", "%") and b_number != 0:
        return Value(NUMBER, node.span, a_number / b_number if operator == "/" else a_number % b_number)
    return unknown(node.span, f"{operator} cannot be evaluated", error=True)


def _unary(node: Node, operand: Value) -> Value:
    if operand.is_unknown:
        return _unknown_from([operand], node.span, "an operand that is not known")
    if node.name == "!":
        truth = _as_bool(operand)
        if truth is None:
            return unknown(node.span, "! on a non-bool", error=True)
        return Value(BOOL, node.span, not truth)
    number = _as_number(operand)
    if number is None:
        return unknown(node.span, "- on a non-number", error=True)
    return Value(NUMBER, node.span, -number)


# ---- the functions (TG-1.4: exactly these are evaluated) --------------------------------------

Function = Callable[[Evaluator, Node, Scope], Value]
_FUNCTIONS: dict[str, Function] = {}


def _function(*names: str) -> Callable[[Function], Function]:
    def register(handler: Function) -> Function:
        for name in names:
            _FUNCTIONS[name] = handler
        return handler
    return register


def _strings(evaluator: Evaluator, node: Node, scope: Scope, count: int) -> tuple[list[Value] | None, Value | None]:
    """The first `count` arguments as strings, or (None, the value to return)."""
    values = [v for v in evaluator.arguments(node, scope)]
    if len(values) < count:
        return None, unknown(node.span, f"{node.name}() needs {count} arguments", error=True)
    if any(v.is_unknown for v in values[:count]):
        return None, _unknown_from(values, node.span, f"{node.name}() of a value that is not known")
    if any(_as_string(v) is None for v in values[:count]):
        return None, unknown(node.span, f"{node.name}() of a value that is not a string", error=True)
    return values, None


def _string_result(node: Node, text: str, checkout: bool = False) -> Value:
    if len(text) > MAX_STRING:
        return unknown(node.span, f"{node.name}() builds a string over {MAX_STRING} characters")
    return string(text, node.span, checkout)


@_function("find_in_parent_folders")
def _find_in_parent_folders(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    if scope.context == STANDALONE or scope.config_dir is None:
        return unknown(node.span, "find_in_parent_folders() depends on the unit")
    values = [v for v in evaluator.arguments(node, scope)]
    if any(v.is_unknown for v in values):
        return _unknown_from(values, node.span, "find_in_parent_folders() of a value that is not known")
    name = _as_string(values[0]) if values else "terragrunt.hcl"
    if name is None or name == "":
        name = "terragrunt.hcl"
    start = relative(scope.config_dir)
    current = start or "."
    while current != ".":
        current = directory_of(current)
        candidate = posixpath.normpath(name if current == "." else f"{current}/{name}")
        if not candidate.startswith("../") and candidate != ".." and evaluator.inputs.status(candidate) == FILE:
            return string(absolute(candidate), node.span, checkout=True)
    if len(values) > 1:
        return values[1]
    below = start if start not in (None, ".") else "the repository root"
    ignored = [d for d in _parents(start or ".") if evaluator.inputs.status(_join(d, name)) == IGNORED]
    if ignored:
        return evaluator.fail(scope, node.span, f'find_in_parent_folders("{name}") finds only '
                                                f"{_join(ignored[0], name)}, which is git-ignored, so a fresh clone "
                                                "does not have it")
    return evaluator.fail(scope, node.span, f'find_in_parent_folders("{name}") finds no {name} in the folders above '
                                            f"{below} up to the repository root")


def _parents(start: str) -> list[str]:
    found = []
    current = start
    while current != ".":
        current = directory_of(current)
        found.append(current)
    return found


def _join(directory: str, name: str) -> str:
    return posixpath.normpath(name if directory == "." else f"{directory}/{name}")


def _include_for(evaluator: Evaluator, node: Node, scope: Scope) -> tuple[IncludeRef | None, Value | None]:
    """The include a path function means: the one being evaluated, the only
    one, or the one named by its argument."""
    if scope.original is not None:
        return scope.original, None
    if not scope.includes:
        return None, None
    if len(scope.includes) == 1 and not node.children:
        return next(iter(scope.includes.values())), None
    values = [v for v in evaluator.arguments(node, scope)]
    label = _as_string(values[0]) if values and not values[0].is_unknown else None
    if label is None or label not in scope.includes:
        return None, unknown(node.span, f"{node.name}() names no include of this unit", error=bool(values))
    return scope.includes[label], None


@_function("path_relative_to_include", "path_relative_from_include")
def _path_relative(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    if scope.context == STANDALONE or scope.config_path is None:
        return unknown(node.span, f"{node.name}() depends on the unit")
    include, failed = _include_for(evaluator, node, scope)
    if failed is not None:
        return failed
    if include is None:
        return string(".", node.span)
    unit_dir = directory_of(scope.config_path)
    include_dir = directory_of(include.path)
    if node.name == "path_relative_to_include":
        return string(posixpath.relpath(absolute(unit_dir), absolute(include_dir)), node.span)
    return string(posixpath.relpath(absolute(include_dir), absolute(unit_dir)), node.span)


@_function("get_terragrunt_dir", "get_original_terragrunt_dir")
def _get_terragrunt_dir(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    if scope.context == STANDALONE or scope.config_dir is None:
        return unknown(node.span, f"{node.name}() depends on the unit")
    if node.name == "get_original_terragrunt_dir" and scope.context == READ:
        return unknown(node.span, "get_original_terragrunt_dir() inside a file read by read_terragrunt_config")
    return string(scope.config_dir, node.span, checkout=True)


@_function("get_parent_terragrunt_dir")
def _get_parent_terragrunt_dir(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    if scope.context == STANDALONE:
        return unknown(node.span, "get_parent_terragrunt_dir() depends on the unit")
    include, failed = _include_for(evaluator, node, scope)
    if failed is not None:
        return failed
    if include is None:
        return string(scope.config_dir or scope.file_dir, node.span, checkout=True)
    return string(absolute(directory_of(include.path)), node.span, checkout=True)


@_function("get_repo_root", "get_path_to_repo_root", "get_path_from_repo_root")
def _repo_root(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    if node.name == "get_repo_root":
        return string(REPO, node.span, checkout=True)
    here = scope.config_dir or scope.file_dir
    if node.name == "get_path_from_repo_root":
        return string(posixpath.relpath(here, REPO), node.span)
    return string(posixpath.relpath(REPO, here), node.span)


@_function("read_terragrunt_config")
def _read_terragrunt_config(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = evaluator.arguments(node, scope)
    if not values:
        return unknown(node.span, "read_terragrunt_config() needs a path", error=True)
    path = values[0]
    if path.is_unknown:
        return _unknown_from([path], node.span, "read_terragrunt_config() of a path that is not known")
    text = _as_string(path)
    if text is None:
        return unknown(node.span, "read_terragrunt_config() of a value that is not a path", error=True)
    base = scope.config_dir or scope.file_dir
    target = join_path(base, text)
    rel = relative(target)
    if len(values) > 1 and (rel is None or evaluator.inputs.status(rel) != FILE):
        return values[1]
    if scope.context == STANDALONE and (rel is None or evaluator.inputs.status(rel) != FILE):
        return unknown(node.span, "read_terragrunt_config() of a file that is not there")
    return evaluator.read_config(target, node.span, scope)


@_function("get_env")
def _get_env(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = evaluator.arguments(node, scope)
    if len(values) >= 2:
        return values[1]  # the default: what a workspace gets unless it sets the variable
    return unknown(node.span, "get_env() without a default is only known when Terragrunt runs")


def _file_path(evaluator: Evaluator, node: Node, scope: Scope) -> tuple[str | None, Value | None, list[Value]]:
    """(absolute path, None, arguments) of a file function, or (None, the value to return, arguments)."""
    values = evaluator.arguments(node, scope)
    if not values:
        return None, unknown(node.span, f"{node.name}() needs a path", error=True), values
    path = values[0]
    if path.is_unknown:
        return None, _unknown_from([path], node.span, f"{node.name}() of a path that is not known"), values
    text = _as_string(path)
    if text is None:
        return None, unknown(node.span, f"{node.name}() of a value that is not a path", error=True), values
    return join_path(scope.file_dir, text), None, values


@_function("file", "templatefile", "read_tfvars_file", "sops_decrypt_file")
def _file(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    target, failed, values = _file_path(evaluator, node, scope)
    if target is None:
        return failed  # type: ignore[return-value]
    rel = relative(target)
    if rel is None or evaluator.inputs.status(rel) != FILE:
        if scope.context == STANDALONE:
            return unknown(node.span, f"{node.name}() of a file that is not there")
        return evaluator.missing(scope, node.span, f"{node.name}() reads", target)
    if node.name == "sops_decrypt_file":
        return unknown(node.span, "sops_decrypt_file() is only known when Terragrunt runs")
    if node.name == "read_tfvars_file":
        attributes = evaluator.inputs.attributes(rel)
        if attributes is None:
            return unknown(node.span, f"{rel} could not be read as a tfvars file")
        return Value(MAP, node.span, entries=tuple(
            (a.name, a.name_span,
             from_python(a.value, a.expr.span) if a.expr.is_literal else unknown(a.expr.span, "not a literal"))
            for a in attributes))
    text = evaluator.inputs.text(rel)
    if text is None:
        return unknown(node.span, f"{rel} could not be read")
    if node.name == "file":
        return string(text, node.span)
    template = evaluator.inputs.template(text, rel)
    if template is None:
        return unknown(node.span, f"{rel} is not a template that could be parsed")
    variables: dict[str, Value] = {}
    if len(values) > 1:
        given = values[1]
        if given.kind != MAP:
            return _unknown_from([given], node.span, "templatefile() variables that are not known")
        variables = {key: value for key, _, value in given.entries}
    inner = replace(scope, variables=variables, local_nodes={}, local_values={}, includes={}, resolving=[])
    rendered = evaluator.evaluate(template, inner)
    if rendered.kind == STRING:
        return string(rendered.data, node.span, rendered.checkout)
    return rendered if rendered.is_unknown else string(_as_string(rendered) or "", node.span)


@_function("fileexists")
def _fileexists(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    target, failed, _ = _file_path(evaluator, node, scope)
    if target is None:
        return failed  # type: ignore[return-value]
    rel = relative(target)
    return Value(BOOL, node.span, rel is not None and evaluator.inputs.status(rel) == FILE)


@_function("jsondecode", "yamldecode")
def _decode(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values, failed = _strings(evaluator, node, scope, 1)
    if values is None:
        return failed  # type: ignore[return-value]
    text = _as_string(values[0]) or ""
    try:
        data = json.loads(text) if node.name == "jsondecode" else evaluator.inputs.yaml(text)
    except (ValueError, RecursionError):
        return unknown(node.span, f"{node.name}() of text that does not decode", error=True)
    return from_python(data, node.span)


@_function("format")
def _format(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = [v for v in evaluator.arguments(node, scope)]
    if not values or any(v.is_unknown for v in values):
        return _unknown_from(values, node.span, "format() of a value that is not known")
    template = _as_string(values[0])
    if template is None:
        return unknown(node.span, "format() needs a format string", error=True)
    arguments = iter(values[1:])
    out: list[str] = []
    position = 0
    for match in _VERB.finditer(template):
        out.append(template[position:match.start()])
        position = match.end()
        verb = match.group(2)
        if verb == "%":
            out.append("%")
            continue
        argument = next(arguments, None)
        if argument is None:
            return unknown(node.span, "format() has too few arguments", error=True)
        text = _as_string(argument)
        if verb in ("s", "v") and text is not None:
            out.append(text)
        elif verb == "q" and text is not None:
            out.append(json.dumps(text))
        elif verb == "d" and _as_number(argument) is not None:
            flags = match.group(1) or ""
            out.append(("%" + flags + "d") % int(_as_number(argument) or 0) if re.fullmatch(r"[-0]?\d*", flags)
                       else str(int(_as_number(argument) or 0)))
        else:
            return unknown(node.span, f"format() verb %{verb} is not evaluated")
    out.append(template[position:])
    return _string_result(node, "".join(out), any(v.checkout for v in values))


_VERB = re.compile(r"%([-+# 0]*\d*(?:\.\d+)?)?([%a-zA-Z])")


@_function("join")
def _join_function(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = [v for v in evaluator.arguments(node, scope)]
    if len(values) < 2 or any(not v.is_known for v in values):
        return _unknown_from(values, node.span, "join() of a value that is not known")
    separator = _as_string(values[0])
    pieces: list[str] = []
    for listed in values[1:]:
        if listed.kind != LIST:
            return unknown(node.span, "join() of a value that is not a list", error=True)
        for item in listed.items:
            text = _as_string(item)
            if text is None:
                return unknown(node.span, "join() of a list of non-strings", error=True)
            pieces.append(text)
    return _string_result(node, (separator or "").join(pieces), any(v.checkout for v in values))


@_function("split")
def _split(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values, failed = _strings(evaluator, node, scope, 2)
    if values is None:
        return failed  # type: ignore[return-value]
    separator, text = _as_string(values[0]) or "", _as_string(values[1]) or ""
    pieces = text.split(separator) if separator else list(text)
    return Value(LIST, node.span, items=tuple(string(p, node.span, values[1].checkout) for p in pieces))


@_function("replace")
def _replace(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values, failed = _strings(evaluator, node, scope, 3)
    if values is None:
        return failed  # type: ignore[return-value]
    text, old, new = (_as_string(v) or "" for v in values[:3])
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        return unknown(node.span, "replace() with a regular expression is not evaluated")
    return _string_result(node, text.replace(old, new), any(v.checkout for v in values))


_STRING_FUNCTIONS: dict[str, Callable[[str], str]] = {
    "lower": str.lower, "upper": str.upper, "trimspace": str.strip,
    "md5": lambda s: hashlib.md5(s.encode()).hexdigest(),
    "sha1": lambda s: hashlib.sha1(s.encode()).hexdigest(),
    "sha256": lambda s: hashlib.sha256(s.encode()).hexdigest(),
}


@_function(*_STRING_FUNCTIONS)
def _string_function(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values, failed = _strings(evaluator, node, scope, 1)
    if values is None:
        return failed  # type: ignore[return-value]
    return _string_result(node, _STRING_FUNCTIONS[node.name](_as_string(values[0]) or ""), values[0].checkout)


@_function("trimprefix", "trimsuffix")
def _trim(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values, failed = _strings(evaluator, node, scope, 2)
    if values is None:
        return failed  # type: ignore[return-value]
    text, affix = _as_string(values[0]) or "", _as_string(values[1]) or ""
    if node.name == "trimprefix":
        result = text[len(affix):] if affix and text.startswith(affix) else text
    else:
        result = text[:-len(affix)] if affix and text.endswith(affix) else text
    checkout = values[0].checkout and not (values[1].checkout and node.name == "trimprefix" and result != text)
    return _string_result(node, result, checkout)


@_function("basename", "dirname")
def _path_part(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values, failed = _strings(evaluator, node, scope, 1)
    if values is None:
        return failed  # type: ignore[return-value]
    text = _as_string(values[0]) or ""
    if node.name == "basename":
        trimmed = text.rstrip("/") or text
        name = posixpath.basename(trimmed)
        # the name of a folder inside the repository does not depend on the checkout
        checkout = values[0].checkout and (trimmed == REPO or relative(trimmed) is None)
        return string(name, node.span, checkout)
    parent = posixpath.dirname(text.rstrip("/") or text) or "."
    return string(parent, node.span, values[0].checkout)


@_function("concat")
def _concat(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = [v for v in evaluator.arguments(node, scope)]
    if any(v.is_unknown for v in values):
        return _unknown_from(values, node.span, "concat() of a value that is not known")
    if any(v.kind != LIST for v in values):
        return unknown(node.span, "concat() of a value that is not a list", error=True)
    return Value(LIST, node.span, items=tuple(item for v in values for item in v.items))


@_function("merge")
def _merge(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = [v for v in evaluator.arguments(node, scope)]
    if any(v.is_unknown for v in values):
        return _unknown_from(values, node.span, "merge() of a value that is not known")
    result = Value(MAP, node.span)
    for value in values:
        if value.kind == NULL:
            continue
        if value.kind != MAP:
            return unknown(node.span, "merge() of a value that is not a map", error=True)
        result = merged_map(result, value)
    return Value(MAP, node.span, entries=result.entries)


@_function("lookup")
def _lookup(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = [v for v in evaluator.arguments(node, scope)]
    if len(values) < 2:
        return unknown(node.span, "lookup() needs a map and a key", error=True)
    mapping, key = values[0], values[1]
    if mapping.is_unknown or key.is_unknown:
        return _unknown_from([mapping, key], node.span, "lookup() of a value that is not known")
    name = _as_string(key)
    found = mapping.get(name) if mapping.kind == MAP and name is not None else None
    if found is not None:
        return found
    if len(values) > 2:
        return values[2]
    return unknown(node.span, f'lookup() finds no "{name}"', error=True)


@_function("element")
def _element(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = [v for v in evaluator.arguments(node, scope)]
    if len(values) < 2 or any(v.is_unknown for v in values[:2]):
        return _unknown_from(values, node.span, "element() of a value that is not known")
    listed, index = values[0], _as_number(values[1])
    if listed.kind != LIST or not listed.items or index is None:
        return unknown(node.span, "element() of an empty list or a bad index", error=True)
    return listed.items[int(index) % len(listed.items)]


@_function("coalesce")
def _coalesce(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = [v for v in evaluator.arguments(node, scope)]
    for value in values:
        if value.is_unknown:
            return _unknown_from([value], node.span, "coalesce() of a value that is not known")
        if value.kind != NULL and not (value.kind == STRING and value.data == ""):
            return value
    return unknown(node.span, "coalesce() of only null or empty values", error=True)


@_function("tostring", "tobool", "tonumber")
def _convert(evaluator: Evaluator, node: Node, scope: Scope) -> Value:
    values = [v for v in evaluator.arguments(node, scope)]
    if not values or values[0].is_unknown:
        return _unknown_from(values, node.span, f"{node.name}() of a value that is not known")
    value = values[0]
    if value.kind == NULL:
        return value
    if node.name == "tostring":
        text = _as_string(value)
        return string(text, value.span, value.checkout) if text is not None else \
            unknown(node.span, "tostring() of a collection", error=True)
    if node.name == "tobool":
        truth = _as_bool(value)
        if truth is None:
            return unknown(node.span, "tobool() of a non-bool", error=True)
        return Value(BOOL, value.span, truth)
    number = _as_number(value)
    if number is None:
        return unknown(node.span, "tonumber() of a non-number", error=True)
    return Value(NUMBER, value.span, number)


def evaluated_functions() -> frozenset[str]:
    """The functions the evaluator computes (the rest are unknown)."""
    return frozenset(_FUNCTIONS) | {"try", "can"}
