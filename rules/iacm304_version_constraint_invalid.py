"""IACM304 version-constraint-invalid."""

from __future__ import annotations

from collections.abc import Iterator

from iacm_lint.model.compat import declaration, module_declarations
from iacm_lint.model.pins import all_pins, resolve
from iacm_lint.model.syntax import Repo, Span
from iacm_lint.model.terragrunt import setting_attribute
from iacm_lint.registry import Context, Violation, rule


@rule("IACM304", "version-constraint-invalid", level="error", scope="repo", checklist="version", tags=("versions",),
      short="A required_version or pin file is not a valid version constraint")
def version_constraint_invalid(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `required_version` (or `compatible_with { opentofu = … }`)
    that Terraform and OpenTofu reject, judged exactly as hashicorp/go-version
    parses it: comma-separated `operator version` pieces with `=`, `!=`, `>`,
    `>=`, `<`, `<=` or `~>`; no `||`, `^`, `*`, `x` or ranges; a literal
    string only; no prerelease (rejected since Terraform 1.2.5 and by every
    OpenTofu). Pin files whose content is no version, tool keyword or
    constraint are reported too.

    ## Why is this bad?
    `init` fails with "Invalid required_version constraint" before anything
    else runs, whatever the engine version.

    ## Example
    ```hcl
    # versions.tf
    terraform {
      required_version = ">= 1.5.x"
    }
    ```

    ## Use instead
    ```hcl
    # versions.tf
    terraform {
      required_version = ">= 1.5.0"
    }
    ```
    """
    for module in repo.modules.values():
        for decl in module_declarations(module):
            if not decl.problem:
                continue
            name = "required_version" if decl.kind == "required_version" else "compatible_with opentofu"
            if decl.constraints is not None and decl.constraints.has_prerelease:
                fix = "remove the prerelease part, since releases are matched by their core version"
            elif not decl.attribute.expr.is_literal:
                fix = "write the constraint as a literal string"
            else:
                fix = 'write comma-separated operator-version pairs such as ">= 1.5.0, < 1.6.0"'
            yield Violation(decl.span, f"{name} {decl.attribute.expr.text} is not a valid version constraint "
                            f"({decl.problem}); {fix}")
    yield from _terragrunt_constraints(repo)
    for pin in all_pins(repo):
        problem = resolve(pin, None).problem
        if problem:
            yield Violation(pin.span, f'{pin.path} pins "{pin.value}", which is not a version, keyword or constraint '
                            f'({problem}); write a release such as "1.5.7"')


def _terragrunt_constraints(repo: Repo) -> Iterator[Violation]:
    """`terraform_version_constraint` and `terragrunt_version_constraint` of
    the Terragrunt configuration, each declaration once."""
    if repo.terragrunt is None:
        return
    seen: set[Span] = set()
    for unit in repo.terragrunt.models():
        for setting in (unit.terraform_version_constraint, unit.terragrunt_version_constraint):
            if setting is None or setting.attribute.span in seen:
                continue
            seen.add(setting.attribute.span)
            decl = declaration(setting.name, setting.file, setting_attribute(setting))
            if not decl.problem:
                continue
            if decl.constraints is not None and decl.constraints.has_prerelease:
                fix = "remove the prerelease part"
            elif not decl.attribute.expr.is_literal:
                fix = "Terragrunt needs a constraint it can read as a literal string"
            else:
                fix = 'write comma-separated operator-version pairs such as ">= 1.6.0"'
            yield Violation(setting.attribute.span, f"{setting.name} {setting.attribute.expr.text} in "
                            f"{setting.file.path} is not a valid version constraint ({decl.problem}); {fix}")

