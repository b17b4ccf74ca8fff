"""IACM110 state-lock-missing."""

from __future__ import annotations

from collections.abc import Iterator

from ..knowledge.backend_schemas import lock_hint
from ..model.backends import effective_backends, judged_versions
from ..model.syntax import RootModule
from ..registry import Context, Violation, rule


@rule("IACM110", "state-lock-missing", level="error", scope="root", checklist="state", tags=("state", "onboarding"),
      short="Remote state backend has no state locking configured")
def state_lock_missing(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a backend that cannot lock the state as configured, judged on the
    effective configuration (`.tfbackend` files count): `s3` without
    `dynamodb_table` and without `use_lockfile = true`, `http` without
    `lock_address`, `oss` without `tablestore_table`, `consul` with
    `lock = false`. gcs, azurerm, pg, kubernetes and cos always lock. An empty
    partial `backend "s3" {}` is IACM103's.

    ## Why is this bad?
    Two runs (a pipeline and a laptop, or two pipelines) can write the same
    state at once and corrupt it. Harness adds no locking layer of its own;
    the seed asks for a lock table.

    ## Example
    ```hcl
    terraform {
      backend "s3" {
        bucket  = "acme-tfstate"
        key     = "app/terraform.tfstate"
        region  = "us-east-1"
        encrypt = true
      }
    }
    ```

    ## Use instead
    ```hcl
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
    With OpenTofu ≥ 1.10, `use_lockfile = true` locks without a DynamoDB table.
    """
    engine = ctx.engine_for(root).engine
    for backend in effective_backends(root):
        lock = backend.state_lock()  # judged once, for the readiness report too (model/backends.py)
        if lock.disabled_by is not None:
            value = lock.disabled_by
            yield Violation(value.span, f"{backend.label_for(value)} disables state locking with {value.name} = "
                            f"{lock.disabled_text}; remove it")
        elif lock.locked is False:
            hint = lock_hint(backend.type, engine, judged_versions(root, engine))
            blocking = lock.blocking
            if blocking is not None:
                yield Violation(blocking.span, f"{backend.label_for(blocking)} has no state lock "
                                f"({blocking.name} = {blocking.expr.text}); set {hint}")
            else:
                yield Violation(backend.anchor, f"{backend.label} has no state lock; set {hint}")
