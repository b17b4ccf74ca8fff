"""IACM602 workspace-path-invalid."""

from __future__ import annotations

import re
from collections.abc import Iterator

from iacm_lint.model.harness_config import (
    THIS,
    Target,
    Workspace,
    closest_root,
    normalise_repository_path,
    path_problem,
    target,
    terragrunt_path_problem,
    workspaces,
)
from iacm_lint.model.pipeline import is_expression, text_of
from iacm_lint.model.syntax import Repo
from iacm_lint.registry import Context, Violation, rule


@rule("IACM602", "workspace-path-invalid", level="error", scope="repo", tags=("harness",),
      short="A Harness workspace points at a folder of this repository that is not a root module")
def workspace_path_invalid(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `harness_platform_workspace` whose literal `repository_path`
    does not exist in the scanned repository, holds no Terraform files, or is
    a module that another module calls rather than a root module — but only
    when the workspace targets the scanned repository: its `repository`
    matches a git remote of the scan (https, ssh and `.git` forms alike) or,
    without remotes, the repository's directory name, or another workspace
    with the same `repository` value points at a root of the scan. Workspaces
    of other repositories, and paths written as expressions, are not judged.

    ## Why is this bad?
    The workspace clones the repository and runs `init` in that folder: a
    typo or a renamed folder makes every plan fail with "No configuration
    files", and a child module runs without its backend and provider setup.

    ## Example
    ```hcl
    # infra/network/main.tf
    resource "aws_vpc" "main" {
      cidr_block = "10.0.0.0/16"
    }
    ```
    ```hcl
    # infra/dns/main.tf
    resource "aws_route53_zone" "main" {
      name = "acme.internal"
    }
    ```
    ```hcl
    # harness/workspaces.tf
    resource "harness_platform_workspace" "network" {
      identifier       = "network"
      repository       = "infra-live"
      repository_path  = "infra/network"
      provisioner_type = "opentofu"
      provisioner_version = "1.8.8"
    }

    resource "harness_platform_workspace" "dns" {
      identifier       = "dns"
      repository       = "infra-live"
      repository_path  = "infra/dsn"
      provisioner_type = "opentofu"
      provisioner_version = "1.8.8"
    }
    ```

    ## Use instead
    ```hcl
    # infra/network/main.tf
    resource "aws_vpc" "main" {
      cidr_block = "10.0.0.0/16"
    }
    ```
    ```hcl
    # infra/dns/main.tf
    resource "aws_route53_zone" "main" {
      name = "acme.internal"
    }
    ```
    ```hcl
    # harness/workspaces.tf
    resource "harness_platform_workspace" "network" {
      identifier       = "network"
      repository       = "infra-live"
      repository_path  = "infra/network"
      provisioner_type = "opentofu"
      provisioner_version = "1.8.8"
    }

    resource "harness_platform_workspace" "dns" {
      identifier       = "dns"
      repository       = "infra-live"
      repository_path  = "infra/dns"
      provisioner_type = "opentofu"
      provisioner_version = "1.8.8"
    }
    ```
    """
    for workspace in workspaces(repo):
        found = target(repo, workspace)
        if found.status != THIS or found.directory is None:
            continue
        problem = terragrunt_path_problem(repo, found.directory, workspace)
        if problem is None and not workspace.terragrunt:
            problem = path_problem(repo, found.directory)
        if problem is None:
            continue
        attribute = workspace.attr("repository_path")
        assert attribute is not None  # target() read the path from it
        written = workspace.literal("repository_path")
        subject = f'repository_path "{written}" of workspace "{workspace.identifier}" {problem.what}'
        if problem.hint:
            yield Violation(attribute.span, subject)
            continue
        if problem.root is not None:
            yield Violation(attribute.span, f'{subject}; point the workspace at the root module that calls it, '
                                            f'"{found.in_repository(problem.root)}"')
            continue
        if problem.below is not None:
            yield Violation(attribute.span, f'{subject}; point it at the root module below it, such as '
                                            f'"{found.in_repository(problem.below)}"')
            continue
        closest = closest_root(repo, found.directory)
        fix = (f'did you mean "{found.in_repository(closest)}"?' if closest is not None
               else "point it at the folder of a root module")
        where = " in this repository" if problem.what == "does not exist" else ""
        yield Violation(attribute.span, f"{subject}{where}; {fix}")
    yield from _folder_path_overrides(repo, ctx)


def _folder_path_overrides(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """A Terragrunt step's literal `spec.folderPathOverride`, judged like the
    `repository_path` of the workspace its stage names (TG-3)."""
    by_identifier: dict[str, tuple[Workspace, Target]] = {}
    for workspace in workspaces(repo):
        found = target(repo, workspace)
        if found.status == THIS:
            by_identifier[workspace.identifier] = (workspace, found)
            by_identifier[f"${{{workspace.address}.identifier}}"] = (workspace, found)
    if not by_identifier:
        return
    for pipeline in ctx.pipelines():
        for stage, step in pipeline.steps():
            spec = step.get("spec")
            override = spec.get("folderPathOverride") if spec is not None and spec.kind == "map" else None
            written = text_of(override)
            stage_spec = stage.spec
            name = text_of(stage_spec.get("workspace")) if stage_spec is not None else None
            if override is None or written is None or is_expression(written) or name is None:
                continue
            named = by_identifier.get(re.sub(r"\s+", "", name))
            if named is None:
                continue
            workspace, found = named
            directory = normalise_repository_path(written)
            if found.prefix not in (".", ""):
                directory = directory[len(found.prefix) + 1:] if directory.startswith(found.prefix + "/") else directory
            problem = terragrunt_path_problem(repo, directory, workspace)
            if problem is None and not workspace.terragrunt:
                problem = path_problem(repo, directory)
            if problem is not None:
                yield Violation(override.span, f'folderPathOverride "{written}" of step "{step.label}" (workspace '
                                               f'"{workspace.identifier}") {problem.what}')
