"""IACM207 resource-secret-literal."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.syntax import HclFile
from ..registry import Context, Violation, rule
from ._secret_fixes import move_to_variable
from ._secret_scan import resource_args


@rule("IACM207", "resource-secret-literal", level="error", scope="file", tags=("security", "secrets"),
      checklist="credentials", security_severity="8.0",
      short="A resource argument holds a literal secret", fix="unsafe")
def resource_secret_literal(hcl_file: HclFile, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports an argument of a `resource` or `data` block (nested blocks and
    object entries included) whose name says it holds a secret
    (`password`, `admin_password`, `master_password`, `client_secret`,
    `auth_token`, `api_key`, `private_key`, `sas_token`...) set to a
    non-placeholder string literal, and the value argument of secret-holding
    resources: `aws_secretsmanager_secret_version.secret_string`,
    `aws_ssm_parameter.value` with `type = "SecureString"`,
    `azurerm_key_vault_secret.value`,
    `google_secret_manager_secret_version.secret_data`, `kubernetes_secret`
    `data` values, `vault_generic_secret.data_json`,
    `harness_platform_secret_text.value` with `value_type = "Inline"`.
    Names that configure a secret (`password_length`, `*_ref`,
    `*_secret_name`, `*_wo_version`...) and `module` arguments are not judged.
    The value is deployed, so only structural placeholders (`changeme`,
    `<…>`, `${…}`, `REPLACE_ME`, `example`, `your_…`, `xxxx`, empty) are
    exempt: a dictionary word (`password = "password"`, an inline Harness
    secret `value = "secret"`) is reported as a weak literal password. Under
    a `*_key`, `*_secret` or `*_token` name an all-lowercase identifier slug
    (`KEYVAULT_CLIENT_SECRET = "aadapp-payments-api-level0"`) is a name, not
    a secret, and KMS ciphertext (Cloud Build `secret_env` values, `CiQA…`)
    or a sops `ENC[…]` value is encrypted.

    ## Why is this bad?
    The deployed database, VM or secret store then carries a password that
    anyone with the repository knows, and rotating it means a commit.

    ## Example
    ```hcl
    # main.tf
    resource "aws_db_instance" "main" {
      identifier     = "orders"
      engine         = "postgres"
      instance_class = "db.t3.micro"
      username       = "orders"
      password       = "Orders-2024-pw!"
    }
    ```

    ## Use instead
    ```hcl
    # main.tf
    resource "random_password" "db" {
      length  = 24
      special = true
    }

    resource "aws_db_instance" "main" {
      identifier     = "orders"
      engine         = "postgres"
      instance_class = "db.t3.micro"
      username       = "orders"
      password       = random_password.db.result
    }
    ```

    ## Fix
    Unsafe: replaces the literal with `var.NAME` (block type, name and
    argument: `aws_db_instance_main_password`) and declares
    `variable "NAME"` with `type = string` and `sensitive = true`, never a
    default, at the end of the module's `variables.tf`. Every run must then
    set the variable; generating the value (`random_password`) is the
    better end state and is for the user to choose. The value stays in git
    history: rotate it.
    """
    for block, arg in resource_args(hcl_file):
        kind = "data" if block.type == "data" else "resource"
        yield Violation(arg.span, f'{kind} "{block.labels[0]}" "{".".join(block.labels[1:2])}" sets "{arg.path}" to '
                                  f"{arg.judgement.what} ({arg.judgement.masked}); use random_password or a "
                                  f"variable fed by a Harness secret instead", secret=arg.secret,
                            fix=move_to_variable(ctx, hcl_file, arg, [*(["data"] if kind == "data" else []),
                                                                      *block.labels[:2], arg.path]))
