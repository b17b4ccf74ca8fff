"""IACM301 version-unsupported."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.knowledge import releases as rel
from iacm_lint.knowledge.engines import Engine
from iacm_lint.model.compat import accepting_releases, most_excluding, rejecting
from iacm_lint.model.syntax import RootModule
from iacm_lint.registry import Context, Violation, rule

from ._versions import supported_ranges, title


@rule("IACM301", "version-unsupported", level="error", scope="root", tags=("versions", "engine", "onboarding"),
      checklist="version", short="No engine release that Harness supports accepts the root's version constraints")
def version_unsupported(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a root module that no release Harness supports for the selected
    engine accepts: Terraform up to 1.5.7 (the last MPL-2.0 release), or any
    OpenTofu release. A release accepts a root when every version constraint
    it reads holds for its own version: Terraform and OpenTofu 1.6–1.11 read
    `required_version` in `.tf` files (OpenTofu from 1.8 also `.tofu` files,
    where `X.tofu` hides `X.tf`); OpenTofu 1.12+ reads only `.tofu` files
    and `language { compatible_with { opentofu = "…" } }`. The finding
    points at the constraint that excludes the most releases and names the
    newest supported release of either engine that accepts the root.

    ## Why is this bad?
    `init` stops with "Unsupported Terraform Core version" (or "Incompatible
    module" in OpenTofu) on every version the workspace can choose, so the
    root cannot be onboarded as it is.

    ## Example
    ```hcl engine=terraform
    # versions.tf
    terraform {
      required_version = ">= 1.6.0"
    }
    ```

    ## Use instead
    ```hcl engine=terraform
    # versions.tf
    terraform {
      required_version = "~> 1.5.0"
    }
    ```
    """
    engine = ctx.engine_for(root).engine
    if accepting_releases(root, engine):
        return
    supported = rel.supported_releases(engine)
    decl = most_excluding(root, engine, supported)
    if decl is None:
        return
    other = accepting_releases(root, Engine(engine).other)
    tail = (f"the newest supported release that accepts this root is {other[-1]}" if other
            else "no supported Terraform or OpenTofu release accepts this root")
    if all(decl in rejecting(root, engine, r) for r in supported):
        message = (f"{decl.label} excludes every {title(engine)} release Harness supports "
                   f"({supported_ranges(engine)}); {tail}")
    else:
        message = (f"no {title(engine)} release Harness supports ({supported_ranges(engine)}) accepts this "
                   f"root, and {decl.label} excludes the most of them; {tail}")
    yield Violation(decl.span, message)
