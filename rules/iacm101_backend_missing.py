"""IACM101 backend-missing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Optional

from ..memo import per_object
from ..model.backends import backend_blocks
from ..model.syntax import Block, Repo, RootModule, Span, normalise_dir
from ..model.terragrunt import REMOTE_SOURCE, UNKNOWN_SOURCE, UnitModel, unit_model
from ..registry import Context, Violation, rule

# The backend that keeps state in the cloud a provider manages.
_BACKEND_OF_PROVIDER = {"aws": "s3", "google": "gcs", "azurerm": "azurerm"}
# A bare directory name or path (`stage`, `modules/vpc`): a local path in Terraform 0.11, a registry
# address or an error since; registry addresses have three parts, hosts and schemes have dots or colons.
_BARE_PATH = re.compile(r"[A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+)?")


@rule("IACM101", "backend-missing", level="warning", scope="root", checklist="backend", tags=("state", "onboarding"),
      short="Root module has no backend or cloud block")
def backend_missing(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a root module whose files declare neither a `backend` block nor a
    `cloud` block. It is a warning, an error with `--state existing` (or when
    another root of the scan declares a backend) and off with `--state managed`.
    The suggested backend follows the providers the root uses (`gcs` for
    google, `azurerm` for azurerm, `s3` otherwise). A directory that only
    looks like a root because another module calls it with a bare source
    (`source = "stage"`, Terraform 0.11 style) gets a note instead, saying
    which module calls it and that the source should be `./stage`.

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
    caller = _bare_source_caller(ctx.repo, root.directory)
    if caller is not None:
        directory, block, source = caller
        yield Violation(span, f'root module "{root.directory}" has no backend or cloud block, but module '
                              f'"{block.labels[0] if block.labels else "?"}" in "{directory}" calls it with '
                              f'source = "{source}", which Terraform 0.12 and later do not read as a local path; write '
                              f'source = "./{source}" and it is a module, not a root', level="note",
                        related=((block.header_span, "the module call"),))
        return
    level = "error" if ctx.state == "existing" else "warning"
    yield Violation(span, f'root module "{root.directory}" has no backend or cloud block; add a backend block '
                          f'(e.g. backend "{_suggested_backend(root)}" in backends.tf) that points at its remote state',
                    level=level)


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


def _suggested_backend(root: RootModule) -> str:
    """The backend of the one cloud whose provider the root uses (its
    provider blocks, required_providers, resource and data types); s3
    when that is not exactly one of aws, google, azurerm."""
    used = {block.labels[0] for block in root.module.blocks("provider") if block.labels}
    for kind in ("resource", "data"):
        used |= {block.labels[0].split("_", 1)[0] for block in root.module.blocks(kind) if block.labels}
    for terraform in root.module.terraform_blocks():
        for required in terraform.children("required_providers"):
            used |= {attribute.name for attribute in required.attributes}
    clouds = {_BACKEND_OF_PROVIDER[name] for name in used if name in _BACKEND_OF_PROVIDER}
    return clouds.pop() if len(clouds) == 1 else "s3"


def _bare_source_caller(repo: Optional[Repo], directory: str) -> Optional[tuple[str, Block, str]]:
    """(caller directory, module block, source) of a module call whose bare
    `source` (`stage`) names `directory` relative to the caller."""
    return per_object(repo, "IACM101 bare source callers", _bare_source_callers).get(directory) \
        if repo is not None else None


def _bare_source_callers(repo: Repo) -> dict[str, tuple[str, Block, str]]:
    """Directory -> its first bare-`source` caller: worked out once per scan, not once per root."""
    callers: dict[str, tuple[str, Block, str]] = {}
    for module in repo.modules.values():
        for block in module.blocks("module"):
            source = block.attr("source")
            text = source.value if source is not None and isinstance(source.value, str) else None
            if text is not None and _BARE_PATH.fullmatch(text):
                callers.setdefault(normalise_dir(module.directory, text), (module.directory, block, text))
    return callers
