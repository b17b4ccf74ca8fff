"""IACM308 opentofu-accepts-by-ignoring."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.knowledge import releases as rel
from iacm_lint.model.compat import TERRAFORM_VERSION_CONSTRAINT, accepting_releases, most_excluding, rejecting
from iacm_lint.model.syntax import RootModule
from iacm_lint.registry import Context, Violation, rule

from ._versions import span_of_releases


@rule("IACM308", "opentofu-accepts-by-ignoring", level="warning", scope="root", tags=("versions", "engine"),
      checklist="version", short="Only OpenTofu 1.12+ runs the root, because it ignores required_version in .tf files")
def opentofu_accepts_by_ignoring(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    With engine opentofu, reports a root that some OpenTofu release accepts
    but none before 1.12.0: typically a Terraform constraint such as
    `~> 1.5.0` in `versions.tf`. OpenTofu 1.6–1.11 check it against their
    own version and refuse; 1.12.0 and later ignore `required_version` in
    `.tf` files and run the code without any version check.

    ## Why is this bad?
    A workspace on OpenTofu 1.6–1.11 fails at `tofu init`, and the root has
    no constraint OpenTofu 1.12+ actually reads, so nothing guards it against
    a future release either.

    ## Example
    ```hcl engine=opentofu
    # versions.tf
    terraform {
      required_version = "~> 1.5.0"
    }
    ```

    ## Use instead
    ```hcl engine=opentofu
    # versions.tf
    terraform {
      required_version = "~> 1.5.0"
    }
    ```
    ```hcl
    # versions.tofu
    terraform {
      required_version = ">= 1.8.0"
    }
    ```
    """
    if ctx.engine_for(root).engine != "opentofu":
        return
    accepted = accepting_releases(root, "opentofu")
    older = [r for r in rel.supported_releases("opentofu") if r.minor < (1, 12)]
    if not accepted or not older or any(r in accepted for r in older):
        return
    if any(d.kind == TERRAFORM_VERSION_CONSTRAINT for r in older for d in rejecting(root, "opentofu", r)):
        return  # a Terragrunt unit's terraform_version_constraint: no release ignores it
    decl = most_excluding(root, "opentofu", older, kinds=(".tf",)) or most_excluding(root, "opentofu", older)
    if decl is None:
        return
    yield Violation(decl.span, f"{decl.label} rejects {span_of_releases('opentofu', older)}, "
                    "so only OpenTofu 1.12.0 and "
                    "later run this root, and only because they ignore required_version in .tf files; choose OpenTofu "
                    '>= 1.12 and state it in a .tofu file (versions.tofu with required_version = ">= 1.12.0")')
