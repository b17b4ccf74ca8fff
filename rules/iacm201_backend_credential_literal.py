"""IACM201 backend-credential-literal."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.syntax import HclFile
from ..registry import Context, Violation, rule
from ._secret_fixes import delete_argument
from ._secret_scan import backend_args, terragrunt_backend_args


@rule("IACM201", "backend-credential-literal", level="error", scope="file", tags=("security", "secrets", "state"),
      checklist="credentials", security_severity="9.0",
      short="A backend credential is written into the code", fix="unsafe")
def backend_credential_literal(hcl_file: HclFile, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a credential attribute of a `backend` block, a `cloud` block or a
    `*.tfbackend` file that holds a literal: s3 `access_key`, `secret_key`,
    `token`; azurerm `access_key`, `sas_token`, `client_secret`; gcs
    `credentials` with key material; http `password`; pg `conn_str` with an
    inline password; consul `access_token`, and the others marked sensitive
    in the backend schemas. Only structural placeholders (`changeme`, `<…>`,
    `REPLACE_ME`, `xxxx`, empty) are exempt: a dictionary word such as
    `password = "secret"` is a weak literal password. A `credentials` value
    that is a file path gets a note instead: the path is not a secret, but
    the key file must not be committed.

    ## Why is this bad?
    Backend configuration is committed with the code and read by everyone who
    clones it. Harness expects backend credentials to come from environment
    variables (or a connector) in the workspace, so a key in `backends.tf`
    is both a leak and a second, unmanaged source of credentials.

    ## Example
    ```hcl
    # backends.tf
    terraform {
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "network/terraform.tfstate"
        region         = "us-east-1"
        dynamodb_table = "terraform-locks"
        encrypt        = true
        access_key     = "AKIAZ3MHKQ7TJ5XW4R2Y"
        secret_key     = "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"
      }
    }
    ```

    ## Use instead
    ```hcl
    # backends.tf
    terraform {
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "network/terraform.tfstate"
        region         = "us-east-1"
        dynamodb_table = "terraform-locks"
        encrypt        = true
      }
    }
    ```
    and set `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` as secret
    environment variables of the Harness workspace (or use an AWS connector).

    ## Fix
    Unsafe: deletes the credential attribute (an attribute of its own line
    in the backend block or `.tfbackend` file). `init` then takes the
    credential from the environment, which the workspace (and every
    machine that runs `init`) must provide. A variable is no option here:
    Terraform and OpenTofu before 1.8 refuse variables in backend blocks
    (IACM105). The credential stays in git history: rotate it.
    """
    terragrunt = [(f'remote_state "{t}"', arg, known) for t, arg, known in terragrunt_backend_args(hcl_file, ctx.repo)]
    for backend_type, arg, known in [*backend_args(hcl_file, ctx.repo), *terragrunt]:
        if backend_type.startswith("remote_state"):
            where = backend_type
        elif not backend_type or hcl_file.kind == "tfbackend":
            where = hcl_file.name
        else:
            where = "cloud block" if backend_type == "cloud" else f'backend "{backend_type}"'
        env = known.get(arg.path)
        fix = f"set {env} in the Harness workspace instead" if env else \
            "supply it from the Harness workspace's environment instead"
        if arg.judgement.verdict == "path":
            yield Violation(arg.span, f'{where} reads "{arg.path}" from a key file path ({arg.judgement.masked}); '
                                      f"make sure the file is not committed, or {fix}", level="note",
                            secret=arg.secret)
        else:
            yield Violation(arg.span, f'{where} sets "{arg.path}" to {arg.judgement.what} ({arg.judgement.masked}); '
                                      f"remove it, rotate it and {fix}", secret=arg.secret,
                            fix=delete_argument(ctx, hcl_file, arg,
                                                f"Delete {arg.path} (supply it from the environment)"))
