"""IACM112 state-encryption-disabled."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.backends import effective_backends
from ..model.syntax import RootModule, Span
from ..registry import Context, Violation, rule


@rule("IACM112", "state-encryption-disabled", level="warning", scope="root", tags=("state", "security"),
      checklist="state", short="s3 backend stores state unencrypted")
def state_encryption_disabled(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Warns about an s3 backend whose effective configuration sets
    `encrypt = false`, or sets no `encrypt` (the default is false) and no
    `kms_key_id` / `sse_customer_key`. Other backends encrypt at rest on the
    provider's side; an empty partial `backend "s3" {}` is IACM103's.

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
    """
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
                                "the secrets in it are stored unencrypted; set encrypt = true (or kms_key_id)")
        elif encryption.encrypted is False:
            yield Violation(backend.anchor, f"{backend.label} does not encrypt state (encrypt defaults to false); "
                            "set encrypt = true (or kms_key_id)")
