"""IACM604 workspace-version-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.knowledge import releases as rel
from iacm_lint.knowledge.engines import Engine
from iacm_lint.knowledge.versions import ConstraintError, VersionError, parse_constraints, parse_version
from iacm_lint.model.compat import accepting_releases, accepts, rejecting
from iacm_lint.model.harness_config import THIS, Workspace, target, units_run_by, workspaces
from iacm_lint.model.syntax import Repo
from iacm_lint.registry import Context, Violation, rule

from ._versions import title


@rule("IACM604", "workspace-version-mismatch", level="error", scope="repo", tags=("harness", "versions"),
      checklist="version", short="A Harness workspace runs a release that the root's required_version rejects")
def workspace_version_mismatch(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    For every `harness_platform_workspace` whose `repository_path` is a root
    module of the scan (see IACM602 for when a workspace targets the scanned
    repository), asks whether release `provisioner_version` of
    `provisioner_type` accepts that root — the same question IACM301 and
    IACM305 ask, with the same reading of `required_version` per engine and
    release (OpenTofu 1.12+ reads only `.tofu` constraints). Reports the
    version when it does not, naming the constraint and a release that fits.
    Workspaces whose root cannot be resolved, and expressions, are left alone.

    ## Why is this bad?
    `init` in the workspace stops with "Unsupported Terraform Core version"
    before any plan: the workspace and the code it runs disagree.

    ## Example
    ```hcl
    # infra/network/versions.tf
    terraform {
      required_version = "~> 1.5.0"
    }
    ```
    ```hcl
    # harness/workspaces.tf
    resource "harness_platform_workspace" "network" {
      identifier          = "network"
      repository          = "infra-live"
      repository_path     = "infra/network"
      provisioner_type    = "terraform"
      provisioner_version = "1.4.6"
    }
    ```

    ## Use instead
    ```hcl
    # infra/network/versions.tf
    terraform {
      required_version = "~> 1.5.0"
    }
    ```
    ```hcl
    # harness/workspaces.tf
    resource "harness_platform_workspace" "network" {
      identifier          = "network"
      repository          = "infra-live"
      repository_path     = "infra/network"
      provisioner_type    = "terraform"
      provisioner_version = "1.5.7"
    }
    ```
    """
    for workspace in workspaces(repo):
        if workspace.terragrunt:
            yield from _terragrunt_workspace(repo, workspace)
            continue
        engine = Engine.named(workspace.engine)
        version = (workspace.version or "").strip()
        if engine is None or not version:
            continue
        release = rel.find_release(engine, version)
        if release is None or release.version != version:
            continue  # not an exact released version: IACM601's finding
        found = target(repo, workspace)
        if found.status != THIS or found.root is None:
            continue
        root = found.root
        if accepts(root, engine, release):
            continue
        declarations = rejecting(root, engine, release)
        why = f": {declarations[0].label} does not hold for it" if declarations else ""
        fitting = accepting_releases(root, engine)
        if fitting:
            fix = f'set provisioner_version = "{fitting[-1].version}"'
        else:
            fix = f"no {title(engine)} release Harness runs accepts it, so change the root's required_version"
        attribute = workspace.attr("provisioner_version")
        assert attribute is not None  # workspace.version read it
        yield Violation(attribute.span,
                        f'workspace "{workspace.identifier}" runs {title(engine)} {version}, which rejects root '
                        f'{found.in_repository(root.directory)}{why}; {fix}',
                        related=tuple((d.span, d.label) for d in declarations))


def _terragrunt_workspace(repo: Repo, workspace: Workspace) -> Iterator[Violation]:
    """TG-3: the binary's release must accept every unit the workspace runs,
    and `terragrunt_version` must satisfy their terragrunt_version_constraint."""
    found = target(repo, workspace)
    if found.status != THIS or found.directory is None:
        return
    units = units_run_by(repo, workspace, found.directory)
    engine = Engine.named(workspace.engine)
    version = (workspace.version or "").strip()
    release = rel.find_release(engine, version) if engine is not None and version else None
    if engine is not None and release is not None and release.version == version:
        rejected = [u for u in units if not accepts(u, engine, release)]
        if rejected:
            unit = rejected[0]
            declarations = rejecting(unit, engine, release)
            why = f": {declarations[0].label} does not hold for it" if declarations else ""
            fitting = [r for r in accepting_releases(unit, engine) if all(accepts(u, engine, r) for u in units)]
            fix = (f'set provisioner_version = "{fitting[-1].version}"' if fitting
                   else f"no {title(engine)} release Harness runs accepts them all")
            others = len(rejected) - 1
            more = f" (and {others} more unit{'s' if others > 1 else ''})" if others else ""
            attribute = workspace.attr("provisioner_version")
            assert attribute is not None  # the version was read from it
            yield Violation(attribute.span,
                            f'workspace "{workspace.identifier}" runs {title(engine)} {version}, which rejects unit '
                            f"{found.in_repository(unit.directory)}{more}{why}; {fix}",
                            related=tuple((d.span, d.label) for d in declarations))
    terragrunt_version = (workspace.terragrunt_version or "").strip()
    try:
        running = parse_version(terragrunt_version) if terragrunt_version else None
    except VersionError:
        running = None  # IACM601's finding
    if running is None:
        return
    for unit in units:
        setting = unit.terragrunt.terragrunt_version_constraint
        text = setting.value.python() if setting is not None else None
        if not isinstance(text, str):
            continue
        try:
            constraints = parse_constraints(text)
        except ConstraintError:
            continue  # IACM304's finding
        attribute = workspace.attr("terragrunt_version")
        if attribute is not None and not constraints.check(running):
            yield Violation(attribute.span,
                            f'workspace "{workspace.identifier}" runs Terragrunt {terragrunt_version}, but '
                            f'terragrunt_version_constraint "{text}" in {setting.file.path} (unit '
                            f"{found.in_repository(unit.directory)}) rejects it; set a terragrunt_version it accepts",
                            related=((setting.attribute.span, f'terragrunt_version_constraint "{text}"'),))
            return

