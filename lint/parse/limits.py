"""Resource limits on parsed models, applied before a model is cached,
pickled to another process or handed to rules.

A model nested deeper than MAX_NESTING levels (blocks, tuples, objects,
YAML maps and sequences) becomes an IACM000 parse error at the first node
past the limit. Pickling (the parse cache, the process pool), the models'
own recursive methods and rules all recurse once or more per level; without
this bound a 300-deep `[[[...]]]` in a pull request crashed the scan with
RecursionError. Real Terraform and pipelines nest a dozen levels at most.

A file of more than MAX_TOKENS tokens (HCL tokens, JSON or YAML values and
events) becomes an IACM000 "too complex to analyse" error. Parse trees and
models cost a few hundred bytes and a few microseconds per token, so this
bounds what one file can take whatever its shape (~250 MB and a few seconds):
a 5 MB file of `#` lines or of `a {}` blocks stops there instead of taking
gigabytes. Real Terraform averages ~7 bytes per token, so files of ordinary
code up to ~3 MB are well within it. Deterministic, unlike a time limit.

Number literals too long for int() keep their text (`number_value`).

The per-file size limit lives in `textio` (`Options.max_file_bytes`,
`--max-file-size`).
"""

from __future__ import annotations

import re
from typing import Any, Optional, Union

from ..model.syntax import Block, Expr, HclFile, ParseError, Span, YamlFile, YNode

MAX_NESTING = 100
MAX_TOKENS = 500_000

MAX_SIZE_LIMIT = 1024 ** 3  # --max-file-size: parsing needs several times a file's size in memory

_SIZE = re.compile(r"\s*(\d+)\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)\s*", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def parse_size(text: str) -> int:
    """`--max-file-size`: bytes, or a number with KB/MB/GB (powers of 1024),
    from 1 byte to MAX_SIZE_LIMIT. A message says what is wrong with the
    text without repeating it (the caller quotes it, shortened)."""
    match = _SIZE.fullmatch(str(text))
    if not match:
        raise ValueError("is not a size; give bytes or a number with KB, MB or GB, e.g. 10MB")
    too_large = f"is larger than the largest limit, {MAX_SIZE_LIMIT // 1024 ** 3}GB"
    digits = match.group(1).lstrip("0") or "0"
    if len(digits) > len(str(MAX_SIZE_LIMIT)):  # before int(): Python refuses to convert over 4,300 digits
        raise ValueError(too_large)
    value = int(digits) * _UNITS[match.group(2)[:1].lower()]
    if value < 1:
        raise ValueError("is not a size limit: the limit must be at least 1 byte")
    if value > MAX_SIZE_LIMIT:
        raise ValueError(too_large)
    return value


# int() of a longer digit string raises ValueError past the interpreter's
# int-string limit (4,300 digits by default, 640 at the lowest setting) and
# takes quadratic time below it. No real value is that long, so such a literal
# keeps its text as its value (HCL would convert it to that string anyway).
MAX_INT_DIGITS = 640


def number_value(raw: str) -> Union[int, float, str]:
    """The value of a number literal (`-12`, `1.5e3`, `1e999999` -> inf). An
    integer of more than MAX_INT_DIGITS digits stays text."""
    if "." in raw or "e" in raw or "E" in raw:
        return float(raw)  # linear in the text; out-of-range exponents give inf or 0.0
    if len(raw) - raw.startswith("-") > MAX_INT_DIGITS:
        return raw
    return int(raw)


def nesting_message(limit: int = MAX_NESTING) -> str:
    return f"nested more than {limit} levels deep; not analysed"


def too_complex_message() -> str:
    return f"too complex to analyse (more than {MAX_TOKENS:,} tokens)"


def could_be_deeper(text: str, limit: int = MAX_NESTING) -> bool:
    """Cheap upper bound: every level needs an opening bracket, a line or a
    YAML `- `/`? ` of its own. False means no model of `text` can exceed `limit`."""
    bound = text.count("{") + text.count("[")
    if bound > limit:
        return True
    return bound + text.count("\n") + text.count("-") + text.count("?") + 1 > limit


def too_deep(model: Any, limit: int = MAX_NESTING) -> Optional[Span]:
    """The span of the first node (in traversal order) nested deeper than
    `limit` levels, or None. Iterative: never recurses itself."""
    stack: list[tuple[Any, int]] = []
    if isinstance(model, HclFile):
        stack.extend((node, 1) for node in reversed((*model.blocks, *model.attributes)))
    elif isinstance(model, YamlFile) and model.root is not None:
        stack.append((model.root, 1))
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Block):
            span = node.header_span
            children = (*node.blocks, *node.attributes)
        elif isinstance(node, Expr):
            span = node.span
            children = (*node.items, *(value for _, _, value in node.entries))
        elif isinstance(node, YNode):
            span = node.span
            children = (*node.items, *(part for pair in node.entries for part in pair))
        else:  # an Attribute: its expression sits at the attribute's level
            stack.append((node.expr, depth))
            continue
        if depth > limit:
            return span
        stack.extend((child, depth + 1) for child in reversed(children))
    return None


def within_limits(model: Any, text: Optional[str], limit: int = MAX_NESTING) -> Any:
    """`model`, or an error model of the same file when it nests too deep."""
    if text is None or model is None:
        return model
    read_nothing = not (getattr(model, "blocks", ()) or getattr(model, "attributes", ()))
    if getattr(model, "error", None) is not None and read_nothing:
        return model  # nothing was read (a salvaged file or one with a rejected argument still holds a model)
    if not could_be_deeper(text, limit):
        return model
    span = too_deep(model, limit)
    if span is None:
        return model
    error = ParseError(nesting_message(limit), Span(span.path, span.line, span.col, span.line, span.col + 1))
    if isinstance(model, HclFile):
        return HclFile(model.path, model.kind, error=error)
    return YamlFile(model.path, None, error=error)
