"""IACM102 backend-duplicate."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from ..model.backends import backend_blocks, describe
from ..model.syntax import Module
from ..registry import Context, Violation, rule


@rule("IACM102", "backend-duplicate", level="error", scope="module", checklist="backend", tags=("state",),
      short="Module declares more than one backend or cloud block")
def backend_duplicate(module: Module, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports every `backend` or `cloud` block after the first one of a module,
    across all of its non-override files, and a second one inside a single
    `terraform` block of an override file. Override files replacing the
    backend are IACM107's.

    ## Why is this bad?
    `init` fails with "Duplicate backend configuration": a module may have
    only one backend. Which one the author meant is unclear to reviewers too.

    ## Example
    ```hcl
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "app/terraform.tfstate"
        region = "us-east-1"
      }
      backend "gcs" {
        bucket = "acme-tfstate"
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
    if module.generated:
        yield from _generated_duplicates(module)
        return
    found = backend_blocks(module)
    primary = [item for item in found if not item[0].is_override]
    duplicates = [(primary[0], item) for item in primary[1:]]
    for hcl_file, terraform, block in found:
        if hcl_file.is_override:
            same = [item for item in found if item[1] is terraform]
            if len(same) > 1 and same[0][2] is not block:
                duplicates.append((same[0], (hcl_file, terraform, block)))
    for (first_file, _, first), (_, _, block) in duplicates:
        where = f"{first_file.path}:{first.header_span.line}"
        yield Violation(block.header_span,
                        f"{describe(block)} is a second backend configuration of module \"{module.directory}\" "
                        f"({describe(first)} is at {where}); keep exactly one",
                        related=((first.header_span, f"first backend configuration: {describe(first)}"),))


def _generated_duplicates(module: Module) -> Iterator[Violation]:
    """A unit's working module: backends in different files, at least one generated."""
    writers = {id(g.file): g for g in module.generated}
    written = [id(g.file) for g in module.generated]  # in the order Terragrunt writes them
    found = [item for item in backend_blocks(module) if not item[0].is_override]
    # the module's own files first, then what Terragrunt writes over them
    found.sort(key=lambda item: written.index(id(item[0])) + 1 if id(item[0]) in writers else 0)
    for (first_file, _, first), (hcl_file, _, block) in pairwise(found):
        writer = writers.get(id(hcl_file))
        if writer is None or hcl_file is first_file:
            continue
        other = writers.get(id(first_file))
        earlier = f"{other.writer} writes {describe(first)} into {first_file.name}" if other is not None else \
            f"{first_file.path} declares {describe(first)}"
        yield Violation(writer.writer_span,
                        f"{writer.writer} writes {describe(block)} into {hcl_file.name} "
                        f"of unit \"{module.directory}\", "
                        f"but {earlier}; Terragrunt cannot use both, keep exactly one",
                        related=((other.writer_span if other is not None else first.header_span,
                                  f"first backend configuration: {describe(first)}"),))
