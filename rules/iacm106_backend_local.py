"""IACM106 backend-local."""

from __future__ import annotations

from collections.abc import Iterator

from ..fix import unsafe
from ..model.backends import backend_blocks
from ..model.syntax import Module
from ..registry import Context, Violation, rule
from ._backend_fixes import delete_local_backend


@rule("IACM106", "backend-local", level="error", scope="module", checklist="backend", tags=("state", "onboarding"),
      short="A committed local backend overrides the workspace's backend", fix="unsafe")
def backend_local(module: Module, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `backend "local"` block in a module file that is not git-ignored,
    override files (`override.tf`, `*_override.tf`) included.

    ## Why is this bad?
    A local backend is handy while inspecting state on a laptop, but once it
    is committed it overrides the backend the Harness workspace manages during
    remote execution: the pipeline writes state into a throw-away container.

    ## Example
    ```hcl
    # backend.tf
    terraform {
      backend "local" {
        path = "terraform.tfstate"
      }
    }
    ```

    ## Use instead
    ```hcl
    # backend.tf
    terraform {
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "app/terraform.tfstate"
        region         = "us-east-1"
        encrypt        = true
        dynamodb_table = "terraform-locks"
      }
    }
    ```
    Or keep the local backend in a git-ignored file such as `backend_override.tf`.

    ## Fix
    Unsafe: deletes the `backend "local"` block (the enclosing `terraform`
    block and any other settings in it stay). Runs on a laptop then use the
    module's other backend, or Terraform's default local state when it has
    none, and state already written to the local path is not moved.
    """
    ignored: frozenset[str] = getattr(ctx.repo, "ignored_paths", frozenset())
    writers = {id(g.file): g for g in module.generated}
    for hcl_file, _, block in backend_blocks(module, ("backend",)):
        writer = writers.get(id(hcl_file))
        if block.labels[:1] == ("local",) and writer is not None:
            yield Violation(block.header_span,
                            f'{writer.writer} writes backend "local" into {hcl_file.name} '
                            f'of unit "{module.directory}", '
                            "so its state stays on the runner and overrides the workspace's backend; configure a "
                            "remote backend such as s3 instead")
        elif block.labels[:1] == ("local",) and hcl_file.path not in ignored:
            yield Violation(block.header_span,
                            f'backend "local" in {hcl_file.name} is committed and overrides the workspace\'s backend '
                            f"during remote execution; remove it or git-ignore {hcl_file.name}",
                            fix=delete_local_backend(ctx, hcl_file, block, unsafe))
