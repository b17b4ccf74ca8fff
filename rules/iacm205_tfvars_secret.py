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
    that assigns a literal secret to a secret-named variable (or to a
    variable the module declares `sensitive = true`), or to an entry of such
    a variable's object value. In the object of any other variable only
    password entries (`SMTP_PASSWORD`, `administrator_login_password`) are
    judged: its `*_key`, `*_secret` and `*_token` entries are module inputs,
    often keys into other maps. Tfvars values are deployed, so only
    structural placeholders (`changeme`, `<…>`, `REPLACE_ME`, `xxxx`, empty)
    are exempt and a dictionary word such as `password` is a weak literal
    password; under a `*_key`, `*_secret` or `*_token` name an all-lowercase
    identifier slug (`diaglogs_region1`) names something and is no secret.
    In a git repository, untracked and ignored files are skipped: they are
    not what Harness clones.

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
        variable, _, entry = arg.path.partition(".")
        fix = f"remove it and set {variable} as a secret variable of the Harness workspace" if not entry else (
            f'remove the "{arg.name}" entry and pass its value from a Harness secret (e.g. a separate secret '
            f"variable that the module reads) instead")
        yield Violation(arg.span, f'{hcl_file.name} assigns {arg.judgement.what} to "{arg.path}" '
                                  f"({arg.judgement.masked}); {fix}", secret=arg.secret)
