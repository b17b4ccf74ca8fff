"""IACM204 variable-secret-default."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.syntax import HclFile
from ..registry import Context, Violation, rule
from ._secret_fixes import delete_argument
from ._secret_scan import variable_args


@rule("IACM204", "variable-secret-default", level="error", scope="file", tags=("security", "secrets"),
      checklist="credentials", security_severity="7.0", short="A secret variable has a literal default", fix="unsafe")
def variable_secret_default(hcl_file: HclFile, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `variable` whose name says it holds a secret (`password`,
    `secret`, `token`, `api_key`, `private_key`, `client_secret`...) or that
    is `sensitive = true`, and whose `default` is a non-empty literal that is
    not a placeholder. Secret-named keys of an object default count too.
    In a default, placeholders include dictionary words (`password`,
    `secret`, `test`) and marker words (`pleasesetthisvalue`,
    `requiredbutmissing`). Under a `*_key`, `*_secret` or `*_token` name the
    value must look like key material: an all-lowercase identifier slug of
    words and digits joined by `-`, `_`, `.` or `/`
    (`aadapp-payments-api-level0`, `diaglogs_region1`) names a Key Vault
    secret or a map key and is never reported, at any length, while mixed
    case, letters and digits alternating (`k3v9r2m7…`) and lowercase hex of
    16 or more characters are.

    ## Why is this bad?
    Harness uses the defaults in the code when the workspace sets no value,
    so the secret is both committed and silently used. `sensitive = true`
    only hides the value in plan output; it does not keep it out of git.

    ## Example
    ```hcl
    # variables.tf
    variable "db_password" {
      type      = string
      sensitive = true
      default   = "Pr0d-Db-Passw0rd!"
    }
    ```

    ## Use instead
    ```hcl
    # variables.tf
    variable "db_password" {
      type      = string
      sensitive = true
    }
    ```
    and set the value as a secret Terraform variable of the Harness workspace.

    ## Fix
    Unsafe: deletes the `default` (when the whole default is the secret;
    a secret inside an object default gets no fix). The variable becomes
    required: every run (the workspace, CI, a laptop) must then set it, or
    `plan` stops and asks. The value stays in git history: rotate it.
    """
    for block, arg in variable_args(hcl_file):
        where = "its default" if arg.path == "default" else f'"{arg.path.split(".", 1)[1]}" in its default'
        yield Violation(arg.span, f'variable "{block.labels[0]}" has {arg.judgement.what} as {where} '
                                  f"({arg.judgement.masked}); remove the default and set the value as a secret "
                                  f"variable of the Harness workspace", secret=arg.secret,
                            fix=delete_argument(ctx, hcl_file, arg,
                                                f'Delete the default of variable "{block.labels[0]}"'))
