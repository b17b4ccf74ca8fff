"""YAML source -> the `YNode` model with exact spans.

The ONE module that touches PyYAML. Safe loading only: we compose the node
graph (never construct arbitrary objects), then translate it into frozen
`YNode`s whose spans are computed from character offsets, so the C loader
(libyaml) and the pure-Python loader yield identical positions, and YAML's
extra line breaks (NEL, U+2028) do not shift our `\\n`-based lines.

Aliases are shared, not copied, and their expanded size is bounded so a
"billion laughs" file becomes a parse error instead of a hang.
"""

from __future__ import annotations

import bisect
import gc
import re
from typing import Any, NamedTuple, Optional, Union

import yaml
from yaml.reader import ReaderError

from ..model.pipeline import pipeline_kind, under_harness
from ..model.syntax import Comment, ParseError, Span, YamlFile, YNode
from . import limits
from .limits import too_complex_message
from .textio import decode_source, line_starts

_Loader = Union[type[yaml.CSafeLoader], type[yaml.SafeLoader]]

_LOADER: _Loader
try:  # libyaml is much faster on big files; positions are tested to be equal
    _LOADER = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _LOADER = yaml.SafeLoader

# Aliases may add at most this many nodes (expanded) to a file.
MAX_ALIAS_NODES = 100_000
# Deeper nesting than this is not a pipeline; libyaml stops at 1000 anyway.
MAX_DEPTH = 400

_MERGE_TAG = "tag:yaml.org,2002:merge"
_SCALAR_TYPES = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_COMMENT_RE = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")
_CONSTRUCTOR = yaml.SafeLoader("")  # only its scalar constructors are used


class _Positions:
    """Character offset -> (1-based line, 1-based column), lines split on \\n."""

    def __init__(self, text: str, path: str, line_offset: int, col_offset: int):
        self.text = text
        self.path = path
        self.line_offset = line_offset
        self.col_offset = col_offset
        # YAML also breaks lines at a lone \r, NEL, U+2028 and U+2029
        self.fast = not _OTHER_BREAKS.search(text)
        self.starts = line_starts(text)

    def at(self, index: int) -> tuple[int, int]:
        index = max(0, min(index, len(self.text)))
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1 + self.line_offset, index - self.starts[line] + 1 + self.col_offset

    def span(self, start: int, end: int) -> Span:
        line, col = self.at(start)
        end_line, end_col = self.at(max(start, end))
        return Span(self.path, line, col, end_line, end_col)

    def node_span(self, start_mark: yaml.Mark, end_mark: yaml.Mark) -> Span:
        """Span from two marks. When the text has no line breaks besides
        \n (and \r\n), YAML's own line/column agree with ours: use them."""
        if self.fast:
            lo, co = self.line_offset + 1, self.col_offset + 1
            return Span(self.path, start_mark.line + lo, start_mark.column + co,
                        end_mark.line + lo, end_mark.column + co)
        return self.span(start_mark.index, end_mark.index)


class _TooBig(Exception):
    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.message = message
        self.index = index


