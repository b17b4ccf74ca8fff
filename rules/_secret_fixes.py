"""Fixes of the secret rules: move a literal into a new sensitive variable
(IACM202, IACM207), or delete the argument that holds it (IACM201, IACM204).
No fix holds the secret: the edits replace or delete it, and their content
is a reference or a variable declaration without a default."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from ..fix import Fix, unsafe
from ..model.source import source_of
from ..model.syntax import TF, TFBACKEND, Attribute, HclFile
from ..model.terragrunt import written_by_terragrunt
from ..registry import Context
from ._hcl_fixes import delete_attribute
from ._secret_scan import SecretArg

VARIABLES_FILE = "variables.tf"
_NOT_NAME = re.compile(r"[^a-z0-9_]+")


def move_to_variable(ctx: Context, hcl_file: HclFile, arg: SecretArg, name_parts: Sequence[str]) -> Optional[Fix]:
    """The literal replaced by `var.NAME`, and `variable "NAME"` (string,
    sensitive, no default) appended to the module's variables.tf."""
    module = ctx.repo.modules.get(hcl_file.directory)
    editable = hcl_file.kind == TF and module is not None and not written_by_terragrunt(hcl_file)
    source = source_of(ctx, hcl_file.path) if editable else None
    if source is None or module is None:
        return None
    target = VARIABLES_FILE if hcl_file.directory == "." else f"{hcl_file.directory}/{VARIABLES_FILE}"
    variables = source if target == hcl_file.path else source_of(ctx, target)
    if variables is None:
        return None
    name = _unused_name(variable_name(name_parts), {b.labels[0] for b in module.blocks("variable") if b.labels})
    declaration = variables.append_lines([f'variable "{name}" {{', "  type      = string", "  sensitive = true", "}"])
    return unsafe(f"Replace the literal with var.{name}, a new sensitive variable in {VARIABLES_FILE}",
                  source.replace(arg.value_span, f"var.{name}"), declaration)


def delete_argument(ctx: Context, hcl_file: HclFile, arg: SecretArg, message: str) -> Optional[Fix]:
    """Delete the attribute holding the secret (not an entry of an object value)."""
    editable = hcl_file.kind in (TF, TFBACKEND) and not written_by_terragrunt(hcl_file)
    source = source_of(ctx, hcl_file.path) if editable else None
    for attributes in [hcl_file.attributes, *(block.attributes for block in hcl_file.walk())]:
        attribute = _at(attributes, arg)
        if attribute is not None and source is not None:
            edits = delete_attribute(source, attribute, attributes)
            return unsafe(message, *edits) if edits else None
    return None


def variable_name(parts: Sequence[str]) -> str:
    """An HCL identifier from the parts that place the literal (`github`, `token`)."""
    name = _NOT_NAME.sub("_", "_".join(parts).lower()).strip("_") or "secret"
    return name if name[0].isalpha() else f"v_{name}"


def _unused_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate


def _at(attributes: Sequence[Attribute], arg: SecretArg) -> Optional[Attribute]:
    return next((a for a in attributes if a.span == arg.span and a.name == arg.path), None)
