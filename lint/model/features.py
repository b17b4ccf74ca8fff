"""Find the language features a root uses that not every release has.

The feature table (id, first version per engine, detection hint) is package
data (`data/releases.json`); this module interprets its `detect` hints over
the model. Hints that HCL alone cannot decide (`heuristic`), that live
outside module files (`cli_flag`, test and query files) or that another rule
owns (`block_expression`: variables in backends are IACM105) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Optional, TypeVar, Union

from ..knowledge import releases as rel
from ..memo import per_file, per_object
from .compat import READS_TF, READS_TF_AND_TOFU, files_read, root_modules
from .syntax import Attribute, Block, Expr, HclFile, RootModule, Span

T = TypeVar("T")


@dataclass(frozen=True)
class FeatureUse:
    id: str
    title: str
    terraform: Optional[str]
    opentofu: Optional[str]
    span: Span

    def first(self, engine: str) -> Optional[str]:
        return self.terraform if engine == "terraform" else self.opentofu


def _blocks(files: Iterable[HclFile], types: Union[str, Iterable[str]]) -> Iterator[Block]:
    types = (types,) if isinstance(types, str) else tuple(types)
    for f in files:
        for block in f.blocks:
            if block.type in types:
                yield block


def _nested(files: Iterable[HclFile], path: str) -> Iterator[Block]:
    """"resource.lifecycle" -> the lifecycle blocks of top-level resources."""
    first, *rest = path.split(".")
    current = list(_blocks(files, first))
    for name in rest:
        current = [child for block in current for child in block.children(name)]
    return iter(current)


def _exprs(expr: Expr) -> Iterator[Expr]:
    yield expr
    for item in expr.items:
        yield from _exprs(item)
    for _, _, value in expr.entries:
        yield from _exprs(value)


def _innermost(expr: Expr, test: Callable[[Expr], bool]) -> Expr:
    """The smallest sub-expression of `expr` that still passes `test`."""
    for child in (*expr.items, *(value for _, _, value in expr.entries)):
        if test(child):
            return _innermost(child, test)
    return expr


def _called_functions(files: Iterable[HclFile]) -> Iterator[tuple[str, list[Expr]]]:
    """(function name, the attribute expressions calling it), per file: a
    feature looks at each name once, not at every call, and works out the
    span of a call only when it wants the call."""
    for f in files:
        yield from _per_file(f, "calls and references", _file_calls_and_references)[0].items()


def _references(files: Iterable[HclFile], root: str) -> Iterator[tuple[str, Expr]]:
    """(reference, attribute expression holding it) for the references whose
    first part is `root` ("tofu" for tofu.workspace): files are indexed by it
    once, as most references (var.*, local.*, resources) match no feature."""
    for f in files:
        yield from _per_file(f, "calls and references", _file_calls_and_references)[1].get(root, ())


def _file_calls_and_references(f: HclFile) -> tuple[dict[str, list[Expr]], dict[str, list[tuple[str, Expr]]]]:
    """Function calls by name and references by first part, in one walk."""
    calls: dict[str, list[Expr]] = {}
    references: dict[str, list[tuple[str, Expr]]] = {}
    for block in f.walk():
        for attribute in block.attributes:
            expr = attribute.expr
            for name in expr.functions:
                calls.setdefault(name, []).append(expr)
            for ref in expr.references:
                references.setdefault(ref.split(".", 1)[0], []).append((ref, expr))
    return calls, references


def _call_span(name: str, expr: Expr) -> Span:
    return _innermost(expr, lambda e: name in e.functions).span


def _reference_span(ref: str, expr: Expr) -> Span:
    return _innermost(expr, lambda e: ref in e.references).span


def _per_file(f: HclFile, what: str, build: Callable[[HclFile], T]) -> T:
    """Per-file results, shared by every feature and every root that reads
    the file (roots calling one module used to re-walk it for each feature)."""
    return per_file(f, what, build)


def _detect(feature: rel.Feature, files: list[HclFile], root_files: list[HclFile],
            tfbackends: Iterable[HclFile]) -> Iterator[Span]:
    d = feature.detect
    kind = d.get("type")
    if kind == "top_level_block":
        for block in _blocks(files, d["block"]):
            if "labels" not in d or len(block.labels) == d["labels"]:
                yield block.header_span
    elif kind == "nested_block":
        for block in _blocks(files, d["block"]):
            for child in block.children(d["nested"]):
                yield child.header_span
    elif kind == "block_attribute":
        for block in _blocks(files, d.get("blocks") or d["block"]):
            attribute = block.attr(d["attribute"])
            if attribute is not None:
                yield attribute.span
    elif kind == "nested_block_attribute":
        for block in _blocks(files, d["blocks"]):
            for child in block.children(d["nested"]):
                attribute = child.attr(d["attribute"])
                if attribute is not None:
                    yield attribute.span
    elif kind == "attribute_expression":
        for block in _nested(files, d["block"]):
            for name in d.get("attributes") or [d["attribute"]]:
                attribute = block.attr(name)
                if attribute is not None and not attribute.expr.is_literal:
                    yield attribute.span
    elif kind == "attribute_value":
        for block in _blocks(files, d["block"]):
            attribute = block.attr(d["attribute"])
            if attribute is not None and isinstance(attribute.value, str) and attribute.value.startswith(d["prefix"]):
                yield attribute.span
    elif kind == "function_call":
        pattern = _name_pattern(d["name_pattern"]) if "name_pattern" in d else None
        wanted, table = d.get("name"), rel.functions()
        for name, exprs in _called_functions(files):
            bare = name[len("core::"):] if name.startswith("core::") else name
            if (pattern is not None and pattern.match(name) and name not in table) or bare == wanted:
                yield from (_call_span(name, expr) for expr in exprs)
    elif kind == "reference":
        root = d.get("root")
        if root:
            for ref, expr in _references(files, root):
                yield _reference_span(ref, expr)
        elif feature.id == "terraform_applying":
            for ref, expr in _references(files, "terraform"):
                if ref.startswith("terraform.applying"):
                    yield _reference_span(ref, expr)
    elif kind == "file_extension" and ".tofu" in d.get("extensions", ()):
        tofu = sorted(f.path for f in root_files if f.is_tofu)
        if tofu:
            yield Span.file_start(tofu[0])
    elif kind == "backend_attribute":
        for block in _blocks(files, "terraform"):
            for backend in block.children("backend"):
                if backend.labels[:1] == (d["backend"],):
                    for name in d["attributes"]:
                        attribute = backend.attr(name)
                        if attribute is not None:
                            yield attribute.span
                        for child in backend.children(name):
                            yield child.header_span
        if any(backend.labels[:1] == (d["backend"],) for block in _blocks(files, "terraform")
               for backend in block.children("backend")):
            for tfbackend in tfbackends:
                for attribute in tfbackend.attributes:
                    if attribute.name in d["attributes"]:
                        yield attribute.span
    elif kind == "expression_references":  # cross-variable validation
        for variable in _blocks(files, "variable"):
            own = f"var.{variable.labels[0]}" if variable.labels else ""
            for validation in variable.children("validation"):
                for attribute in validation.attributes:
                    for ref in attribute.expr.references:
                        if ref != own and not ref.startswith(own + ".") and not ref.startswith(own + "["):
                            yield attribute.span
                            break
    elif kind == "block_semantics" and feature.id == "moved_between_resource_types":
        for block in _blocks(files, "moved"):
            types = [_resource_type(block.attr(side)) for side in ("from", "to")]
            if None not in types and types[0] != types[1]:
                yield block.header_span


@cache  # asked for every file
def _name_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _resource_type(attribute: Optional[Attribute]) -> Optional[str]:
    if attribute is None or not attribute.expr.references:
        return None
    parts = attribute.expr.references[0].split(".")
    while parts[:1] == ["module"] and len(parts) > 2:
        parts = parts[2:]
    if len(parts) < 2 or parts[0] in ("module", "data", "var", "local"):
        return None
    return parts[0]


def files_for(root: RootModule, engine: str) -> list[HclFile]:
    """The module files of a root (and its local modules) that the engine reads:
    Terraform never reads `.tofu` files; OpenTofu (>= 1.8) skips `X.tf` twins."""
    mode = READS_TF if engine == "terraform" else READS_TF_AND_TOFU
    return [f for m in root_modules(root) for f in files_read(m, mode)]


def feature_uses(root: RootModule, engine: str) -> list[FeatureUse]:
    """Every use of a tabled feature or function in the files the engine reads
    (memoised per root in the scan: IACM306 and IACM307 both ask)."""
    return list(per_object(root, f"feature uses ({engine})", lambda r: _feature_uses(r, engine)))


# Detection kinds whose result for a file list is the union of each file's
# result; the others look across files (.tofu files of the root, backends
# with their .tfbackend files).
_FILE_LOCAL_KINDS = frozenset({
    "top_level_block", "nested_block", "block_attribute", "nested_block_attribute", "attribute_expression",
    "attribute_value", "function_call", "reference", "expression_references", "block_semantics",
})


@lru_cache(maxsize=1)
def _file_local_features() -> tuple[tuple[rel.Feature, frozenset[tuple[str, ...]]], ...]:
    """Each file-local feature with the signs a file must show, any one of
    them, for `_detect` to find the feature there; worked out once."""
    return tuple((feature, _needed_signs(feature)) for feature in rel.features()
                 if feature.detect.get("type") in _FILE_LOCAL_KINDS)


def _needed_signs(feature: rel.Feature) -> frozenset[tuple[str, ...]]:
    """("block", TYPE): a top-level block of that type; ("calls",): any
    function call; ("reference", FIRST): a reference starting FIRST."""
    d = feature.detect
    kind = d["type"]
    if kind == "function_call":
        return frozenset({("calls",)})
    if kind == "reference":
        root = d.get("root") or ("terraform" if feature.id == "terraform_applying" else None)
        return frozenset({("reference", root)} if root else ())
    if kind == "expression_references":
        types = ("variable",)
    elif kind == "block_semantics":
        types = ("moved",)
    elif kind == "attribute_expression":
        types = (d["block"].split(".")[0],)
    else:
        types = d.get("blocks") or d["block"]
        types = (types,) if isinstance(types, str) else types
    return frozenset(("block", t) for t in types)


def _file_signs(f: HclFile) -> set[tuple[str, ...]]:
    calls, references = _per_file(f, "calls and references", _file_calls_and_references)
    signs: set[tuple[str, ...]] = {("block", block.type) for block in f.blocks}
    if calls:
        signs.add(("calls",))
    signs.update(("reference", first) for first in references)
    return signs


def _file_feature_uses(f: HclFile) -> list[FeatureUse]:
    """One file's uses of the file-local features and of tabled functions,
    computed once per file and shared by every root that reads it (modules
    called by many roots). Features the file shows no sign of are skipped:
    most files have few block types, half call no function, none says `tofu.`."""
    signs = _file_signs(f)
    uses = [_use(feature, span) for feature, needed in _file_local_features() if not needed.isdisjoint(signs)
            for span in _detect(feature, [f], [f], ())]
    return uses + list(_function_table_uses([f]))


def _use(feature: rel.Feature, span: Span) -> FeatureUse:
    return FeatureUse(feature.id, feature.title, feature.terraform, feature.opentofu, span)


def _function_table_uses(files: Iterable[HclFile]) -> Iterator[FeatureUse]:
    """Calls of functions in the function table. A function call found in the
    table is reported as that function, not also as a generic provider-defined
    function; functions a feature names (templatestring, ...) are that feature's."""
    named_by_feature = _functions_named_by_features()
    table = rel.functions()
    for name, exprs in _called_functions(files):
        bare = name[len("core::"):] if name.startswith("core::") else name
        if bare in table and bare not in named_by_feature:
            first = table[bare]
            for expr in exprs:
                yield FeatureUse(f"function:{bare}", f"function {bare}", first["terraform"], first["opentofu"],
                                 _call_span(name, expr))


@lru_cache(maxsize=1)
def _functions_named_by_features() -> frozenset[Optional[str]]:
    return frozenset(f.detect.get("name") for f in rel.features() if f.detect.get("type") == "function_call")


def _feature_uses(root: RootModule, engine: str) -> list[FeatureUse]:
    """Every use of a tabled feature or function in the files the engine reads,
    in path order."""
    files = files_for(root, engine)
    all_files = [f for m in root_modules(root) for f in m.files]
    uses: dict[tuple[str, Span], FeatureUse] = {}
    for f in files:
        for use in _per_file(f, "features", _file_feature_uses):
            uses.setdefault((use.id, use.span), use)
    for feature in rel.features():
        if feature.detect.get("type") in _FILE_LOCAL_KINDS:
            continue
        for span in _detect(feature, files, all_files, root.module.tfbackends):
            uses.setdefault((feature.id, span), _use(feature, span))
    # the fields of the (order=True) Span as a plain tuple: the same order, compared without dataclass __lt__
    return sorted(uses.values(),
                  key=lambda u: (u.span.path, u.span.line, u.span.col, u.span.end_line, u.span.end_col, u.id))
