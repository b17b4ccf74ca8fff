"""IACM104 backend-unknown-attribute."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Optional, Union

from ..fix import Fix, unsafe
from ..knowledge.backend_schemas import (
    attributes,
    closest,
    in_range,
    names_for,
    range_text,
    schema,
)
from ..knowledge.engines import Engine
from ..knowledge.terragrunt import TERRAGRUNT_ONLY_KEYS
from ..model.backends import BackendValue, effective_backends, judged_versions
from ..model.syntax import Block, Expr, RootModule, Span
from ..registry import Context, Violation, rule
from ._backend_fixes import renamer

Entries = tuple[tuple[str, Span, Expr], ...]  # an object value's (key, key span, value)
Rename = Optional[Callable[[str], Optional[Fix]]]  # new name -> the fix that renames the attribute


def _unknown(name: str, specs: dict, engine: str, where: str, span: Span, rename: Rename = None,
             also: Iterable[str] = ()) -> Violation:
    spec = specs.get(name)
    other = next((e for e in Engine if e != engine and spec is not None and e in spec), None)
    message = (f'"{name}" is not an argument of {where} in {Engine(engine).display_name}'
               ' (init fails with "Unsupported argument")')
    suggestion = closest(name, [*names_for(specs, engine), *also])
    if spec is not None and other is not None:
        message += f"; only {range_text(spec[other], other)} has it"
    if suggestion:
        message += f'; did you mean "{suggestion}"?'
    elif other is None:
        message += "; remove it"
    fix = rename(suggestion) if rename is not None and suggestion and other is None else None
    return Violation(span, message, fingerprint_key=name, fix=fix)


def _check(name: str, span: Span, as_block: bool, specs: dict, engine: str, releases: list[str],
           where: str, rename: Rename = None, also: Iterable[str] = ()) -> Optional[Violation]:
    spec = specs.get(name)
    if spec is None or engine not in spec:
        return _unknown(name, specs, engine, where, span, rename, also)
    available = any(in_range(spec[engine], v) for v in releases)
    kind = spec.get("kind", "attribute")
    if available and as_block and kind != "block":
        return Violation(span, f'"{name}" in {where} is an argument, not a block; write {name} = {{ … }}',
                         fingerprint_key=name)
    if available and not as_block and kind == "block":
        return Violation(span, f'"{name}" in {where} is a block, not an argument; write {name} {{ … }}',
                         fingerprint_key=name)
    return None


@rule("IACM104", "backend-unknown-attribute", level="error", scope="root", checklist="backend", tags=("state",),
      short="Backend attribute or block not in the backend's schema", fix="unsafe")
def backend_unknown_attribute(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports an attribute or nested block of a backend block or `.tfbackend`
    file that the backend's schema for the selected engine does not have
    (`init` fails with "Unsupported argument"), with the closest valid name
    when one is within edit distance 2, and block/argument syntax mix-ups
    (`assume_role { }` where s3 wants `assume_role = { }`). Deprecated
    attributes are valid; attributes that exist only in other versions of
    the engine are IACM306's.

    ## Why is this bad?
    A typo such as `dynamodb_tabel` stops `init` in the pipeline, after review.

    ## Example
    ```hcl
    terraform {
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "app/terraform.tfstate"
        region         = "us-east-1"
        dynamodb_tabel = "terraform-locks"
      }
    }
    ```

    ## Use instead
    ```hcl
    terraform {
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "app/terraform.tfstate"
        region         = "us-east-1"
        dynamodb_table = "terraform-locks"
      }
    }
    ```

    ## Fix
    Unsafe: an unknown attribute (or key of an object attribute such as
    `assume_role = { … }`) with a single close valid name is renamed to it,
    its `=` kept in line. The name is a guess from the spelling, and the
    renamed setting starts to act (`dynamodb_tabel` was ignored at best;
    `dynamodb_table` locks). No fix when the name is taken already, for
    blocks, or for names that another engine has.
    """
    engine = ctx.engine_for(root).engine
    releases = judged_versions(root, engine)
    seen: set[Span] = set()
    for backend in effective_backends(root):
        entry = schema(backend.type)
        if entry is None or "not_a_backend" in entry or engine not in entry["engines"]:
            continue  # IACM109
        specs = attributes(backend.type)
        where = f'backend "{backend.type}"'
        # keys Terragrunt keeps for itself never reach the backend, but are near misses too
        also = sorted(TERRAGRUNT_ONLY_KEYS.get(backend.type, ())) if backend.terragrunt else ()
        # (name, span, written as a block, what it holds: a nested block or an object's entries, its value)
        items: list[tuple[str, Span, bool, Union[Block, Entries], Optional[BackendValue]]] = [
            (v.name, v.span, False, v.expr.entries if v.expr.kind == "object" else (), v) for v in backend.written]
        items += [(b.type, b.header_span, True, b, None) for b in backend.nested_blocks]
        for name, span, as_block, inner, value in items:
            if span in seen:
                continue
            seen.add(span)
            rename = renamer(ctx, backend, value, unsafe) if value is not None else None
            violation = _check(name, span, as_block, specs, engine, releases, where, rename, also)
            if violation is not None:
                yield violation
                continue
            nested_specs = specs[name].get("attributes", {})
            if not nested_specs:
                continue
            nested: list[tuple[str, Span, bool, Rename]]
            if isinstance(inner, Block):  # no fix renames a nested block's attributes
                nested = [*((a.name, a.span, False, None) for a in inner.attributes),
                          *((b.type, b.header_span, True, None) for b in inner.blocks)]
            else:
                nested = [(key, key_span, False, renamer(ctx, backend, value, unsafe, key_span) if value else None)
                          for key, key_span, _ in inner]
            for key, key_span, key_block, rename_key in nested:
                violation = _check(key, key_span, key_block, nested_specs, engine, releases, f"{name} of {where}",
                                   rename_key)
                if violation is not None:
                    yield violation
