"""IACM111 state-lock-deprecated."""

from __future__ import annotations

from collections.abc import Iterator

from ..fix import unsafe
from ..knowledge.backend_schemas import has_feature
from ..knowledge.engines import Engine
from ..model.backends import effective_backends, judged_versions
from ..model.syntax import RootModule, Span
from ..registry import Context, Violation, rule
from ._backend_fixes import add_value


@rule("IACM111", "state-lock-deprecated", level="note", scope="root", checklist="state", tags=("state",),
      short="s3 backend locks with DynamoDB where S3-native locking is available", fix="unsafe")
def state_lock_deprecated(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Notes an s3 backend that locks with `dynamodb_table` while every release
    of the selected engine that the root admits supports `use_lockfile`
    (OpenTofu ≥ 1.10; Terraform ≥ 1.10 is not a Harness option).

    ## Why is this bad?
    S3-native locking needs no DynamoDB table to create, pay for and grant
    access to; Terraform has deprecated the DynamoDB lock and OpenTofu
    recommends the lock file.

    ## Example
    ```hcl
    # backends.tf
    terraform {
      required_version = ">= 1.10.0"
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "app/terraform.tfstate"
        region         = "us-east-1"
        dynamodb_table = "terraform-locks"
      }
    }
    ```

    ## Use instead
    ```hcl
    # backends.tf
    terraform {
      required_version = ">= 1.10.0"
      backend "s3" {
        bucket       = "acme-tfstate"
        key          = "app/terraform.tfstate"
        region       = "us-east-1"
        use_lockfile = true
      }
    }
    ```
    Both locks may be on together while runs migrate.

    ## Fix
    Unsafe: adds `use_lockfile = true` next to `dynamodb_table`, so that
    both locks are taken during the migration; removing `dynamodb_table`
    (and the table) is the later step, once no run uses an older release.
    A second lock can make a run wait or fail where it did not (a role
    without access to the `.tflock` object).
    """
    engine = ctx.engine_for(root).engine
    seen: set[Span] = set()
    for backend in effective_backends(root):
        table = backend.get("dynamodb_table")
        if backend.type != "s3" or table is None or backend.get("use_lockfile") is not None or table.span in seen:
            continue
        if has_feature("s3", "use_lockfile", engine, judged_versions(root, engine))[1]:
            seen.add(table.span)
            yield Violation(table.span, f"{backend.label_for(table)} locks with dynamodb_table, but "
                            f"{Engine(engine).display_name} ≥ 1.10 "
                            "locks natively in S3; set use_lockfile = true and retire the DynamoDB table",
                            fix=add_value(ctx, backend, "use_lockfile", "true", unsafe,
                                          "Add use_lockfile = true next to dynamodb_table", after=table))
