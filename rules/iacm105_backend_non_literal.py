"""IACM105 backend-non-literal."""

from __future__ import annotations

from collections.abc import Iterator

from ..knowledge.backend_schemas import in_range
from ..model.backends import effective_backends, judged_versions
from ..model.syntax import Expr, RootModule, Span
from ..registry import Context, Violation, rule

EARLY_EVALUATION = ">=1.8.0"  # OpenTofu evaluates var./local. in backend blocks from 1.8.0
_STATIC_ROOTS = ("var.", "local.", "path.", "terraform.", "tofu.")


def _what(expr: Expr) -> str:
    if expr.references:
        return expr.references[0]
    if expr.functions:
        return f"{expr.functions[0]}()"
    return expr.text


@rule("IACM105", "backend-non-literal", level="error", scope="root", checklist="backend", tags=("state",),
      short="Backend attribute is not a literal value")
def backend_non_literal(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a backend attribute that references `var.`, `local.`, a resource
    or a data source, or calls a function, when the engine cannot evaluate it
    there: Terraform never can (it reads the backend before anything else),
    OpenTofu from 1.8 evaluates variables and locals early (an error when no
    release the root admits is ≥ 1.8, a note when only some older ones lack
    it). Resources and data sources are never allowed.

    ## Why is this bad?
    `init` fails with "Variables not allowed" before the pipeline can plan.

    ## Example
    ```hcl
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "app/terraform.tfstate"
        region = data.aws_region.current.name
      }
    }
    ```

    ## Use instead
    ```hcl
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "app/terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```
    Per-environment values belong in `.tfbackend` files (`init -backend-config=prod.tfbackend`).
    """
    engine = ctx.engine_for(root).engine
    releases = judged_versions(root, engine)
    early = [v for v in releases if in_range(EARLY_EVALUATION, v)]
    seen: set[Span] = set()
    for backend in effective_backends(root):
        for value in backend.written:
            expr = value.expr
            if value.span in seen or expr.is_literal or not (expr.references or expr.functions):
                continue
            seen.add(value.span)
            where = f'"{value.name}" of {backend.label_for(value)}'
            dynamic = [r for r in expr.references if not r.startswith(_STATIC_ROOTS)]
            if engine == "terraform":
                yield Violation(value.span, f"{where} uses {_what(expr)}, but Terraform reads backend settings before "
                                "evaluating anything; write a literal or pass it in a .tfbackend file")
            elif dynamic:
                yield Violation(value.span, f"{where} uses {dynamic[0]}, which is only known after init; write a "
                                "literal or pass it in a .tfbackend file")
            elif not early:
                yield Violation(value.span, f"{where} uses {_what(expr)}, which OpenTofu evaluates in backend blocks "
                                "only from 1.8.0; raise required_version to >= 1.8.0 or write a literal")
            elif len(early) < len(releases):
                yield Violation(value.span, f"{where} uses {_what(expr)}, which OpenTofu before 1.8.0 cannot evaluate "
                                "in backend blocks; raise the lower bound of required_version to 1.8.0",
                                level="note")
