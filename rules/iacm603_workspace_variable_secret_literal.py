"""IACM603 workspace-variable-secret-literal."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.findings import Secret
from iacm_lint.model.harness_config import variable_secret, workspaces
from iacm_lint.model.syntax import Repo
from iacm_lint.registry import Context, Violation, rule


@rule("IACM603", "workspace-variable-secret-literal", level="error", scope="repo",
      tags=("harness", "security", "secrets"),
      checklist="credentials", security_severity="8.0",
      short="A Harness workspace variable holds a secret as a plain string")
def workspace_variable_secret_literal(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports an `environment_variable` or `terraform_variable` block of a
    `harness_platform_workspace` with `value_type = "string"` whose `key`
    says it holds a secret (the secret detector's name rules:
    `AWS_SECRET_ACCESS_KEY`, `ARM_CLIENT_SECRET`, `*_TOKEN`, `*PASSWORD*`,
    `api_key`, …) and whose `value` is a literal, or whose literal `value`
    has a known credential format (AWS access key id, GitHub token, PEM
    key, …). The value is never shown. A dictionary word (`password`,
    `secret`) is a weak literal password; only structural placeholders are
    exempt. Under a `*_SECRET`, `*_KEY` or `*_TOKEN` key an all-lowercase
    identifier slug (`org_github_app_pem`) names a secret and is left alone,
    as are variables with `value_type = "secret"`, non-secret keys with
    ordinary values, secret references (`account.x`) and expressions
    (`var.x`).

    ## Why is this bad?
    A `string` variable is stored and shown in clear text in the workspace
    (and in the plan logs), and the literal also sits in the Terraform
    state of the Harness configuration and in git history.

    ## Example
    ```hcl
    # workspaces.tf
    resource "harness_platform_workspace" "network" {
      identifier          = "network"
      repository          = "infra-live"
      repository_path     = "infra/network"
      provisioner_type    = "opentofu"
      provisioner_version = "1.8.8"

      environment_variable {
        key        = "ARM_CLIENT_SECRET"
        value      = "Qh7~vR2pX9.kLm4TzW8yNc3Bf6Gd1Js5"
        value_type = "string"
      }
    }
    ```

    ## Use instead
    ```hcl
    # workspaces.tf
    resource "harness_platform_workspace" "network" {
      identifier          = "network"
      repository          = "infra-live"
      repository_path     = "infra/network"
      provisioner_type    = "opentofu"
      provisioner_version = "1.8.8"

      environment_variable {
        key        = "ARM_CLIENT_SECRET"
        value      = "account.arm_client_secret"
        value_type = "secret"
      }
    }
    ```
    """
    for workspace in workspaces(repo):
        for variable in workspace.variables():
            judgement, value = variable_secret(variable), variable.value
            if judgement is None or value is None:  # a secret is a value's
                continue
            key = variable.key
            named = f'{variable.kind} "{key}"' if key else variable.kind
            yield Violation(value.span, f'{named} of workspace "{workspace.identifier}" holds '
                                        f'{judgement.what} with value_type "string"; store it as a Harness '
                                        f'secret and set value_type = "secret" with the secret\'s reference '
                                        f'as value', secret=Secret(value.expr.span, judgement.kind))
