"""IACM107 override-file-backend."""

from __future__ import annotations

from collections.abc import Iterator

from ..fix import unsafe
from ..model.backends import backend_blocks, describe
from ..model.syntax import Module
from ..registry import Context, Violation, rule
from ._backend_fixes import delete_local_backend


@rule("IACM107", "override-file-backend", level="warning", scope="module", checklist="backend", tags=("state",),
      short="An override file replaces the backend", fix="unsafe")
def override_file_backend(module: Module, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `backend` or `cloud` block in an override file (`override.tf`,
    `*_override.tf`, and their `.tofu` / `.tf.json` variants). A Terragrunt
    `generate` block (or `remote_state.generate`) that writes such a file
    with a backend is reported at its `path`.

    ## Why is this bad?
    An override file's backend silently replaces the module's real backend at
    `init`. Reviewers read `backends.tf` and see one thing while the workspace
    runs against another state.

    ## Example
    ```hcl
    # backend_override.tf
    terraform {
      backend "s3" {
        bucket = "acme-tfstate-sandbox"
        key    = "app/terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```

    ## Use instead
    ```hcl
    # backends.tf
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "app/terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```
    Pass per-environment values with `.tfbackend` files instead of override files.

    ## Fix
    Unsafe: deletes a `backend "local"` block (as IACM106's fix does).
    Other backends and `cloud` blocks in override files get no fix: which
    of the two backends is the real one is for the user to say.
    """
    writers = {id(g.file): g for g in module.generated}  # files Terragrunt generates: found at their `path`
    for hcl_file, _, block in backend_blocks(module):
        if not hcl_file.is_override:
            continue
        writer = writers.get(id(hcl_file))
        if writer is None:
            yield Violation(block.header_span,
                            f"override file {hcl_file.name} declares {describe(block)}, which silently replaces the "
                            f"module's backend at init; move the settings to backends.tf or a .tfbackend file",
                            fix=delete_local_backend(ctx, hcl_file, block, unsafe) if block.type == "backend" else None)
        else:
            yield Violation(writer.path_span,
                            f"{writer.writer} writes override file {hcl_file.name} with {describe(block)}, which "
                            f"silently replaces the module's backend at init; write it to backend.tf instead")
