"""IACM303 version-missing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from iacm_lint.fix import Fix, unsafe
from iacm_lint.knowledge.releases import harness_constraint_text
from iacm_lint.model.compat import own_declarations
from iacm_lint.model.syntax import TF, RootModule, Span
from iacm_lint.model.terragrunt import REMOTE_SOURCE, UNKNOWN_SOURCE, UnitModel, unit_model
from iacm_lint.registry import Context, Violation, rule

from ..model.source import source_of
from ._hcl_fixes import insert_attribute
from ._versions import where_missing


@rule("IACM303", "version-missing", level="note", scope="root", checklist="version", tags=("versions",),
      short="Root module declares no required_version", fix="unsafe")
def version_missing(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a root module none of whose own files declares a version
    constraint: `terraform { required_version = "…" }`, or for OpenTofu
    `language { compatible_with { opentofu = "…" } }`. The finding points at
    the root's first `terraform` block, or line 1 of its first file. A root
    with a file that could not be wholly parsed is not reported: the
    constraint may be in the part that could not be read (its IACM000 says so).

    ## Why is this bad?
    Without a constraint any engine version runs the code, including a
    Terraform release Harness does not support and versions older than the
    features the code uses; the workspace and local runs can drift apart.

    ## Example
    ```hcl
    # main.tf
    terraform {
      backend "s3" {}
    }
    ```

    ## Use instead
    ```hcl
    # main.tf
    terraform {
      required_version = ">= 1.8.0"
      backend "s3" {}
    }
    ```

    ## Fix
    Unsafe: adds `required_version` with the releases Harness runs for the
    root's engine (`<= 1.5.7` for Terraform, `>= 1.6.0` for OpenTofu) to
    the root's first `terraform` block, or in a new `terraform` block at the
    end of `versions.tf` (created when missing). From then on `init` refuses
    the releases outside that range; narrow it to what the code needs.
    """
    unit = unit_model(root)
    if unit is not None:
        yield from _unit_version_missing(root, unit, ctx)
        return
    if own_declarations(root) or not root.module.fully_read:  # not read: IACM000 says what went unchecked
        return
    engine = ctx.engine_for(root).engine
    example = '"~> 1.5.0"' if engine == "terraform" else '">= 1.8.0"'
    name = "this root module" if root.directory == "." else f"root module {root.directory}"
    yield Violation(where_missing(root), f"{name} declares no required_version; add one such as "
                    f"required_version = {example} so that every run uses a release Harness supports",
                    fix=_fix(ctx, root, harness_constraint_text(engine)))


def _fix(ctx: Context, root: RootModule, constraint: str) -> Optional[Fix]:
    message = f'Add required_version = "{constraint}"'
    for hcl_file in root.files:
        block = next(hcl_file.top("terraform"), None)
        if block is None or hcl_file.kind != TF or hcl_file.is_override:
            continue
        source = source_of(ctx, hcl_file.path)
        edits = insert_attribute(source, block.attributes, "required_version", f'"{constraint}"', block=block,
                                 first=True) if source is not None else None
        if edits:
            return unsafe(message, *edits)
        break
    source = source_of(ctx, "versions.tf" if root.directory == "." else f"{root.directory}/versions.tf")
    if source is None:
        return None
    return unsafe(message, source.append_lines(["terraform {", f'  required_version = "{constraint}"', "}"]))


def _unit_version_missing(root: RootModule, unit: UnitModel, ctx: Context) -> Iterator[Violation]:
    """Only for a local working module (a remote one may declare it)."""
    if unit.standalone or unit.terraform_version_constraint is not None or unit.source_kind in (REMOTE_SOURCE,
                                                                                                 UNKNOWN_SOURCE):
        return
    if own_declarations(root) or not root.module.declares_anything:
        return
    example = '"~> 1.5.0"' if ctx.engine_for(root).engine == "terraform" else '">= 1.8.0"'
    yield Violation(Span.file_start(unit.path), f'unit "{unit.directory}" declares no terraform_version_constraint and '
                    f"its module no required_version; add terraform_version_constraint = {example} (in root.hcl for "
                    "every unit) so that every run uses a release Harness supports")
