"""IACM703 root-config-named-terragrunt-hcl."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.model.syntax import Repo, Span
from iacm_lint.registry import Context, Violation, rule


@rule("IACM703", "root-config-named-terragrunt-hcl", level="note", scope="repo", tags=("terragrunt",),
      short="A terragrunt.hcl is included as the root configuration (deprecated pattern)")
def root_config_named_terragrunt_hcl(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `terragrunt.hcl` that another configuration of the scan
    includes: the old root pattern (`include { path =
    find_in_parent_folders() }`), which Terragrunt deprecates in favour of a
    root with another name such as `root.hcl`. The finding points at line 1
    of the included file. A `terragrunt.hcl` that nobody includes is a unit
    and is not reported.

    ## Why is this bad?
    Terragrunt's strict mode forbids it, and a "Run all" workspace at that
    folder discovers the root file as a unit of its own (how Harness treats
    that is not verified).

    ## Example
    ```hcl
    # terragrunt.hcl
    remote_state {
      backend = "s3"
      config = {
        bucket       = "acme-tfstate"
        key          = "${path_relative_to_include()}/terraform.tfstate"
        region       = "us-east-1"
        encrypt      = true
        use_lockfile = true
      }
    }
    ```
    ```hcl
    # app/terragrunt.hcl
    include {
      path = find_in_parent_folders()
    }
    ```

    ## Use instead
    ```hcl
    # root.hcl
    remote_state {
      backend = "s3"
      config = {
        bucket       = "acme-tfstate"
        key          = "${path_relative_to_include()}/terraform.tfstate"
        region       = "us-east-1"
        encrypt      = true
        use_lockfile = true
      }
    }
    ```
    ```hcl
    # app/terragrunt.hcl
    include "root" {
      path = find_in_parent_folders("root.hcl")
    }
    ```
    """
    if repo.terragrunt is None:
        return
    for path, units in sorted(repo.terragrunt.parents.items()):
        count = f"{len(units)} unit{'s' if len(units) != 1 else ''}"
        shown = f"{units[0]}{', …' if len(units) > 1 else ''}"
        yield Violation(Span.file_start(path), f"{path} is included by {count} ({shown})"
                        " as the root configuration, a pattern Terragrunt deprecates; rename it to root.hcl and "
                        'include it with find_in_parent_folders("root.hcl")')
