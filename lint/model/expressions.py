"""The structure of an HCL expression, for the one reader that evaluates
expressions itself: Terragrunt's static evaluation (model/terragrunt_eval.py).

`Expr` (syntax.py) keeps what rules need of an expression (its literal value,
references, function names, strings); Terragrunt configuration also needs
how it is built (the arguments of a call, the parts of a template, the
branches of a conditional), so the parser attaches a `Node` tree to the
expressions of Terragrunt files (`Expr.tree`). Module files never get one.

One class with a `kind` keeps the tree small to pickle (the parse cache and
the process pool move it between processes):

| kind | fields |
|---|---|
| `literal` | `value`: str, int, float, bool or None |
| `text` | `value`: one literal fragment of a template (a line of a heredoc at most) |
| `template` | `children`: `text` and expression parts, in order |
| `tuple` | `children`: the items |
| `object` | `children`: `item` nodes, each `children = (key, value)` |
| `ref` | `name`: the root identifier (`local`, `include`, `dependency`, …) |
| `attr` | `name`: the attribute; `children = (target,)` |
| `index` | `children = (target, key)` |
| `call` | `name`: the function; `children`: the arguments; `value`: True when the last one is expanded (`...`) |
| `cond` | `children = (predicate, then, else)` |
| `binary` | `name`: the operator; `children = (left, right)` |
| `unary` | `name`: `-` or `!`; `children = (operand,)` |
| `for` | `name`: `tuple` or `object`; `value`: the iterator names `(key or None, value)`; `children`: |
|  | `(collection, result, condition)`, or `(collection, key, result, condition)` for an object |
|  | (`condition`: a `literal` True without `if`) |
| `other` | what the evaluator treats as unknown (splats, grouping `for`, template directives); `name` says which |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .syntax import Span

LITERAL = "literal"
TEXT = "text"
TEMPLATE = "template"
TUPLE = "tuple"
OBJECT = "object"
ITEM = "item"
REF = "ref"
ATTR = "attr"
INDEX = "index"
CALL = "call"
COND = "cond"
BINARY = "binary"
UNARY = "unary"
FOR = "for"
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Node:
    """One node of an expression tree (see the module docstring for the kinds)."""

    kind: str
    span: Span
    value: Any = None
    name: str = ""
    children: tuple[Node, ...] = ()

    def traversal(self) -> tuple[str, ...]:
        """`local.a.b` -> ("local", "a", "b"): the names of a plain attribute
        traversal, literal string or number indexes included (`x["k"]`,
        `x[0]`); () when it is anything else."""
        steps: list[str] = []
        node = self
        while node.kind in (ATTR, INDEX):
            if node.kind == ATTR:
                steps.append(node.name)
            else:
                key = node.children[1]
                if key.kind != LITERAL or isinstance(key.value, bool) or key.value is None:
                    return ()
                steps.append(str(key.value))
            node = node.children[0]
        if node.kind != REF:
            return ()
        return (node.name, *reversed(steps))
