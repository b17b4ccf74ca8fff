"""Hand-built findings, rules and results shared by tests/test_report_*.py."""

from __future__ import annotations

from types import SimpleNamespace

from iacm_lint.findings import Finding
from iacm_lint.model.syntax import Span
from iacm_lint.registry import Rule


def _no_violations(subject, ctx):
    return iter(())


def _lock_missing(subject, ctx):
    """
    ## What it does
    Checks that a remote state backend locks its state.

    ## Why is this bad?
    Two runs writing the same state at once corrupt it.

    ## Example
    ```hcl
    # backend.tf
    terraform {
      backend "s3" {}
    }
    ```

    ## Use instead
    ```hcl
    # backend.tf
    terraform {
      backend "s3" { use_lockfile = true }
    }
    ```
    """
    return iter(())


def _secret(subject, ctx):
    """What it does
    Finds credentials written into code.

    Why is this bad?
    Anyone with read access to the repository can use them.
    """
    return iter(())


PARSE_ERROR = Rule("IACM000", "parse-error", "error", "A file cannot be parsed", "repo", _no_violations, ("tool",))
LOCK = Rule("IACM110", "state-lock-missing", "error", "Remote state backend has no state locking configured",
            "root", _lock_missing, ("state", "onboarding"))
SECRET = Rule("IACM201", "hardcoded-secret", "error", "A credential is written into the code", "file", _secret,
              ("secrets",), security_severity="9.1")
NOTE_RULE = Rule("IACM303", "provider-unpinned", "note", "A provider has no version constraint", "module",
                 _no_violations, ("versions",))
RULES = [SECRET, NOTE_RULE, LOCK, PARSE_ERROR]  # unsorted on purpose

LOCK_FINDING = Finding("IACM110", "state-lock-missing", "error",
                       'backend "s3" has no state lock; set use_lockfile = true',
                       Span("envs/dev/backend.tf", 2, 3, 2, 15), fingerprint="1111111111111111:1")
NOTE_FINDING = Finding("IACM303", "provider-unpinned", "note", 'provider "aws" has no version constraint; add one',
                       Span("envs/dev/versions.tf", 4, 5, 6, 6), fingerprint="3333333333333333:1")
WARNING_FINDING = Finding("IACM303", "provider-unpinned", "warning", "50% of providers: pin a, b | c\nnow",
                          Span("modules/net/main.tf", 7, 1, 7, 9),
                          related=((Span("envs/dev/main.tf", 3, 1, 3, 20), "called from here"),),
                          fingerprint="4444444444444444:1")
SUPPRESSED = Finding("IACM201", "hardcoded-secret", "error", "access_key holds a literal AKIA…; use a variable",
                     Span("envs/dev/provider.tf", 3, 3, 3, 30), suppressed="rotated test key",
                     fingerprint="2222222222222222:1")
BASELINED = Finding("IACM110", "state-lock-missing", "error", 'backend "gcs" has no state lock; use a locking backend',
                    Span("legacy/backend.tf", 1, 1, 1, 10), baseline_state="unchanged",
                    fingerprint="5555555555555555:1")
PARSE = Finding("IACM000", "parse-error", "error", "cannot parse broken.tf: unexpected end of file",
                Span("envs/dev/broken.tf", 2, 7, 2, 8), fingerprint="6666666666666666:1")

FINDINGS = [WARNING_FINDING, SUPPRESSED, LOCK_FINDING, BASELINED, NOTE_FINDING, PARSE]  # unsorted on purpose

ENGINES = {"envs/dev": {"engine": "opentofu", "reason": "pipeline .harness/deploy.yaml"}}


def result(findings=None, rules=None, root="/srv/repo", properties=None, files_checked=7, internal_errors=()):
    return SimpleNamespace(
        findings=list(FINDINGS if findings is None else findings),
        rules=list(RULES if rules is None else rules),
        root=root,
        properties={"engines": ENGINES, "state": "existing"} if properties is None else properties,
        files_checked=files_checked,
        internal_errors=list(internal_errors),
    )
