"""IACM110 state-lock-missing."""

from __future__ import annotations

from collections.abc import Iterator

from ..knowledge.backend_schemas import lock_hint, lock_info
from ..model.backends import accepting_releases, effective_backends
from ..model.syntax import RootModule
from ..registry import Context, Violation, rule


@rule("IACM110", "state-lock-missing", level="error", scope="root", tags=("state", "onboarding"),
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
        lock = lock_info(backend.type)
        if backend.is_empty_partial:
            continue
        disabled = lock.get("disabled_by")
        if disabled:
            value = backend.get(disabled[0])
            if value is not None and value.is_literal and value.value == disabled[1]:
                yield Violation(value.span, f"{backend.label_for(value)} disables state locking with {value.name} = "
                                f"{str(disabled[1]).lower()}; remove it")
            continue
        if lock.get("mode") != "optional":
            continue
        blocking = None
        for name, wanted in lock["any_of"]:
            value = backend.get(name)
            if value is None:
                continue
            if wanted is None or not value.is_literal or value.value == wanted or value.value == str(wanted).lower():
                break
            blocking = blocking or value
        else:
            hint = lock_hint(backend.type, engine, accepting_releases(root, engine))
            if blocking is not None:
                yield Violation(blocking.span, f"{backend.label_for(blocking)} has no state lock "
                                f"({blocking.name} = {blocking.expr.text}); set {hint}")
            else:
                yield Violation(backend.anchor, f"{backend.label} has no state lock; set {hint}")
