"""IACM205 tfvars-secret."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.syntax import HclFile
from ..registry import Context, Violation, rule
from ._secret_scan import terragrunt_input_args, tfvars_args


@rule("IACM205", "tfvars-secret", level="error", scope="file", checklist="credentials", tags=("security", "secrets"),
      security_severity="8.0", short="A committed tfvars file assigns a secret")
def tfvars_secret(hcl_file: HclFile, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a committed `*.tfvars`, `*.auto.tfvars` or `*.tfvars.json` file
    that assigns a literal to a secret-named variable (or to a variable the
    module declares `sensitive = true`), including secret-named keys of
    object values. Placeholders and empty strings are exempt. In a git
    repository, untracked and ignored files are skipped: they are not what
    Harness clones.

    ## Why is this bad?
    A tfvars file is data that Terraform loads automatically; committing one
    with passwords or tokens publishes them to everyone who can read the
    repository. Harness workspaces hold secret variables for exactly this.

    ## Example
    ```hcl
    # prod.auto.tfvars
    environment = "prod"
    db_password = "Pr0d-Db-Passw0rd!"
    ```

    ## Use instead
    ```hcl
    # prod.auto.tfvars
    environment = "prod"
    ```
    and set `db_password` as a secret Terraform variable of the Harness workspace.
    """
    for where, arg in terragrunt_input_args(hcl_file, ctx.repo):
        if where == "inputs":
            variable = arg.path.split(".")[0]
            yield Violation(arg.span, f'Terragrunt inputs in {hcl_file.name} set "{arg.path}" to {arg.judgement.what} '
                                      f"({arg.judgement.masked}); Terragrunt passes it as TF_VAR_{variable}, "
                                      "so remove it and set it as a secret variable of the Harness workspace",
                            secret=arg.secret)
        else:
            yield Violation(arg.span, f'extra_arguments env_vars in {hcl_file.name} set "{arg.name}" to '
                                      f"{arg.judgement.what} ({arg.judgement.masked}); set it as a secret environment "
                                      "variable of the Harness workspace instead", secret=arg.secret)
    for arg in tfvars_args(hcl_file, ctx.repo):
        variable = arg.path.split(".", 1)[0]
        yield Violation(arg.span, f'{hcl_file.name} assigns {arg.judgement.what} to "{arg.path}" '
                                  f"({arg.judgement.masked}); remove it and set {variable} as a secret variable of "
                                  f"the Harness workspace", secret=arg.secret)
