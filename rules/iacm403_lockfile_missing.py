"""IACM403 lockfile-missing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from iacm_lint.model.hygiene import LOCK_FILE, lock_file_of
from iacm_lint.model.syntax import Block, Module, RootModule, Span
from iacm_lint.model.terragrunt import REMOTE_SOURCE, UNKNOWN_SOURCE, unit_model
from iacm_lint.registry import Context, Violation, rule

from ._hygiene import ON_DISK
from ._versions import where_missing

_PROVIDER_USING_BLOCKS = ("provider", "resource", "data", "ephemeral")


def _declares_providers(module: Module) -> bool:
    for block in module.terraform_blocks():
        if any(rp.attributes or rp.blocks for rp in block.children("required_providers")):
            return True
    return any(next(module.blocks(kind), None) is not None for kind in _PROVIDER_USING_BLOCKS)


def _region(root: RootModule) -> Span:
    """The root's `required_providers` header, else its first `provider`
    block header, else its first `terraform` block header, else line 1 of
    its first module file (which may hold only a licence comment)."""
    for block in root.module.terraform_blocks():
        required: Optional[Block] = next(block.children("required_providers"), None)
        if required is not None:
            return required.header_span
    provider = next(root.module.blocks("provider"), None)
    if provider is not None:
        return provider.header_span
    return where_missing(root)


@rule("IACM403", "lockfile-missing", level="note", scope="root", tags=("hygiene", "versions"),
      short="A root module that uses providers has no committed .terraform.lock.hcl")
def lockfile_missing(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a root module that uses providers (`required_providers`,
    `provider` blocks, resources or data sources in the root or in the local
    modules it calls) when its directory has no committed
    `.terraform.lock.hcl`. In a git repository the lock file must be
    tracked; outside git it must exist on disk.

    ## Why is this bad?
    Without the dependency lock file every `init` picks the newest provider
    release the constraints allow, so the workspace in Harness can plan with
    one provider version and apply with another, or differ from the version
    you tested locally. The lock file also pins the provider checksums.

    ## Example
    ```hcl
    # main.tf
    terraform {
      required_providers {
        aws = {
          source  = "hashicorp/aws"
          version = "~> 5.0"
        }
      }
    }
    ```

    ## Use instead
    ```hcl
    # main.tf
    terraform {
      required_providers {
        aws = {
          source  = "hashicorp/aws"
          version = "~> 5.0"
        }
      }
    }
    ```

    ```hcl
    # .terraform.lock.hcl
    provider "registry.opentofu.org/hashicorp/aws" {
      version     = "5.31.0"
      constraints = "~> 5.0"
    }
    ```
    """
    unit = unit_model(root)
    if unit is not None and (unit.standalone or not unit.copy_lock_file
                             or unit.source_kind in (REMOTE_SOURCE, UNKNOWN_SOURCE)):
        return  # the lock file of a remote module cannot be judged here
    if not any(_declares_providers(m) for m in (root.module, *root.called)):
        return
    repo = ctx.repo
    lock = lock_file_of(root.directory)
    on_disk = lock in repo.on_disk.lock_files
    command = "tofu init" if ctx.engine_for(root).engine == "opentofu" else "terraform init"
    where = f'root module "{root.directory}"' if unit is None else f'unit "{root.directory}"'
    if repo.in_git and repo.tracked is not None:
        if lock in repo.tracked:
            return
        if on_disk and lock in repo.ignored_paths:
            message = (f"{where} has a {LOCK_FILE} that is git-ignored, so provider versions can differ between "
                       f"plan and apply; remove the ignore pattern and commit {lock}")
        elif on_disk:
            message = (f"{where} has a {LOCK_FILE} that is not committed, so provider versions can differ between "
                       f"plan and apply; commit {lock}")
        else:
            message = (f"{where} has no committed {LOCK_FILE}, so provider versions can differ between plan and "
                       f'apply; run "{command}" and commit {lock}')
    else:
        if on_disk:
            return
        message = (f"{where} has no {LOCK_FILE} ({ON_DISK}), so provider versions can differ between plan and "
                   f'apply; run "{command}" and commit {lock}')
    yield Violation(_region(root) if unit is None else Span.file_start(unit.path), message)
