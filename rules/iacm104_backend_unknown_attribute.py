"""IACM104 backend-unknown-attribute."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Optional, Union

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
from ..model.backends import effective_backends, judged_versions
from ..model.syntax import Block, Expr, RootModule, Span
from ..registry import Context, Violation, rule


def _unknown(name: str, specs: dict, engine: str, where: str, span: Span, also: Iterable[str] = ()) -> Violation:
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
    return Violation(span, message, fingerprint_key=name)


def _check(name: str, span: Span, as_block: bool, specs: dict, engine: str, releases: list[str],
           where: str, also: Iterable[str] = ()) -> Optional[Violation]:
    spec = specs.get(name)
    if spec is None or engine not in spec:
        return _unknown(name, specs, engine, where, span, also)
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
      short="Backend attribute or block not in the backend's schema")
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
        # (name, span, written as a block, what it holds: a nested block or an object's entries)
        items: list[tuple[str, Span, bool, Union[Block, tuple[tuple[str, Span, Expr], ...]]]] = [
            (v.name, v.span, False, v.expr.entries if v.expr.kind == "object" else ()) for v in backend.written]
        items += [(b.type, b.header_span, True, b) for b in backend.nested_blocks]
        for name, span, as_block, inner in items:
            if span in seen:
                continue
            seen.add(span)
            violation = _check(name, span, as_block, specs, engine, releases, where, also)
            if violation is not None:
                yield violation
                continue
            nested_specs = specs[name].get("attributes", {})
            if not nested_specs:
                continue
            nested = ([(a.name, a.span, False) for a in inner.attributes]
                      + [(b.type, b.header_span, True) for b in inner.blocks]
                      if isinstance(inner, Block) else [(key, key_span, False) for key, key_span, _ in inner])
            for key, key_span, key_block in nested:
                violation = _check(key, key_span, key_block, nested_specs, engine, releases, f"{name} of {where}")
                if violation is not None:
                    yield violation
