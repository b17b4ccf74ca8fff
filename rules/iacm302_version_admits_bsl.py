"""IACM302 version-admits-bsl."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from iacm_lint.fix import Fix, Position, unsafe
from iacm_lint.knowledge import releases as rel
from iacm_lint.model.compat import (
    READS_TF,
    REQUIRED_VERSION,
    TERRAFORM_VERSION_CONSTRAINT,
    VersionDecl,
    accepting_releases,
    root_versions,
)
from iacm_lint.model.syntax import TF, RootModule
from iacm_lint.registry import Context, Violation, rule

from ..model.source import source_of
from ._versions import span_of_releases

UPPER_BOUND = "< 1.6.0"  # the first BSL release of Terraform


@rule("IACM302", "version-admits-bsl", level="warning", scope="root", tags=("versions", "engine", "license"),
      checklist="version",
      short="The Terraform version constraint also admits BSL releases Harness does not run", fix="unsafe")
def version_admits_bsl(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    With engine terraform, reports a root whose `required_version` accepts a
    supported Terraform release but also Terraform 1.6.0 or later (BUSL-1.1),
    for example `>= 1.3` or `~> 1` (which has no upper bound). A root without
    any `required_version` gets IACM303's note instead.

    ## Why is this bad?
    A local run, or a version manager resolving `latest-allowed`, may use a
    Terraform release Harness will not run, and its state or lock file then
    needs a newer version than the workspace has.

    ## Example
    ```hcl engine=terraform
    # versions.tf
    terraform {
      required_version = ">= 1.3"
    }
    ```

    ## Use instead
    ```hcl engine=terraform
    # versions.tf
    terraform {
      required_version = ">= 1.3, < 1.6.0"
    }
    ```

    ## Fix
    Unsafe: appends `, < 1.6.0` to the constraint string. It narrows the
    versions the code admits: a machine or pipeline that runs Terraform
    1.6 or later stops working with this root until it pins an MPL release,
    which is the point, but a change to review.
    """
    if ctx.engine_for(root).engine != "terraform" or not accepting_releases(root, "terraform"):
        return
    own_paths = {f.path for f in root.files}
    own = [d for d in root_versions(root).read(READS_TF) if d.constraints is not None and (
        (d.kind == REQUIRED_VERSION and d.file.path in own_paths) or d.kind == TERRAFORM_VERSION_CONSTRAINT)]
    if not own:
        return
    supported = set(rel.supported_releases("terraform"))
    bsl = [r for r in accepting_releases(root, "terraform", supported_only=False) if r not in supported]
    if not bsl:
        return
    decl = own[0]
    yield Violation(decl.span, f"{decl.label} also admits {span_of_releases('terraform', bsl)} (BSL), "
                    'which Harness does not run; add an upper bound such as "< 1.6.0" or use "~> 1.5.0"',
                    fix=_fix(ctx, decl))


def _fix(ctx: Context, decl: VersionDecl) -> Optional[Fix]:
    expr = decl.attribute.expr
    if decl.file.kind != TF or expr.kind != "string" or not str(expr.value).strip():
        return None
    source = source_of(ctx, decl.file.path)
    closing = Position(expr.span.end_line, expr.span.end_col - 1)
    if source is None or source.raw(closing.line)[closing.column - 1:closing.column] != '"':
        return None
    return unsafe(f'Add the upper bound "{UPPER_BOUND}"', source.insert(closing, f", {UPPER_BOUND}"))
