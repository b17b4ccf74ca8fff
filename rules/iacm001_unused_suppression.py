"""IACM001 unused-suppression."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.syntax import Repo
from ..registry import Context, Violation, rule


@rule("IACM001", "unused-suppression", level="warning", scope="repo", tags=("tool", "suppression"),
      short="An iacm-lint suppression comment suppresses nothing or names no valid rule", fix="safe")
def unused_suppression(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports an `iacm-lint: ignore[...]` comment that does not suppress any
    finding of a rule it names, that names a rule ID that does not exist, or
    that names no rule at all (`iacm-lint: ignore` without brackets). A rule
    ID is judged unused only when that rule ran in this scan.

    ## Why is this bad?
    A suppression that outlived its finding hides the next, real finding on
    that line or block without anyone reviewing it. A suppression without a
    rule ID, or with a misspelt one, silences nothing and misleads readers.

    ## Example
    ```hcl
    # main.tf
    terraform {
      # iacm-lint: ignore state lock is provided by the org wrapper
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "app/terraform.tfstate"
        region         = "us-east-1"
        use_lockfile   = true
      }
    }
    ```

    ## Use instead
    ```hcl
    # main.tf
    terraform {
      backend "s3" {
        bucket         = "acme-tfstate"
        key            = "app/terraform.tfstate"
        region         = "us-east-1"
        use_lockfile   = true
      }
    }
    ```
    When a finding must stay, name its rule and say why:
    `# iacm-lint: ignore[IACM110] state lock is provided by the org wrapper`.

    ## Fix
    Safe: (like ruff's RUF100) removes the unused and unknown rule IDs from
    the comment's brackets, or the whole comment (with its line, when it
    stands alone) when none is left. What it removes suppresses nothing;
    the reason text stays while an ID does. A comment that names no rule
    gets no fix: which rule it meant is for the user to say.
    """
    # The findings of this rule come from the filter stage (`filter/suppress.py`),
    # which sees every directive together with the findings of the rules that
    # ran; a model-only view cannot know whether a suppression was used. The
    # function is registered for the rule's metadata and documentation.
    return iter(())
