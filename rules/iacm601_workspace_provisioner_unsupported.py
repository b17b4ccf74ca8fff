"""IACM601 workspace-provisioner-unsupported."""

from __future__ import annotations

import re
from collections.abc import Iterator

from iacm_lint.knowledge import releases as rel
from iacm_lint.knowledge.engines import Engine
from iacm_lint.knowledge.versions import VersionError, parse_version
from iacm_lint.model.harness_config import Workspace, workspaces
from iacm_lint.model.syntax import Repo
from iacm_lint.registry import Context, Violation, rule

from ._versions import supported_ranges, title

_EXACT = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.\-]+)?")


@rule("IACM601", "workspace-provisioner-unsupported", level="error", scope="repo", tags=("harness", "versions"),
      checklist="version", short="A Harness workspace resource names a provisioner version Harness cannot run")
def workspace_provisioner_unsupported(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Checks the literal `provisioner_type` and `provisioner_version` of every
    `harness_platform_workspace` resource and reports a version Harness
    cannot run: Terraform above 1.5.x (the BSL releases), a version that was
    never released for that engine, or a value that is not a version number
    (`~> 1.5`, `1.5`, `latest`). The message names the newest version of
    that engine Harness supports. Expressions and provisioner types other
    than `terraform` and `opentofu` are left alone.

    ## Why is this bad?
    `terraform apply` of the Harness configuration either fails, or creates
    a workspace whose every plan fails: Harness IaCM runs Terraform only up
    to 1.5.7 (the last MPL release) and runs every OpenTofu release.

    ## Example
    ```hcl
    # workspaces.tf
    resource "harness_platform_workspace" "network" {
      identifier           = "network"
      name                 = "network"
      org_id               = "default"
      project_id           = "platform"
      provisioner_type     = "terraform"
      provisioner_version  = "1.6.6"
      provider_connector   = "account.aws_oidc"
      repository           = "infra-live"
      repository_connector = "account.github"
      repository_branch    = "main"
      repository_path      = "infra/network"
      cost_estimation_enabled = true
    }
    ```

    ## Use instead
    ```hcl
    # workspaces.tf
    resource "harness_platform_workspace" "network" {
      identifier           = "network"
      name                 = "network"
      org_id               = "default"
      project_id           = "platform"
      provisioner_type     = "opentofu"
      provisioner_version  = "1.8.8"
      provider_connector   = "account.aws_oidc"
      repository           = "infra-live"
      repository_connector = "account.github"
      repository_branch    = "main"
      repository_path      = "infra/network"
      cost_estimation_enabled = true
    }
    ```
    """
    for workspace in workspaces(repo):
        yield from _terragrunt_version(workspace)
        engine = Engine.named(workspace.engine)
        attribute = workspace.attr("provisioner_version")
        version = workspace.version
        if engine is None or attribute is None or version is None:
            continue
        newest = rel.newest_supported(engine).version
        name = title(engine)
        text = version.strip()
        who = f'workspace "{workspace.identifier}"'
        if not _EXACT.fullmatch(text):
            yield Violation(attribute.span, f'{who} has provisioner_version "{version}", which is not an exact '
                                            f'version; set a released {name} version such as "{newest}"')
            continue
        release = rel.find_release(engine, text)
        if release is None:
            yield Violation(attribute.span, f'{who} uses {name} {text}, which was never released; set '
                                            f'provisioner_version = "{newest}", the newest {name} release Harness '
                                            f'supports')
            continue
        if rel.is_supported(engine, text):
            continue
        kind = "a BSL release" if release.license.upper().startswith(("BSL", "BUSL")) else "a release"
        other = ' or provisioner_type = "opentofu"' if engine == "terraform" else ""
        yield Violation(attribute.span, f"{who} uses {name} {text}, {kind} Harness does not run (it supports "
                                        f'{name} {supported_ranges(engine)}); set provisioner_version = '
                                        f'"{newest}"{other}')


def _terragrunt_version(workspace: Workspace) -> Iterator[Violation]:
    """A malformed `terragrunt_version` (not go-version syntax) of a
    Terragrunt workspace (TG-3); there is no Terragrunt release table, so
    "never released" is not checked."""
    text = workspace.terragrunt_version if workspace.terragrunt else None
    if text is None:
        return
    attribute = workspace.attr("terragrunt_version")
    assert attribute is not None  # the text was read from it
    try:
        parse_version(text.strip())
    except VersionError:
        yield Violation(attribute.span,
                        f'workspace "{workspace.identifier}" has terragrunt_version "{text}", which is not a version; '
                        'set a Terragrunt release such as "0.97.0"')

