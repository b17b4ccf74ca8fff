"""Terraform JSON syntax (`.tf.json`, `.tfvars.json`) -> the same model as HCL;
also Terragrunt's `terragrunt.hcl.json`, with its own block types.

The json module gives no positions, so this is a small recursive-descent JSON
reader (strings decoded by json's own scanstring) that keeps the span of every
key and value, and a mapper that applies Terraform's JSON rules: top-level keys
are block types, each with a fixed number of labels; string values may be
templates (`"${var.x}"`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from ..model import expressions as ex
from ..model.syntax import (
    NOT_LITERAL,
    TERRAGRUNT_JSON,
    TFVARS_JSON,
    Attribute,
    Block,
    Expr,
    HclFile,
    ParseError,
    Span,
    StringPart,
)
from . import limits
from .limits import MAX_NESTING, nesting_message, number_value, too_complex_message
from .textio import line_starts

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WS = re.compile(r"[ \t\n\r]*")
_INTERPOLATION_START = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")
_QUOTED = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: no backtracking entry per character
# A traversal (group 1), or else the name that failed to start one: every
# start inside that name (after a "-") would fail the same way, so it is
# skipped whole instead of tried at each "-" (quadratic on `a-a-a-…`).
_TRAVERSAL = re.compile(r"(?<![\w.])(?:([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+)|[A-Za-z_][\w-]*)")

# Labels per block type in Terraform's JSON syntax.
_LABELS = {"resource": 2, "data": 2, "ephemeral": 2, "variable": 1, "output": 1, "module": 1, "provider": 1,
           "check": 1, "backend": 1, "terraform": 0, "locals": 0, "moved": 0, "import": 0, "removed": 0,
           "required_providers": 0, "cloud": 0, "encryption": 0, "language": 0}

# Labels per block type in Terragrunt's JSON syntax (everything else is an attribute).
_TERRAGRUNT_LABELS = {"include": 1, "generate": 1, "dependency": 1, "feature": 1, "unit": 1, "stack": 1,
                      "locals": 0, "remote_state": 0, "terraform": 0, "dependencies": 0, "exclude": 0, "errors": 0,
                      "catalog": 0, "engine": 0}
_TERRAGRUNT_NESTED = {("terraform", "extra_arguments"): 1, ("terraform", "before_hook"): 1,
                      ("terraform", "after_hook"): 1, ("terraform", "error_hook"): 1}

TemplateTree = Callable[[str, Span], Optional[ex.Node]]


class JsonSyntaxError(Exception):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class JNode:
    kind: str  # object | array | string | number | bool | null
    value: Any  # python value for scalars; list[JNode] for arrays; list[(key, key_span, JNode)] for objects
    span: Span


class _Reader:
    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.line_starts = line_starts(text)
        self.values_left = limits.MAX_TOKENS

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Span(self.path, line, col, end_line, end_col)

    def skip(self, i: int) -> int:
        return _WS.match(self.text, i).end()  # type: ignore[union-attr]  # `*`: it always matches

    def value(self, i: int, depth: int = 0) -> tuple[JNode, int]:
        i = self.skip(i)
        if depth > MAX_NESTING:  # the mapper below and pickling recurse per level
            raise _TooDeep(nesting_message(), i)
        self.values_left -= 1
        if self.values_left < 0:
            raise _TooComplex(too_complex_message(), 0)
        text = self.text
        if i >= len(text):
            raise JsonSyntaxError("unexpected end of file", i)
        char = text[i]
        if char == "{":
            entries: list[tuple[str, Span, JNode]] = []
            j = self.skip(i + 1)
            if j < len(text) and text[j] == "}":
                return JNode("object", entries, self.span(i, j + 1)), j + 1
            while True:
                j = self.skip(j)
                if j >= len(text) or text[j] != '"':
                    raise JsonSyntaxError("expected a string key", j)
                key, k_end = self.string(j)
                key_span = self.span(j, k_end)
                j = self.skip(k_end)
                if j >= len(text) or text[j] != ":":
                    raise JsonSyntaxError('expected ":" after key', j)
                node, j = self.value(j + 1, depth + 1)
                entries.append((key, key_span, node))
                j = self.skip(j)
                if j < len(text) and text[j] == ",":
                    j += 1
                    continue
                if j < len(text) and text[j] == "}":
                    return JNode("object", entries, self.span(i, j + 1)), j + 1
                raise JsonSyntaxError('expected "," or "}"', j)
        if char == "[":
            items: list[JNode] = []
            j = self.skip(i + 1)
            if j < len(text) and text[j] == "]":
                return JNode("array", items, self.span(i, j + 1)), j + 1
            while True:
                node, j = self.value(j, depth + 1)
                items.append(node)
                j = self.skip(j)
                if j < len(text) and text[j] == ",":
                    j += 1
                    continue
                if j < len(text) and text[j] == "]":
                    return JNode("array", items, self.span(i, j + 1)), j + 1
                raise JsonSyntaxError('expected "," or "]"', j)
        if char == '"':
            value, j = self.string(i)
            return JNode("string", value, self.span(i, j)), j
        for word, literal in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, i):
                end = i + len(word)
                return JNode("bool" if literal is not None else "null", literal, self.span(i, end)), end
        match = _NUMBER.match(text, i)
        if match and match.end() > i:
            raw = match.group(0)
            return JNode("number", number_value(raw), self.span(i, match.end())), match.end()
        raise JsonSyntaxError(f"unexpected character {char!r}", i)

    def document(self) -> JNode:
        """The whole text as one JSON value; raises JsonSyntaxError(message, offset)."""
        node, end = self.value(0)
        end = self.skip(end)
        if end != len(self.text):
            raise JsonSyntaxError("extra data after the JSON value", end)
        return node

    def string(self, i: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, i + 1, True)  # type: ignore[attr-defined]  # not in typeshed
        except json.JSONDecodeError as exc:
            raise JsonSyntaxError(exc.msg.lower(), exc.pos) from None


class _TooDeep(JsonSyntaxError):
    """Valid JSON, but nested past limits.MAX_NESTING."""


class _TooComplex(JsonSyntaxError):
    """More than limits.MAX_TOKENS values."""


def template_references(template: str) -> tuple[str, ...]:
    """Dotted traversals (`var.x`, `aws_s3_bucket.b.id`) inside the `${…}`
    and `%{…}` parts of a template; literal text and quoted strings inside an
    interpolation ("example.com") are not references."""
    found: list[str] = []
    position = 0
    while True:
        opening = _INTERPOLATION_START.search(template, position)
        if opening is None:
            break
        # the first "}" closes it; with none left, no later opening closes either (a regex
        # `\$\{([^}]*)\}` tried every opening to the end: quadratic on "${${${…")
        closing = template.find("}", opening.end())
        if closing == -1:
            break
        code = _without_strings(template[opening.end():closing])
        found.extend(m.group(1) for m in _TRAVERSAL.finditer(code) if m.group(1))
        position = closing + 1
    return tuple(dict.fromkeys(found))


def _without_strings(code: str) -> str:
    """`code` with each quoted string replaced by a blank. When one opening
    quote is never closed, no later one is (they are all escaped inside it):
    stop there instead of trying each to the end (quadratic on `"\\"\\"…`)."""
    pieces = []
    position = 0
    while True:
        start = code.find('"', position)
        quoted = _QUOTED.match(code, start) if start != -1 else None
        if quoted is None:
            break
        pieces.append(code[position:start] + " ")
        position = quoted.end()
    pieces.append(code[position:])
    return "".join(pieces)


def parse_tf_json(text: str, path: str, kind: str, template_tree: Optional[TemplateTree] = None) -> HclFile:
    """`template_tree(string, span)` (Terragrunt JSON only) gives the tree of
    a string that holds a template; every expression then gets its tree."""
    reader = _Reader(text, path)  # one line index, for the spans and for an error's position
    try:
        root = reader.document()
    except _TooComplex as exc:
        return HclFile(path, kind, error=ParseError(str(exc), Span.file_start(path)))
    except JsonSyntaxError as exc:
        line, col = reader.position(min(exc.offset, len(text)))
        message = str(exc) if isinstance(exc, _TooDeep) else f"invalid JSON: {exc}"
        return HclFile(path, kind, error=ParseError(message, Span(path, line, col, line, col + 1)))
    if root.kind != "object":
        return HclFile(path, kind,
                       error=ParseError("the top level of a Terraform JSON file must be an object", root.span))
    if kind == TFVARS_JSON:
        return HclFile(path, kind, attributes=tuple(_attribute(k, ks, v) for k, ks, v in root.value))
    if kind == TERRAGRUNT_JSON and template_tree is not None:
        return _terragrunt_file(path, kind, root, template_tree)
    blocks: list[Block] = []
    for key, key_span, node in root.value:
        if key == "//":
            continue  # Terraform's JSON comment property
        blocks.extend(_blocks(key, key_span, node, _LABELS.get(key, 0), ()))
    return HclFile(path, kind, blocks=tuple(blocks))


def _blocks(type_: str, type_span: Span, node: JNode, labels_left: int, labels: tuple) -> list[Block]:
    """Terraform JSON: `{"resource": {"aws_x": {"name": {body}}}}`; a body may
    also be an array of bodies (several blocks of the same type/labels)."""
    if node.kind == "array":  # any level may be a list of objects
        out = []
        for item in node.value:
            out.extend(_blocks(type_, type_span, item, labels_left, labels))
        return out
    if labels_left and node.kind == "object":
        out = []
        for key, key_span, child in node.value:
            out.extend(_blocks(type_, type_span, child, labels_left - 1, labels + ((key, key_span),)))
        return out
    if node.kind != "object":
        return []
    header_end = labels[-1][1] if labels else type_span
    header_span = Span(type_span.path, type_span.line, type_span.col, header_end.end_line, header_end.end_col)
    attributes: list[Attribute] = []
    nested: list[Block] = []
    for key, key_span, child in node.value:
        if key == "//":
            continue
        nested_labels = _NESTED_BLOCKS.get((type_, key))
        if nested_labels is not None:
            nested.extend(_blocks(key, key_span, child, nested_labels, ()))
        else:
            attributes.append(_attribute(key, key_span, child))
    return [Block(type_, tuple(label for label, _ in labels), header_span, node.span, tuple(attributes), tuple(nested),
                  tuple(s for _, s in labels))]


# Nested block types that the linter reads (everything else in a JSON body
# is kept as an attribute holding an object, which is how rules see it).
_NESTED_BLOCKS = {("terraform", "backend"): 1, ("terraform", "cloud"): 0, ("terraform", "required_providers"): 0,
                  ("terraform", "encryption"): 0, ("cloud", "workspaces"): 0, ("backend", "workspaces"): 0,
                  ("variable", "validation"): 0, ("resource", "lifecycle"): 0, ("data", "lifecycle"): 0,
                  ("language", "compatible_with"): 0, ("terraform", "language"): 0}


def _attribute(name: str, name_span: Span, node: JNode) -> Attribute:
    expr = _expr(node)
    return Attribute(name, name_span, expr,
                     Span(name_span.path, name_span.line, name_span.col, expr.span.end_line, expr.span.end_col))


def _expr(node: JNode) -> Expr:
    if node.kind == "string":
        value = node.value
        if "${" in value.replace("$${", "") or "%{" in value.replace("%%{", ""):
            refs = template_references(value)
            return Expr("template", json.dumps(value), node.span, NOT_LITERAL, refs, (),
                        (StringPart(value, node.span),))
        literal = value.replace("$${", "${").replace("%%{", "%{")
        return Expr("string", json.dumps(value), node.span, literal,
                    strings=(StringPart(literal, node.span),) if literal else ())
    if node.kind in ("number", "bool", "null"):
        text = node.value if isinstance(node.value, str) else json.dumps(node.value)  # a huge integer is its own text
        return Expr(node.kind, text, node.span, node.value)
    if node.kind == "array":
        items = tuple(_expr(item) for item in node.value)
        return Expr.collection("tuple", "", node.span, items)
    entries = tuple((key, key_span, _expr(child)) for key, key_span, child in node.value)
    return Expr.collection("object", "", node.span, (), entries)



# ---- Terragrunt JSON ------------------------------------------------------------------


def _terragrunt_file(path: str, kind: str, root: JNode, template_tree: TemplateTree) -> HclFile:
    attributes: list[Attribute] = []
    blocks: list[Block] = []
    for key, key_span, node in root.value:
        if key == "//":
            continue
        labels = _TERRAGRUNT_LABELS.get(key)
        bare_include = node.kind == "object" and any(k == "path" and v.kind == "string" for k, _, v in node.value)
        if key == "include" and bare_include:
            labels = 0  # a bare `include { path = … }`
        if labels is None:
            attributes.append(_tree_attribute(key, key_span, node, template_tree))
        else:
            blocks.extend(_terragrunt_blocks(key, key_span, node, labels, (), template_tree))
    return HclFile(path, kind, blocks=tuple(blocks), attributes=tuple(attributes))


def _terragrunt_blocks(type_: str, type_span: Span, node: JNode, labels_left: int, labels: tuple,
                       template_tree: TemplateTree) -> list[Block]:
    if node.kind == "array":
        return [b for item in node.value
                for b in _terragrunt_blocks(type_, type_span, item, labels_left, labels, template_tree)]
    if node.kind != "object":
        return []
    if labels_left:
        return [b for key, key_span, child in node.value
                for b in _terragrunt_blocks(type_, type_span, child, labels_left - 1, labels + ((key, key_span),),
                                            template_tree)]
    header_end = labels[-1][1] if labels else type_span
    header_span = Span(type_span.path, type_span.line, type_span.col, header_end.end_line, header_end.end_col)
    attributes: list[Attribute] = []
    nested: list[Block] = []
    for key, key_span, child in node.value:
        nested_labels = _TERRAGRUNT_NESTED.get((type_, key))
        if nested_labels is not None:
            nested.extend(_terragrunt_blocks(key, key_span, child, nested_labels, (), template_tree))
        elif key != "//":
            attributes.append(_tree_attribute(key, key_span, child, template_tree))
    return [Block(type_, tuple(label for label, _ in labels), header_span, node.span, tuple(attributes), tuple(nested),
                  tuple(s for _, s in labels))]


def _tree_attribute(name: str, name_span: Span, node: JNode, template_tree: TemplateTree) -> Attribute:
    attribute = _attribute(name, name_span, node)
    expr = attribute.expr
    return Attribute(attribute.name, attribute.name_span,
                     Expr(expr.kind, expr.text, expr.span, expr.value, expr.references, expr.functions, expr.strings,
                          expr.items, expr.entries, _tree(node, template_tree)), attribute.span)


def _tree(node: JNode, template_tree: TemplateTree) -> ex.Node:
    if node.kind == "string":
        found = template_tree(node.value, node.span)
        if found is not None:
            return found
        return ex.Node(ex.LITERAL, node.span, node.value.replace("$${", "${").replace("%%{", "%{"))
    if node.kind in ("number", "bool", "null"):
        return ex.Node(ex.LITERAL, node.span, node.value)
    if node.kind == "array":
        return ex.Node(ex.TUPLE, node.span, children=tuple(_tree(item, template_tree) for item in node.value))
    return ex.Node(ex.OBJECT, node.span, children=tuple(
        ex.Node(ex.ITEM, key_span, children=(ex.Node(ex.LITERAL, key_span, key), _tree(child, template_tree)))
        for key, key_span, child in node.value))
