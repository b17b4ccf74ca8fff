"""Fix builders for HCL native syntax: insert, rename and delete attributes,
delete blocks, as minimal text edits at the model's spans.

A new or renamed attribute's `=` is aligned the way `terraform fmt` aligns
it: fmt lines up the `=` of a run of consecutive lines that each hold one
whole attribute (a blank line, a comment line, a block or a multi-line value
ends the run) one column after the longest name. When a run is aligned like
that, its lines are aligned again for the new name; when it is not (the file
is not fmt-formatted), the new line gets one space and the others stay as
they are. A block written on one line (`backend "s3" { bucket = "x" }`) gets
no fix: HCL allows one attribute per line there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from ..fix import Edit, Position
from ..model.source import Source
from ..model.syntax import Attribute, Block, Span

_OPEN_BRACE = re.compile(r"[ \t]*\{")

# line -> (lead, gap): the columns before the end of the name, and the blanks between the name and "=".
Assignments = dict[int, tuple[int, int]]


def replace_value(source: Source, attribute: Attribute, content: str) -> Edit:
    return source.replace(attribute.expr.span, content)


def insert_attribute(source: Source, attributes: Sequence[Attribute], name: str, value: str, *,
                     after: Optional[Attribute] = None, block: Optional[Block] = None,
                     first: bool = False) -> Optional[tuple[Edit, ...]]:
    """`name = value` as a new line of a body: `attributes` are the body's
    (a block's, or a `.tfbackend` file's top level when `block` is None).
    It goes after `after`, at the top of `block` (`first`), or after the
    body's last attribute (at the end of a file body). None when the body's
    layout leaves no line for it."""
    if after is None and not first and attributes:
        after = max(attributes, key=lambda a: (a.span.end_line, a.span.end_col))
    if after is not None:
        if not (source.only_blank_before(after.name_span.line, after.name_span.col)
                and source.only_comment_after(after.span.end_line, after.span.end_col)):
            return None
        before, indent = after.span.end_line + 1, source.indentation(after.name_span.line)
    elif block is not None:
        placed = _line_in_block(source, block, first)
        if placed is None:
            return None
        before, indent = placed
    else:  # an empty file body (.tfbackend)
        before, indent = source.line_count + 1, ""
        if not source.text.strip():
            before = 1
    assignments = _assignments(source, attributes)
    chain = _run(assignments, before - 1, -1) + _run(assignments, before, 1)
    lead = len(indent) + len(name)
    gap, realigned = _aligned_gap(source, assignments, chain, lead)
    return (source.insert_lines(before, [f"{indent}{name}{' ' * gap}= {value}"]), *realigned)


def rename(source: Source, name_span: Span, new_name: str,
           attributes: Sequence[Attribute] = ()) -> Optional[tuple[Edit, ...]]:
    """Rename the attribute or object key at `name_span`, its `=` aligned
    as before (a run aligned by fmt is aligned again for the new name)."""
    text = source.raw(name_span.line)
    rest = text[name_span.end_col - 1:]
    old_gap = len(rest) - len(rest.lstrip(" "))
    old_lead = name_span.end_col - 1
    new_lead = old_lead - (name_span.end_col - name_span.col) + len(new_name)
    assignments = _assignments(source, attributes)
    line = name_span.line
    if line in assignments:
        chain = [*_run(assignments, line - 1, -1), *_run(assignments, line + 1, 1)]
        others = {n: assignments[n] for n in chain}
        if _is_aligned([*others.values(), assignments[line]]):
            target = max([new_lead, *(lead for lead, _ in others.values())])
            edits = [_regap(source, n, others[n], target) for n in chain]
            return (_rename_edit(source, name_span, new_name, old_gap, target - new_lead + 1),
                    *(e for e in edits if e is not None))
    if not rest[old_gap:].startswith("="):
        return (source.replace(name_span, new_name),)
    return (_rename_edit(source, name_span, new_name, old_gap, max(1, old_lead + old_gap - new_lead)),)


def delete_attribute(source: Source, attribute: Attribute,
                     attributes: Sequence[Attribute]) -> Optional[tuple[Edit, ...]]:
    """Delete an attribute that has its lines to itself (a trailing comment
    goes with it); the run it was aligned with is aligned again."""
    span = attribute.span
    if not (source.only_blank_before(span.line, span.col) and source.only_comment_after(span.end_line, span.end_col)):
        return None
    assignments = _assignments(source, attributes)
    deletion = source.delete_lines(span.line, span.end_line)
    if span.line not in assignments:
        return (deletion,)
    chain = [*_run(assignments, span.line - 1, -1), *_run(assignments, span.end_line + 1, 1)]
    if not chain or not _is_aligned([assignments[n] for n in [*chain, span.line]]):
        return (deletion,)
    target = max(assignments[n][0] for n in chain)
    return (deletion, *(e for e in (_regap(source, n, assignments[n], target) for n in chain) if e is not None))


def delete_block(source: Source, block: Block) -> Optional[Edit]:
    """Delete a block that has its lines to itself."""
    span = block.span
    if not (source.only_blank_before(span.line, span.col) and source.only_comment_after(span.end_line, span.end_col)):
        return None
    return source.delete_lines(span.line, span.end_line)


# ---- where a new line goes ---------------------------------------------------------


def _line_in_block(source: Source, block: Block, first: bool) -> Optional[tuple[int, str]]:
    """(the line a new attribute goes before, its indentation) in `block`;
    None for a block on one line."""
    header = block.header_span
    brace = _OPEN_BRACE.match(source.raw(header.end_line), header.end_col - 1)
    if brace is None or not source.only_comment_after(header.end_line, brace.end() + 1) or span_is_one_line(block):
        return None
    closing = block.span
    if not source.only_blank_before(closing.end_line, closing.end_col - 1):
        return None
    starts = [a.name_span for a in block.attributes] + [b.header_span for b in block.blocks]
    own_line = [s for s in starts if source.only_blank_before(s.line, s.col)]
    unit = "\t" if "\t" in source.indentation(header.line) else "  "
    indent = source.indentation(min(own_line).line) if own_line else source.indentation(header.line) + unit
    return (header.end_line + 1 if first else closing.end_line), indent


def span_is_one_line(block: Block) -> bool:
    return block.span.line == block.span.end_line


# ---- alignment -----------------------------------------------------------------------


def _assignments(source: Source, attributes: Sequence[Attribute]) -> Assignments:
    """The lines terraform fmt aligns among `attributes`: an attribute alone
    on its line, on one line (or a heredoc's first line), `name = value`."""
    found: Assignments = {}
    for attribute in attributes:
        name, span = attribute.name_span, attribute.span
        if span.line != span.end_line and attribute.expr.kind != "heredoc":
            continue
        if name.line != span.line or not source.only_blank_before(name.line, name.col):
            continue
        rest = source.raw(name.line)[name.end_col - 1:]
        gap = len(rest) - len(rest.lstrip(" "))
        if rest[gap:].startswith("=") and not rest[gap:].startswith("=="):
            found[name.line] = (name.end_col - 1, gap)
    return found


def _run(assignments: Assignments, line: int, step: int) -> list[int]:
    """The consecutive aligned lines from `line` on, going `step` (-1: up)."""
    found = []
    while line in assignments:
        found.append(line)
        line += step
    return found


def _is_aligned(entries: list[tuple[int, int]]) -> bool:
    """fmt's alignment: every `=` one column after the longest name."""
    longest = max(lead for lead, _ in entries)
    return all(gap == longest - lead + 1 for lead, gap in entries)


def _aligned_gap(source: Source, assignments: Assignments, chain: list[int], lead: int) -> tuple[int, list[Edit]]:
    """The blanks before a new line's `=`, and the edits that align its run again."""
    if not chain or not _is_aligned([assignments[n] for n in chain]):
        return 1, []
    target = max(lead, *(assignments[n][0] for n in chain))
    edits = [_regap(source, n, assignments[n], target) for n in chain]
    return target - lead + 1, [e for e in edits if e is not None]


def _regap(source: Source, line: int, entry: tuple[int, int], target: int) -> Optional[Edit]:
    lead, gap = entry
    wanted = target - lead + 1
    if wanted == gap:
        return None
    return Edit(source.path, Position(line, lead + 1), Position(line, lead + 1 + gap), " " * wanted)


def _rename_edit(source: Source, name_span: Span, new_name: str, old_gap: int, new_gap: int) -> Edit:
    return Edit(source.path, Position(name_span.line, name_span.col),
                Position(name_span.line, name_span.end_col + old_gap), new_name + " " * new_gap)
