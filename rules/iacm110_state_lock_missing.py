"""IACM110 state-lock-missing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from ..fix import Fix, unsafe
from ..knowledge.backend_schemas import has_feature, lock_hint
from ..model.backends import BackendValue, EffectiveBackend, effective_backends, judged_versions
from ..model.syntax import RootModule
from ..registry import Context, Violation, rule
from ._backend_fixes import add_value, set_value


@rule("IACM110", "state-lock-missing", level="error", scope="root", checklist="state", tags=("state", "onboarding"),
      short="Remote state backend has no state locking configured", fix="unsafe")
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

    ## Fix
    Unsafe: for s3, when every release of the engine that accepts the root
    has S3-native locking (OpenTofu ≥ 1.10), `use_lockfile = true` is added
    (or `use_lockfile = false` becomes `true`); otherwise there is no fix, as
    a DynamoDB table must exist before it can be named. It is a new lock
    mode: every run that writes this state must use a release that honours
    the lock file, and the role needs `s3:PutObject`/`s3:DeleteObject` on
    the `.tflock` object.
    """
    engine = ctx.engine_for(root).engine
    for backend in effective_backends(root):
        lock = backend.state_lock()  # judged once, for the readiness report too (model/backends.py)
        if lock.disabled_by is not None:
            value = lock.disabled_by
            yield Violation(value.span, f"{backend.label_for(value)} disables state locking with {value.name} = "
                            f"{lock.disabled_text}; remove it")
        elif lock.locked is False:
            releases = judged_versions(root, engine)
            hint = lock_hint(backend.type, engine, releases)
            blocking = lock.blocking
            native = has_feature(backend.type, "use_lockfile", engine, releases)[1]
            fix = _lockfile_fix(ctx, backend, blocking) if native else None
            if blocking is not None:
                yield Violation(blocking.span, f"{backend.label_for(blocking)} has no state lock "
                                f"({blocking.name} = {blocking.expr.text}); set {hint}", fix=fix)
            else:
                yield Violation(backend.anchor, f"{backend.label} has no state lock; set {hint}", fix=fix)


def _lockfile_fix(ctx: Context, backend: EffectiveBackend, blocking: Optional[BackendValue]) -> Optional[Fix]:
    if blocking is not None:
        if blocking.name != "use_lockfile":
            return None
        return set_value(ctx, blocking, "true", unsafe, "Set use_lockfile = true")
    return add_value(ctx, backend, "use_lockfile", "true", unsafe, "Add use_lockfile = true (S3-native state locking)")
