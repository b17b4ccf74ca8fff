"""IACM306 feature-unavailable."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.knowledge import releases as rel
from iacm_lint.knowledge.engines import Engine
from iacm_lint.knowledge.versions import parse_version
from iacm_lint.model.compat import judged_releases, module_declarations, root_modules
from iacm_lint.model.features import FeatureUse, feature_uses, files_for
from iacm_lint.model.syntax import RootModule, Span
from iacm_lint.registry import Context, Violation, rule

from ._versions import span_of_releases, title


@rule("IACM306", "feature-unavailable", level="error", scope="root", checklist="version", tags=("versions", "engine"),
      short="The code uses a language feature the selected engine versions do not have")
def feature_unavailable(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a language feature (from the feature and function tables of
    versions.json) that the supported releases accepting the root lack:
    with Terraform (≤ 1.5.7) e.g. `.tofu` files, `encryption`, `removed`
    blocks, provider-defined functions (`provider::…::…`), `ephemeral`
    resources and variables, s3 `use_lockfile`, provider `for_each`,
    `import` with `for_each`; with OpenTofu, features newer than the
    versions the constraints admit. An error when no such release has the
    feature, a note when only some older ones lack it (raise the lower
    bound; for a root without `required_version`, add one). When no
    supported release accepts the root (IACM301), all supported releases
    are the measure. A block and a feature nested in it (`removed {
    lifecycle { destroy = false } }`) are one construct and one finding:
    the one that needs the later release.

    ## Why is this bad?
    `init` or `plan` fails with "Unsupported block type", "Unsupported
    argument" or "Call to unknown function" on those versions.

    ## Example
    ```hcl engine=terraform
    # main.tf
    removed {
      from = aws_instance.legacy
    }
    ```

    ## Use instead
    ```hcl engine=terraform
    # main.tf
    # Terraform 1.5: forget the object with `terraform state rm aws_instance.legacy`
    # before deleting its resource block.
    locals {
      retired = "aws_instance.legacy"
    }
    ```
    """
    engine = ctx.engine_for(root).engine
    judged = judged_releases(root, engine)
    constrained = any(module_declarations(module) for module in root_modules(root))
    other = Engine(engine).other
    split: dict = {}  # first version -> (lacking, having); many uses share a feature
    for use in _one_per_construct(root, engine, feature_uses(root, engine)):
        first = use.first(engine)
        if first not in split:
            split[first] = ([r for r in judged if not rel.has(r.parsed, first)],
                            [r for r in judged if rel.has(r.parsed, first)])
        lacking, having = split[first]
        if not lacking:
            continue
        elsewhere = use.first(other)
        if first is None:
            hint = f"; {title(other)} has it from {elsewhere}" if elsewhere else "; remove it"
            yield Violation(use.span, f"this root uses {use.title}, which no {title(engine)} release has{hint}")
        elif having and not constrained:
            yield Violation(use.span, f"this root uses {use.title}, available from {title(engine)} {first}, but the "
                            f"root declares no required_version, so {span_of_releases(engine, lacking)} may run it; "
                            f'add required_version = ">= {first}"', level="note")
        elif having:
            yield Violation(use.span, f"this root uses {use.title}, available from {title(engine)} {first}, "
                            f"but the version constraints also admit {span_of_releases(engine, lacking)}; "
                            f'raise the lower bound to ">= {first}"',
                            level="note")
        elif engine == "terraform" or not constrained:
            hint = f"; {title(other)} has it from {elsewhere}" if elsewhere and engine == "terraform" else ""
            yield Violation(use.span, f"this root uses {use.title}, available from {title(engine)} {first}, but "
                            f"Harness runs {title(engine)} only up to {rel.newest_supported(engine).version}{hint}")
        else:
            yield Violation(use.span, f"this root uses {use.title}, available from OpenTofu {first}, but the version "
                            f"constraints admit only {span_of_releases(engine, judged)}; "
                            f'raise required_version to ">= {first}"')



def _one_per_construct(root: RootModule, engine: str, uses: list[FeatureUse]) -> list[FeatureUse]:
    """One finding per construct: a block's own feature (`removed`, found at
    its header) and a feature nested in that block (`removed { lifecycle }`)
    are one use, reported as the one that needs the later release (the
    block's own on a tie)."""
    headers = {block.header_span: block for f in files_for(root, engine) for block in f.blocks}
    owners = [(use, headers[use.span]) for use in uses if use.span in headers]
    kept = []
    for use in uses:
        if use.span in headers:
            nested = (u for u in uses if u.span != use.span and _inside(u.span, headers[use.span].span))
            if not any(_needs_later(u, use, engine) for u in nested):
                kept.append(use)
        elif not any(_inside(use.span, block.span) and not _needs_later(use, owner, engine) for owner, block in owners):
            kept.append(use)
    return kept


def _inside(span: Span, container: Span) -> bool:
    return span.path == container.path and (container.line, container.col) <= (span.line, span.col) \
        and (span.end_line, span.end_col) <= (container.end_line, container.end_col)


def _needs_later(use: FeatureUse, other: FeatureUse, engine: str) -> bool:
    """Does `use` need a later release of the engine than `other` does (None: no release has it)?"""
    mine, theirs = use.first(engine), other.first(engine)
    if mine is None or theirs is None:
        return mine is None and theirs is not None
    return not rel.has(parse_version(theirs), mine)
