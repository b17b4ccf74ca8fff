"""IACM112 state-encryption-disabled."""

from __future__ import annotations

from collections.abc import Iterator

from ..fix import safe
from ..model.backends import effective_backends
from ..model.syntax import RootModule, Span
from ..registry import Context, Violation, rule
from ._backend_fixes import add_value, set_value


@rule("IACM112", "state-encryption-disabled", level="warning", scope="root", tags=("state", "security"),
      checklist="state", short="s3 backend stores state unencrypted", fix="safe")
def state_encryption_disabled(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Warns about an s3 backend whose effective configuration sets
    `encrypt = false`, or sets no `encrypt` (the default is false) and no
    `kms_key_id` / `sse_customer_key`. Other backends encrypt at rest on the
    provider's side; an empty partial `backend "s3" {}` is IACM103's. With
    OpenTofu, a root whose `terraform { encryption { state { enforced = true
    } } }` names a method other than `unencrypted` encrypts the state before
    it reaches S3, so it gets no warning.

    ## Why is this bad?
    State holds every secret the configuration touches (database passwords,
    private keys) in plain text.

    ## Example
    ```hcl
    terraform {
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "app/terraform.tfstate"
        region         = "us-east-1"
        dynamodb_table = "terraform-locks"
        encrypt        = false
      }
    }
    ```

    ## Use instead
    ```hcl
    terraform {
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "app/terraform.tfstate"
        region         = "us-east-1"
        dynamodb_table = "terraform-locks"
        encrypt        = true
      }
    }
    ```

    ## Fix
    Safe: `encrypt = false` becomes `encrypt = true`, and a missing
    `encrypt` is added as `encrypt = true` (to the `.tfbackend` file the
    finding names, else to the backend block). S3 server-side encryption is
    transparent to every reader with access to the bucket: state written
    from then on is encrypted, and existing state stays readable.
    """
    if ctx.engine_for(root).engine == "opentofu" and _opentofu_encrypts_state(root):
        return
    seen: set[Span] = set()
    for backend in effective_backends(root):
        if backend.type != "s3":
            continue
        encryption = backend.state_encryption()  # judged once, for the readiness report too (model/backends.py)
        encrypt = encryption.disabled_by
        if encrypt is not None:
            if encrypt.span not in seen:
                seen.add(encrypt.span)
                yield Violation(encrypt.span, f"{backend.label_for(encrypt)} sets encrypt = false, so state and "
                                "the secrets in it are stored unencrypted; set encrypt = true (or kms_key_id)",
                                fix=set_value(ctx, encrypt, "true", safe, "Set encrypt = true"))
        elif encryption.encrypted is False:
            yield Violation(backend.anchor, f"{backend.label} does not encrypt state (encrypt defaults to false); "
                            "set encrypt = true (or kms_key_id)",
                            fix=add_value(ctx, backend, "encrypt", "true", safe, "Add encrypt = true"))



def _opentofu_encrypts_state(root: RootModule) -> bool:
    """Does a `terraform { encryption { state { … } } }` of the root enforce
    a method other than `unencrypted`?"""
    for terraform in root.module.terraform_blocks():
        for encryption in terraform.children("encryption"):
            for state in encryption.children("state"):
                enforced, method = state.attr("enforced"), state.attr("method")
                if enforced is None or enforced.value is not True or method is None:
                    continue
                if method.expr.references and not any(r.startswith("method.unencrypted.")
                                                      for r in method.expr.references):
                    return True
    return False
