"""IACM306 feature-unavailable."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.knowledge import releases as rel
from iacm_lint.knowledge.engines import Engine
from iacm_lint.model.compat import judged_releases
from iacm_lint.model.features import feature_uses
from iacm_lint.model.syntax import RootModule
from iacm_lint.registry import Context, Violation, rule

from ._versions import span_of_releases, title


@rule("IACM306", "feature-unavailable", level="error", scope="root", checklist="version", tags=("versions", "engine"),
      short="The code uses a language feature the selected engine versions do not have")
def feature_unavailable(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a language feature (from the feature and function tables of
    versions.json) that the supported releases accepting the root lack:
    with Terraform (≤ 1.5.7) e.g. `.tofu` files, `encryption`, `removed`
    blocks, provider-defined functions (`provider::…::…`), `ephemeral`
    resources and variables, s3 `use_lockfile`, provider `for_each`,
    `import` with `for_each`; with OpenTofu, features newer than the
    versions the constraints admit. An error when no such release has the
    feature, a note when only some older ones lack it (raise the lower
    bound). When no supported release accepts the root (IACM301), all
    supported releases are the measure.

    ## Why is this bad?
    `init` or `plan` fails with "Unsupported block type", "Unsupported
    argument" or "Call to unknown function" on those versions.

    ## Example
    ```hcl engine=terraform
    # main.tf
    removed {
      from = aws_instance.legacy
    }
    ```

    ## Use instead
    ```hcl engine=terraform
    # main.tf
    # Terraform 1.5: forget the object with `terraform state rm aws_instance.legacy`
    # before deleting its resource block.
    locals {
      retired = "aws_instance.legacy"
    }
    ```
    """
    engine = ctx.engine_for(root).engine
    judged = judged_releases(root, engine)
    other = Engine(engine).other
    split: dict = {}  # first version -> (lacking, having); many uses share a feature
    for use in feature_uses(root, engine):
        first = use.first(engine)
        if first not in split:
            split[first] = ([r for r in judged if not rel.has(r.parsed, first)],
                            [r for r in judged if rel.has(r.parsed, first)])
        lacking, having = split[first]
        if not lacking:
            continue
        elsewhere = use.first(other)
        if first is None:
            hint = f"; {title(other)} has it from {elsewhere}" if elsewhere else "; remove it"
            yield Violation(use.span, f"this root uses {use.title}, which no {title(engine)} release has{hint}")
        elif having:
            yield Violation(use.span, f"this root uses {use.title}, available from {title(engine)} {first}, "
                            f"but the version constraints also admit {span_of_releases(engine, lacking)}; "
                            f'raise the lower bound to ">= {first}"',
                            level="note")
        elif engine == "terraform":
            hint = f"; OpenTofu has it from {elsewhere}" if elsewhere else ""
            yield Violation(use.span, f"this root uses {use.title}, available from Terraform {first}, but Harness runs "
                            f"Terraform only up to {rel.newest_supported('terraform').version}{hint}")
        else:
            yield Violation(use.span, f"this root uses {use.title}, available from OpenTofu {first}, but the version "
                            f"constraints admit only {span_of_releases(engine, judged)}; "
                            f'raise required_version to ">= {first}"')
