"""IACM701 terragrunt-config-unresolved."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.model.syntax import RootModule
from iacm_lint.model.terragrunt import unit_model
from iacm_lint.registry import Context, Violation, rule


@rule("IACM701", "terragrunt-config-unresolved", level="error", scope="root", checklist="backend",
      tags=("terragrunt", "onboarding"),
      short="A Terragrunt unit cannot be resolved in a fresh clone of the repository")
def terragrunt_config_unresolved(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Resolves every Terragrunt unit the way Terragrunt would in a fresh clone
    of the repository (what Harness checks out) and reports what fails:
    (a) a file Terragrunt must read is not among the committed files: an
    `include` path, `read_terragrunt_config(p)` without a default,
    `find_in_parent_folders(name)` without a fallback when no `name` lies in
    the folders above the unit up to the repository root, `file`,
    `templatefile`, `read_tfvars_file` or `sops_decrypt_file` outside
    `try()`/`can()`; (b) a local `terraform.source` folder that does not
    exist; (c) a `dependency` whose `config_path` is not a unit or stack
    folder, without `mock_outputs` or `skip_outputs = true`; (d) an included
    file with its own `include` (Terragrunt allows one level). A git-ignored
    file counts as missing, and the message says so; so do paths that climb
    above the repository and symbolic links that point outside it. The
    finding points at the call or attribute that fails, once however many
    units reach it.

    Not reported: a fallback or default is given, the call is inside
    `try()`/`can()`, or the path is not known statically (built from
    `get_env`, `run_cmd`, …); configuration that no unit includes.

    ## Why is this bad?
    Terragrunt stops at the first error, before OpenTofu runs: every plan of
    the workspace fails. The typical case is a `config.yaml` or
    `env_vars.yaml` kept out of git and read through `find_in_parent_folders`
    and `file()`: it works on the author's laptop and never in Harness.

    ## Example
    ```hcl
    # app/terragrunt.hcl
    locals {
      config = yamldecode(file(find_in_parent_folders("config.yaml")))
    }
    ```

    ## Use instead
    ```hcl
    # app/terragrunt.hcl
    locals {
      config = yamldecode(file(find_in_parent_folders("config.yaml")))
    }
    ```
    ```yaml
    # config.yaml
    region: us-east-1
    ```
    """
    unit = unit_model(root)
    if unit is None or unit.standalone:
        return
    for problem in unit.problems:
        yield Violation(problem.span, problem.message, fingerprint_key=problem.kind)
