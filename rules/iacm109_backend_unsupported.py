"""IACM109 backend-unsupported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from ..knowledge.backend_schemas import (
    backend_types,
    closest,
    data,
    in_range,
    range_text,
    removed_error,
    schema,
)
from ..knowledge.engines import Engine
from ..model.backends import backend_blocks, judged_versions
from ..model.syntax import RootModule
from ..registry import Context, Violation, rule


def _problem(backend_type: str, engine: str, releases: list[str]) -> Optional[str]:
    title = Engine(engine).display_name
    removed = removed_error(backend_type, engine)
    if removed is not None:
        fix = 'rename it to backend "azurerm"' if backend_type == "azure" else \
            "migrate the state to a supported backend such as s3, gcs or azurerm"
        return f'backend "{backend_type}" no longer exists (init: {removed.rstrip(".")}); {fix}'
    entry = schema(backend_type)
    if entry is not None and "not_a_backend" in entry:
        return (f'backend "{backend_type}" is not a backend type (init fails with "Unsupported backend type"); '
                "HCP Terraform is configured with a cloud { … } block, which Harness IaCM does not use either, "
                'so declare a direct backend such as backend "s3"')
    if entry is None:
        names = backend_types(engine) + sorted(data()["removed"])
        suggestion = closest(backend_type, names)
        hint = f'did you mean "{suggestion}"?' if suggestion else "use one of " + ", ".join(backend_types(engine))
        return (f'backend "{backend_type}" does not exist in {title}'
                f' (init fails with "Unsupported backend type"); {hint}')
    rng = entry["engines"].get(engine)
    if rng is None:
        other = next(e for e in Engine if e in entry["engines"])
        return (f'backend "{backend_type}" does not exist in {title}'
                f' (only {range_text(entry["engines"][other], other)} '
                f"has it); use a backend both engines support, such as s3, gcs or azurerm")
    if not any(in_range(rng, v) for v in releases):
        return (f'backend "{backend_type}" needs {range_text(rng, engine)}, but no {title} release that Harness runs '
                f"for this root has it; use a backend such as s3, gcs or azurerm")
    return None


@rule("IACM109", "backend-unsupported", level="error", scope="root", checklist="backend", tags=("state", "onboarding"),
      short="Backend type does not exist for the engine or version")
def backend_unsupported(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a backend type that the selected engine does not have: backends
    removed in 1.3 (`artifactory`, `etcd`, `etcdv3`, `manta`, `swift`, and
    `azure`, now `azurerm`), unknown names (with a did-you-mean), `backend
    "cloud"` (a `cloud {}` block is meant), and backends only one engine or
    only newer releases have (`oci` is Terraform ≥ 1.12 only).

    ## Why is this bad?
    `init` fails with "Unsupported backend type"; no plan runs.

    ## Example
    ```hcl
    terraform {
      backend "etcdv3" {
        endpoints = ["etcd-1:2379"]
        prefix    = "terraform-state/"
      }
    }
    ```

    ## Use instead
    ```hcl
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "app/terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```
    """
    engine = ctx.engine_for(root).engine
    releases = judged_versions(root, engine)
    for _, _, block in backend_blocks(root, ("backend",)):
        if block.labels:
            problem = _problem(block.labels[0], engine, releases)
            if problem:
                yield Violation(block.header_span, problem)
