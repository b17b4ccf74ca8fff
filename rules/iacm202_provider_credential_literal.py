"""IACM202 provider-credential-literal."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.syntax import HclFile
from ..registry import Context, Violation, rule
from ._secret_fixes import move_to_variable
from ._secret_scan import provider_args


@rule("IACM202", "provider-credential-literal", level="error", scope="file", tags=("security", "secrets"),
      checklist="credentials", security_severity="9.0",
      short="A provider credential is written into the code", fix="unsafe")
def provider_credential_literal(hcl_file: HclFile, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `provider` block (nested blocks included) that sets a
    credential argument to a literal: `access_key`, `secret_key`, `token`,
    `password`, `client_secret`, `client_certificate_password`, `api_key`,
    `api_token`, `credentials` holding key material, and the provider
    specific ones (datadog `app_key`, nomad `secret_id`, github
    `app_auth.pem_file`...). Only structural placeholders (`changeme`, `<…>`,
    `REPLACE_ME`, `xxxx`, empty) are exempt: a dictionary word such as
    `password = "password"` is a weak literal password. A `credentials`
    value that is a file path gets a note.

    ## Why is this bad?
    Anyone with read access to the repository gets the credential, and it
    stays in git history after it is removed. Harness runs providers with
    credentials from connectors or workspace environment variables, which
    can be rotated without a commit.

    ## Example
    ```hcl
    # providers.tf
    provider "github" {
      owner = "acme"
      token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
    }
    ```

    ## Use instead
    ```hcl
    # providers.tf
    provider "github" {
      owner = "acme"
    }
    ```
    with `GITHUB_TOKEN` set from a Harness secret in the workspace.

    ## Fix
    Unsafe: replaces the literal with `var.NAME` (the provider, its alias
    and the argument: `github_token`) and declares `variable "NAME"` with
    `type = string` and `sensitive = true`, never a default, at the end of
    the module's `variables.tf`. Every run must then set the variable (a
    secret Terraform variable of the workspace, `TF_VAR_NAME` elsewhere).
    The credential stays in git history: rotate it.
    """
    for block, arg, known in provider_args(hcl_file):
        env = known.get(arg.path)
        fix = f"set {env} in the Harness workspace instead" if env else \
            "pass it from a sensitive variable fed by a Harness secret instead"
        if arg.judgement.verdict == "path":
            yield Violation(arg.span, f'provider "{block.labels[0]}" reads "{arg.path}" from a key file path '
                                      f"({arg.judgement.masked}); make sure the file is not committed, or {fix}",
                            level="note", secret=arg.secret)
        else:
            alias = block.attr("alias")
            parts = [block.labels[0], *([alias.value] if alias is not None and isinstance(alias.value, str) else []),
                     arg.path]
            yield Violation(arg.span, f'provider "{block.labels[0]}" sets "{arg.path}" to {arg.judgement.what} '
                                      f"({arg.judgement.masked}); remove it, rotate it and {fix}", secret=arg.secret,
                            fix=move_to_variable(ctx, hcl_file, arg, parts))
