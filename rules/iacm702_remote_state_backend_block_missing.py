"""IACM702 remote-state-backend-block-missing."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.model.syntax import RootModule
from iacm_lint.model.terragrunt import LOCAL_SOURCE, NO_SOURCE, unit_model
from iacm_lint.registry import Context, Violation, rule


@rule("IACM702", "remote-state-backend-block-missing", level="error", scope="root", checklist="backend",
      tags=("terragrunt", "state"),
      short="A remote_state without generate meets a module with no matching backend block")
def remote_state_backend_block_missing(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a Terragrunt unit whose effective `remote_state` has no
    `generate`, whose working module is local, and none of whose module files
    declares `backend "<remote_state.backend>"` (an empty block is enough).
    Without `generate`, Terragrunt passes `config` to `init` as
    `-backend-config` arguments, which need that block. The finding points
    at the `remote_state` header. Not reported for a remote
    `terraform.source` (cannot tell).

    ## Why is this bad?
    Terragrunt stops with "Found remote_state settings … but no backend block
    in the Terraform code", so no plan of the workspace runs. A module that
    declares another backend type is initialised against the wrong backend.

    ## Example
    ```hcl
    # terragrunt.hcl
    remote_state {
      backend = "s3"
      config = {
        bucket       = "acme-tfstate"
        key          = "app/terraform.tfstate"
        region       = "us-east-1"
        encrypt      = true
        use_lockfile = true
      }
    }
    ```
    ```hcl
    # main.tf
    resource "null_resource" "app" {}
    ```

    ## Use instead
    ```hcl
    # terragrunt.hcl
    remote_state {
      backend = "s3"
      config = {
        bucket       = "acme-tfstate"
        key          = "app/terraform.tfstate"
        region       = "us-east-1"
        encrypt      = true
        use_lockfile = true
      }
      generate = {
        path      = "backend.tf"
        if_exists = "overwrite_terragrunt"
      }
    }
    ```
    ```hcl
    # main.tf
    resource "null_resource" "app" {}
    ```
    Or keep the `remote_state` as it is and add `backend "s3" {}` to the module.
    """
    unit = unit_model(root)
    if unit is None or unit.standalone or not unit.complete:
        return
    remote = unit.remote_state
    if remote is None or not remote.is_known or remote.generate is not None:
        return
    local = unit.source_kind == NO_SOURCE or (unit.source_kind == LOCAL_SOURCE and unit.source_dir is not None)
    if not local:
        return
    declared = unit.module_backend_types
    if remote.backend in declared:
        return
    found = f'its module declares backend "{declared[0]}" instead' if declared else "its module declares no backend"
    yield Violation(remote.header_span,
                    f'{remote.label} of unit "{unit.directory}" has no generate and {found}, so Terragrunt stops '
                    f'("Found remote_state settings … but no backend block"); add generate = {{ path = "backend.tf", '
                    f'if_exists = "overwrite_terragrunt" }} or backend "{remote.backend}" {{}} to the module')
