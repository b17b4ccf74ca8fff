"""Fix builders for pipeline YAML (files, and pipelines in `.tf` heredocs,
whose spans are positions in the `.tf` file): replace a scalar keeping its
quotes, and give a step a `spec.command`, in the style of the mapping it
goes into (block mappings keep their indentation, flow mappings stay flow).
"""

from __future__ import annotations

from typing import Optional

from ..fix import Edit, Position
from ..model.source import Source
from ..model.syntax import Span, YNode


def replace_scalar(source: Source, node: YNode, value: str) -> Optional[Edit]:
    """`node`'s value replaced by `value` (a plain word), quoted as before."""
    written = source.at(node.span)
    if not written:
        return None
    quote = written[0]
    if quote in "'\"" and len(written) >= 2 and written[-1] == quote:
        return source.replace(node.span, f"{quote}{value}{quote}")
    return source.replace(node.span, value)


def set_command(source: Source, step: YNode, command: str, type_key: YNode) -> Optional[tuple[Edit, ...]]:
    """Edits that give the step mapping `step` the `spec.command` `command`
    (nothing when it has one); None when its layout is not one handled."""
    spec = step.get("spec")
    if spec is None:
        if _is_flow(source, step):
            closing = Position(step.span.end_line, step.span.end_col - 1)
            return (source.insert(closing, f", spec: {{command: {command}}}"),)
        return _add_spec_after(source, step, type_key, command)
    if spec.kind != "map":
        return None
    if spec.get("command") is not None:
        return ()
    if _is_flow(source, spec):
        if not spec.entries:
            return (source.replace(spec.span, f"{{command: {command}}}"),)
        return (source.insert(Position(spec.span.line, spec.span.col + 1), f"command: {command}, "),)
    first_key = spec.entries[0][0].span
    if not source.only_blank_before(first_key.line, first_key.col):
        return None
    return (source.insert_lines(first_key.line, [f"{source.indentation(first_key.line)}command: {command}"]),)


def _add_spec_after(source: Source, step: YNode, type_key: YNode, command: str) -> Optional[tuple[Edit, ...]]:
    """`spec:` with `command:` as new lines after the step's `type` entry."""
    value = step.get(type_key.value)
    if value is None or not source.only_comment_after(value.span.end_line, value.span.end_col):
        return None
    indent = _spaces_before(source, type_key.span)
    nested = indent + " " * _indent_step(step)
    return (source.insert_lines(value.span.end_line + 1, [f"{indent}spec:", f"{nested}command: {command}"]),)


def _indent_step(step: YNode) -> int:
    """How far the file indents a nested block mapping (2 when the step has none to tell)."""
    for key, value in step.entries:
        if value.kind == "map" and value.entries and value.span.line > key.span.line:
            return max(1, value.entries[0][0].span.col - key.span.col)
    return 2


def _spaces_before(source: Source, span: Span) -> str:
    """The indentation of a mapping whose key is at `span`: what precedes
    it on its line, a sequence dash (`- `) turned into blanks."""
    return "".join(c if c in " \t" else " " for c in source.raw(span.line)[:span.col - 1])


def _is_flow(source: Source, node: YNode) -> bool:
    return source.at(Span(node.span.path, node.span.line, node.span.col, node.span.line, node.span.col + 1)) == "{"
