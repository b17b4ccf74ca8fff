"""IACM101 backend-missing."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.backends import backend_blocks
from ..model.syntax import RootModule, Span
from ..model.terragrunt import REMOTE_SOURCE, UNKNOWN_SOURCE, UnitModel, unit_model
from ..registry import Context, Violation, rule


@rule("IACM101", "backend-missing", level="warning", scope="root", checklist="backend", tags=("state", "onboarding"),
      short="Root module has no backend or cloud block")
def backend_missing(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a root module whose files declare neither a `backend` block nor a
    `cloud` block. It is a warning, an error with `--state existing` (or when
    another root of the scan declares a backend) and off with `--state managed`.

    ## Why is this bad?
    Without a backend, state is written to `terraform.tfstate` inside the
    workspace. When you bring your own remote state to Harness IaCM ("Use
    Existing Remote State"), a root without a backend block starts from empty
    state and plans to create everything again.

    ## Example
    ```hcl
    # versions.tf
    terraform {
      required_version = ">= 1.6.0"
    }
    ```

    ## Use instead
    ```hcl
    # backends.tf
    terraform {
      required_version = ">= 1.6.0"
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "network/terraform.tfstate"
        region         = "us-east-1"
        encrypt        = true
        dynamodb_table = "terraform-locks"
      }
    }
    ```
    The block may live in any file of the root; `backends.tf` is only the convention.
    A root with a file that could not be wholly parsed is not reported: the
    backend may be in the part that could not be read (its IACM000 says so).
    """
    unit = unit_model(root)
    if unit is not None:
        yield from _unit_backend_missing(root, unit, ctx)
        return
    if ctx.state == "managed" or backend_blocks(root) or not root.files:
        return
    if not root.module.fully_read:  # the backend may be in what could not be parsed: IACM000 says so
        return
    terraform = next(root.module.terraform_blocks(), None)
    span = terraform.header_span if terraform is not None else Span.file_start(root.files[0].path)
    level = "error" if ctx.state == "existing" else "warning"
    yield Violation(span, f'root module "{root.directory}" has no backend or cloud block; add a backend block '
                          f'(e.g. backend "s3" in backends.tf) that points at its remote state', level=level)


def _unit_backend_missing(root: RootModule, unit: UnitModel, ctx: Context) -> Iterator[Violation]:
    if ctx.state == "managed" or unit.standalone or unit.has_remote_state or unit.backend_unknown \
            or backend_blocks(root):
        return
    level = "error" if ctx.state == "existing" else "warning"
    message = (f'unit "{unit.directory}" has no backend: no remote_state in its configuration or includes and no '
               "backend block in its working module; add a remote_state block with generate (usually in root.hcl)")
    if unit.source_kind == REMOTE_SOURCE:
        message += f", unless the module at {unit.source_text} declares its own backend"
    elif unit.source_kind == UNKNOWN_SOURCE:
        message += ", unless the module its terraform.source names declares its own backend"
    yield Violation(Span.file_start(unit.path), message, level=level)