class _Converter:
    def __init__(self, text: str, positions: _Positions):
        self.text = text
        self.pos = positions
        self.done: dict[int, tuple[YNode, int]] = {}  # id(node) -> (ynode, expanded size)
        self.active: set[int] = set()
        self.expanded = 0  # nodes seen, aliases counted with their expanded size
        self.alias_nodes = 0
        self.scalar_ranges: list[tuple[int, int]] = []

    def _trim_end(self, start: int, end: int) -> int:
        """Block scalars end after their trailing line breaks; stop at the
        last non-blank character instead."""
        text = self.text
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def convert(self, node: yaml.Node, depth: int = 0) -> YNode:
        key = id(node)
        cached = self.done.get(key)
        if cached is not None:  # an alias: shared, but counted as expanded
            self.expanded += cached[1]
            self.alias_nodes += cached[1]
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise _TooBig(f"aliases expand to more than {MAX_ALIAS_NODES} nodes (a YAML bomb?)",
                              node.start_mark.index)
            return cached[0]
        if key in self.active:
            raise _TooBig("an alias refers to the node that contains it (recursive alias)", node.start_mark.index)
        if depth > MAX_DEPTH:
            raise _TooBig(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark.index)
        self.active.add(key)
        before = self.expanded
        self.expanded += 1
        if isinstance(node, yaml.ScalarNode):
            start, end = node.start_mark.index, node.end_mark.index
            if node.style == "|" or node.style == ">":
                end = self._trim_end(start, end)
                span = self.pos.span(start, end)
            else:
                span = self.pos.node_span(node.start_mark, node.end_mark)
            self.scalar_ranges.append((start, end))
            tag = node.tag
            value = _scalar_value(node) if tag in _SCALAR_TYPES else node.value
            result = YNode("scalar", span, value, tag)
        elif isinstance(node, yaml.SequenceNode):
            items = tuple([self.convert(item, depth + 1) for item in node.value])
            span = self._collection_span(node, items[-1].span if items else None)
            result = YNode("seq", span, None, node.tag, items)
        else:
            assert isinstance(node, yaml.MappingNode)  # the composer makes only these three
            entries, own = self._entries(node, depth)
            span = self._collection_span(node, entries[own - 1][1].span if own else None)
            result = YNode("map", span, None, node.tag, (), tuple(entries))
        self.active.discard(key)
        self.done[key] = (result, self.expanded - before)
        return result

    def _collection_span(self, node: yaml.CollectionNode, last: Optional[Span]) -> Span:
        whole = self.pos.node_span(node.start_mark, node.end_mark)
        if node.flow_style or last is None:
            return whole
        # A block collection "ends" where the next token starts (after
        # comments and blank lines); end at its last child instead, unless
        # that child is an alias of a node written earlier.
        if (last.end_line, last.end_col) < (whole.line, whole.col):
            end = self._trim_end(node.start_mark.index, node.end_mark.index)
            return self.pos.span(node.start_mark.index, end)
        return Span(whole.path, whole.line, whole.col, last.end_line, last.end_col)

    def _entries(self, node: yaml.MappingNode, depth: int) -> tuple[list[tuple[YNode, YNode]], int]:
        """Entries in file order, then those merged in by `<<` keys; and
        how many were written in this mapping itself."""
        entries: list[tuple[YNode, YNode]] = []
        merged: list[tuple[YNode, YNode]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                # `<<: *base` / `<<: [*a, *b]`: keys written here win.
                value = self.convert(value_node, depth + 1)
                sources = value.items if value.kind == "seq" else (value,)
                for source in sources:
                    merged.extend(source.entries)
                continue
            entries.append((self.convert(key_node, depth + 1), self.convert(value_node, depth + 1)))
        own_count = len(entries)
        if merged:
            own = {k.value for k, _ in entries if k.kind == "scalar"}
            seen: set = set()
            for k, v in merged:
                if k.value not in own and k.value not in seen:
                    seen.add(k.value)
                    entries.append((k, v))
        return entries, own_count


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """null/bool/int/float as the safe loader constructs them; strings,
    timestamps, binary and custom tags stay text."""
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        return node.value


def _error_span(positions: _Positions, index: int) -> Span:
    """The offending character (empty at a line end or the end of input)."""
    line, col = positions.at(index)
    width = 1 if index < len(positions.text) and positions.text[index] not in "\r\n" else 0
    return Span(positions.path, line, col, line, col + width)


def _error_message(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        return "invalid YAML: " + ", ".join(parts) if parts else "invalid YAML"
    if isinstance(exc, ReaderError):
        return "invalid YAML: special characters are not allowed"
    return f"invalid YAML: {exc}"


def _error_index(exc: yaml.YAMLError, text: str) -> int:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            return mark.index
    if isinstance(exc, ReaderError):
        # libyaml reports a byte offset; find the character ourselves
        bad = _NON_PRINTABLE.search(text)
        return bad.start() if bad else 0
    return 0


def _comments(text: str, positions: _Positions, scalar_ranges: list[tuple[int, int]]) -> tuple[Comment, ...]:
    ranges = sorted(scalar_ranges)
    starts = [r[0] for r in ranges]
    # running maximum of range ends, so nested/overlapping ranges are handled
    max_ends: list[int] = []
    best = -1
    for _, end in ranges:
        best = max(best, end)
        max_ends.append(best)
    found = []
    position = 0
    while True:
        match = _COMMENT_RE.search(text, position)
        if match is None:
            break
        index = match.start()
        i = bisect.bisect_right(starts, index) - 1
        if i >= 0 and max_ends[i] > index:
            position = max_ends[i]  # inside a quoted, multi-line or block scalar
            continue
        body = match.group().rstrip("\r")
        found.append(Comment(body, positions.span(index, index + len(body))))
        position = match.end()
    return tuple(found)


def load_yaml(text: str, path: str, *, line_offset: int = 0, col_offset: int = 0,
              loader: Optional[_Loader] = None, single_document: bool = False) -> YamlFile:
    """Parse `text` (the first document) into a `YamlFile`.

    `line_offset`/`col_offset` shift every position, for YAML embedded in
    another file (a pipeline in a Terraform heredoc). Never raises for bad
    input: syntax errors, alias bombs and absurd nesting become `error`, and
    so does a second document when `single_document` (a config file)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    positions = _Positions(text, path, line_offset, col_offset)
    loader_cls = loader or _LOADER
    if len(text) > limits.MAX_TOKENS and _too_many_events(text, loader_cls):
        return YamlFile(path, None, (), ParseError(too_complex_message(), _error_span(positions, 0)))
    converter = _Converter(text, positions)
    # Composing allocates millions of small objects that all stay alive;
    # the cyclic GC would rescan them again and again (5x slower on 5 MB).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        parser = loader_cls(text)
        try:
            node = parser.get_node() if parser.check_node() else None
            root = converter.convert(node) if node is not None else None
            while parser.check_node():  # later documents: syntax errors only
                later = parser.get_node()
                if single_document:
                    assert later is not None  # check_node() saw it
                    raise _TooBig("a second document (---); keep one", later.start_mark.index)
        finally:
            parser.dispose()
    except yaml.YAMLError as exc:
        error = ParseError(_error_message(exc), _error_span(positions, _error_index(exc, text)))
        return YamlFile(path, None, _comments(text, positions, []), error)
    except _TooBig as exc:
        error = ParseError(f"YAML not loaded: {exc.message}", _error_span(positions, exc.index))
        return YamlFile(path, None, (), error)
    except RecursionError:
        error = ParseError(f"YAML not loaded: nesting deeper than {MAX_DEPTH} levels", _error_span(positions, 0))
        return YamlFile(path, None, (), error)
    finally:
        if gc_was_enabled:
            gc.enable()
    return YamlFile(path, root, _comments(text, positions, converter.scalar_ranges), None)


def _too_many_events(text: str, loader_cls: _Loader) -> bool:
    """More than limits.MAX_TOKENS parser events: counted before composing,
    which keeps a node per event (a 5 MB flow list took 2 GB). Only texts
    longer than the budget can exceed it. A syntax error ends the count;
    composing reports it as it always did."""
    parser = loader_cls(text)
    try:
        left = limits.MAX_TOKENS
        while parser.check_event():
            parser.get_event()
            left -= 1
            if left < 0:
                return True
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return False


def load_yaml_bytes(data: bytes, path: str) -> YamlFile:
    text, error = decode_source(data, path)
    if text is None:
        return YamlFile(path, None, (), error)
    return load_yaml(text, path)


# ---- which YAML is a pipeline ---------------------------------------------

_YAML_SUFFIXES = (".yaml", ".yml")
_TOP_PIPELINE_RE = re.compile(r"^(?:pipeline|template)[ \t]*:", re.MULTILINE)


class Candidate(NamedTuple):
    """What discovery needs to know about a YAML file before/without
    parsing it: parse it (`candidate`), and whether a parse failure is an
    IACM000 finding (`report_parse_error`)."""

    candidate: bool
    report_parse_error: bool


def _first_content_line(text: str) -> str:
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or line == "---" or line.startswith("%"):
            continue
        return raw
    return ""


def is_pipeline_candidate(path: str, text: str) -> Candidate:
    """Rules.md "Which YAML is a pipeline", the part decidable from text.
    Any .yaml/.yml under `.harness/` is a candidate and its parse errors are
    reported; elsewhere a file is a candidate when a top-level `pipeline:` or
    `template:` key appears, and its parse errors are reported only when its
    first non-comment line starts with one of them. After parsing, call
    `pipeline_kind` for the final answer."""
    if not path.lower().endswith(_YAML_SUFFIXES):
        return Candidate(False, False)
    if under_harness(path):
        return Candidate(True, True)
    first = _first_content_line(text)
    report = bool(_TOP_PIPELINE_RE.match(first))
    return Candidate(report or bool(_TOP_PIPELINE_RE.search(text)), report)


def load_pipeline_file(path: str, text: str) -> Optional[YamlFile]:
    """Discovery's one call: the parsed file when it is a pipeline file or a
    pipeline candidate whose parse error must be reported (IACM000), else None."""
    candidate = is_pipeline_candidate(path, text)
    if not candidate.candidate:
        return None
    parsed = load_yaml(text, path)
    if parsed.error is not None:
        return parsed if candidate.report_parse_error else None
    return parsed if pipeline_kind(parsed) is not None else None


# ---- plain values (Terragrunt's yamldecode) ---------------------------------


def decode_yaml(text: str) -> Any:
    """`text` as plain Python values (what HCL's `yamldecode` returns), with
    the same bounds as every YAML file (aliases, nesting, size). Raises
    ValueError when it does not load."""
    loaded = load_yaml(text, "<yamldecode>")
    if loaded.error is not None:
        raise ValueError(loaded.error.message)
    return _plain(loaded.root)


def _plain(node: Optional[YNode]) -> Any:
    if node is None:
        return None
    if node.kind == "map":
        return {str(key.value): _plain(value) for key, value in node.entries}
    if node.kind == "seq":
        return [_plain(item) for item in node.items]
    return node.value
