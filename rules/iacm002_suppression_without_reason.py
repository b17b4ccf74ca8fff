"""IACM002 suppression-without-reason."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.syntax import Repo
from ..registry import Context, Violation, rule


@rule("IACM002", "suppression-without-reason", level="warning", scope="repo", tags=("tool", "suppression"),
      short="An iacm-lint suppression comment gives no reason", enabled_by_default=False)
def suppression_without_reason(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports an `iacm-lint: ignore[...]` comment with nothing after the
    brackets. Off by default; `require-reasons: true` in `.iacm-lint.yaml`
    (or `--select IACM002`) turns it on.

    ## Why is this bad?
    A suppression without a reason cannot be reviewed: nobody can tell later
    whether the risk was accepted on purpose, or whether the reason (a
    wrapper that provides locking, a migration in progress) still holds. The
    reason is also what SARIF shows as the suppression's justification.

    ## Example
    ```hcl
    # main.tf
    terraform {
      backend "local" { # iacm-lint: ignore[IACM106]
        path = "terraform.tfstate"
      }
    }
    ```

    ## Use instead
    ```hcl
    # main.tf
    terraform {
      backend "local" { # iacm-lint: ignore[IACM106] sandbox root, never onboarded to Harness
        path = "terraform.tfstate"
      }
    }
    ```
    """
    # The findings of this rule come from the filter stage (`filter/suppress.py`),
    # where the directives are parsed once for suppressing and for IACM001;
    # the function is registered for the rule's metadata and documentation.
    return iter(())
