"""IACM108 cloud-block."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.backends import backend_blocks, describe
from ..model.syntax import Module
from ..registry import Context, Violation, rule


@rule("IACM108", "cloud-block", level="error", scope="module", checklist="backend", tags=("state", "onboarding"),
      short="HCP Terraform cloud block or remote backend")
def cloud_block(module: Module, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `cloud {}` block inside `terraform {}` and a `backend "remote"`
    block: the Terraform Cloud / HCP Terraform / TFE integrations.

    ## Why is this bad?
    Harness IaCM runs plans and applies itself, through direct backends such
    as s3, gcs or azurerm. A leftover `cloud` block sends runs (and state) to
    HCP Terraform instead; the seed's troubleshooting table asks to remove it
    when migrating.

    ## Example
    ```hcl
    terraform {
      cloud {
        organization = "acme"
        workspaces {
          name = "network-prod"
        }
      }
    }
    ```

    ## Use instead
    ```hcl
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "network/prod/terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```
    """
    for _, _, block in backend_blocks(module):
        if block.type == "cloud" or block.labels[:1] == ("remote",):
            yield Violation(block.header_span,
                            f"{describe(block)} ties runs and state to HCP Terraform, which Harness IaCM does not use; "
                            f'replace it with a direct backend such as backend "s3", "gcs" or "azurerm"')
