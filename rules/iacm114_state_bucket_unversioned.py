"""IACM114 state-bucket-unversioned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

from ..model.backends import effective_backends
from ..model.syntax import Block, Repo, Span
from ..model.terragrunt import value_attribute
from ..registry import Context, Violation, rule

# backend type -> (attribute naming the storage, resource type declaring it, its name attribute, kind of storage)
_STORAGE = {
    "s3": ("bucket", "aws_s3_bucket", "bucket", "S3 bucket"),
    "gcs": ("bucket", "google_storage_bucket", "name", "GCS bucket"),
    "azurerm": ("storage_account_name", "azurerm_storage_account", "name", "storage account"),
}


def _literal(block: Block, *path: str) -> tuple[Any, Optional[Span]]:
    """The literal value at `nested_block... attribute`, its span; (None, None) when absent."""
    for name in path[:-1]:
        child = block.child(name)
        if child is None:
            return None, None
        block = child
    attr = block.attr(path[-1])
    if attr is None:
        return None, None
    return (attr.value if attr.expr.is_literal else True), attr.span  # an expression: cannot tell, assume on


def _aws_versioning(resource: Block, resources: list[Block], name: str) -> Optional[tuple[Span, str]]:
    """None when versioning is (or may be) on, else (span, what is wrong)."""
    inline, span = _literal(resource, "versioning", "enabled")
    if inline in (True, "true"):
        return None
    address = f"aws_s3_bucket.{resource.labels[1]}" if len(resource.labels) > 1 else ""
    for versioning in resources:
        if versioning.labels[:1] != ("aws_s3_bucket_versioning",):
            continue
        target = versioning.attr("bucket")
        if target is None or not (target.value == name or any(r.startswith(address + ".") or r == address
                                                               for r in target.expr.references)):
            continue
        status, status_span = _literal(versioning, "versioning_configuration", "status")
        if status is None or status is True or status == "Enabled":
            return None
        assert status_span is not None  # the span of the status just read
        return status_span, f'its aws_s3_bucket_versioning sets status = "{status}"'
    if span is not None:
        return span, "its versioning block sets enabled = false"
    return resource.header_span, 'no aws_s3_bucket_versioning with status = "Enabled" manages it'


def _versioning_problem(kind: str, resource: Block, resources: list[Block], name: str) -> Optional[tuple[Span, str]]:
    if kind == "s3":
        return _aws_versioning(resource, resources, name)
    path = ("versioning", "enabled") if kind == "gcs" else ("blob_properties", "versioning_enabled")
    value, span = _literal(resource, *path)
    if value in (True, "true"):
        return None
    if span is not None:
        return span, f"it sets {path[-1]} = {str(value).lower()}"
    return resource.header_span, f"it has no {path[0]} {{ {path[-1]} = true }}"


@rule("IACM114", "state-bucket-unversioned", level="warning", scope="repo", checklist="state", tags=("state",),
      short="State bucket declared in the scan has no versioning")
def state_bucket_unversioned(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    When the bucket (or storage account) named in a backend is also declared
    in the scanned code — `aws_s3_bucket` with that literal name,
    `google_storage_bucket`, `azurerm_storage_account` — warns if versioning
    is not enabled there (`aws_s3_bucket_versioning` with status `Enabled`,
    `versioning { enabled = true }`, `blob_properties { versioning_enabled = true }`).

    ## Why is this bad?
    Without versioning, a corrupted or truncated state object cannot be
    restored. The seed asks for versioned buckets.

    ## Example
    ```hcl
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "bootstrap/terraform.tfstate"
        region = "us-east-1"
      }
    }

    resource "aws_s3_bucket" "state" {
      bucket = "acme-tfstate"
    }
    ```

    ## Use instead
    ```hcl
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "bootstrap/terraform.tfstate"
        region = "us-east-1"
      }
    }

    resource "aws_s3_bucket" "state" {
      bucket = "acme-tfstate"
    }

    resource "aws_s3_bucket_versioning" "state" {
      bucket = aws_s3_bucket.state.id
      versioning_configuration {
        status = "Enabled"
      }
    }
    ```
    """
    yield from _terragrunt_skip_versioning(repo)
    used: dict[tuple[str, str], list] = {}
    for root in repo.roots:
        for backend in effective_backends(root):
            storage = _STORAGE.get(backend.type)
            name = backend.literal(storage[0]) if storage else None
            if isinstance(name, str) and name:
                used.setdefault((backend.type, name), []).append(backend)
    if not used:
        return
    resources = [block for module in repo.modules.values() for block in module.blocks("resource")]
    for (kind, name), backends in sorted(used.items()):
        _, resource_type, name_attr, what = _STORAGE[kind]
        for resource in resources:
            if resource.labels[:1] != (resource_type,) or (named := resource.attr(name_attr)) is None \
                    or named.value != name:
                continue
            problem = _versioning_problem(kind, resource, resources, name)
            if problem is None:
                continue
            span, why = problem
            related = tuple((b.block.header_span, f"{b.label} of root \"{b.directory}\" keeps its state there")
                            for b in backends[:5])
            yield Violation(span, f'{what} "{name}" holds state of root "{backends[0].directory}" but {why}; '
                            "enable versioning so a damaged state can be restored", related=related)


def _terragrunt_skip_versioning(repo: Repo) -> Iterator[Violation]:
    """s3 `remote_state` with `skip_bucket_versioning = true`: the bucket Terragrunt bootstraps is unversioned."""
    if repo.terragrunt is None:
        return
    seen: set[Span] = set()
    for unit in repo.terragrunt.models():
        remote = unit.remote_state
        if remote is None or remote.backend != "s3" or remote.config.kind != "map":
            continue
        skip = remote.config.get("skip_bucket_versioning")
        if skip is None or skip.python() not in (True, "true"):
            continue
        name_span = remote.config.key_span("skip_bucket_versioning") or skip.span
        attribute = value_attribute("skip_bucket_versioning", name_span, skip)
        if attribute.span in seen:
            continue
        seen.add(attribute.span)
        yield Violation(attribute.span, f"{remote.label} sets skip_bucket_versioning = true, so the state bucket "
                        "Terragrunt bootstraps keeps no earlier versions of the state; remove it and enable "
                        "versioning on the bucket")

