"""Fixes of the backend rules (IACM104, IACM110-IACM112): set, add or
rename an attribute of an effective backend configuration, in the file the
finding points at (the backend block, or the `.tfbackend` file of the
combination). Backends written in JSON (`.tf.json`) get no fix."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional

from ..fix import Fix
from ..model.backends import BackendValue, EffectiveBackend
from ..model.source import Source, source_of
from ..model.syntax import TF, TFBACKEND, Attribute, Block, HclFile, Span
from ..model.terragrunt import written_by_terragrunt
from ..registry import Context
from ._hcl_fixes import delete_block, insert_attribute, rename

Make = Callable[..., Fix]  # fix.safe or fix.unsafe


def set_value(ctx: Context, value: BackendValue, content: str, make: Make, message: str) -> Optional[Fix]:
    """`value`'s expression replaced by `content`."""
    source = _editable(ctx, value.file)
    return make(message, source.replace(value.expr.span, content)) if source is not None else None


def add_value(ctx: Context, backend: EffectiveBackend, name: str, value: str, make: Make, message: str,
              after: Optional[BackendValue] = None) -> Optional[Fix]:
    """`name = value` added next to `after`, else to the combination's
    `.tfbackend` file, else to the backend block. None for a backend that
    Terragrunt configures (remote_state): its settings are not where a
    backend block's are."""
    if backend.terragrunt:
        return None
    if after is not None:
        file, block = after.file, (None if after.from_tfbackend else backend.block)
    elif backend.tfbackend is not None:
        file, block = backend.tfbackend, None
    else:
        file, block = backend.file, backend.block
    source = _editable(ctx, file)
    attributes = block.attributes if block is not None else file.attributes
    edits = insert_attribute(source, attributes, name, value, after=after.attribute if after else None,
                             block=block) if source is not None else None
    return make(message, *edits) if edits else None


def renamer(ctx: Context, backend: EffectiveBackend, value: BackendValue, make: Make,
            key_span: Optional[Span] = None) -> Callable[[str], Optional[Fix]]:
    """`rename(new_name)`: the fix that renames `value` (or the key at
    `key_span` of its object value); None when the new name is taken."""
    body: Sequence[Attribute] = value.file.attributes if value.from_tfbackend else backend.block.attributes
    taken = {key for key, _, _ in value.expr.entries} if key_span is not None else {a.name for a in body}

    def rename_to(new_name: str) -> Optional[Fix]:
        source = _editable(ctx, value.file)
        if source is None or new_name in taken:
            return None
        span = key_span or value.attribute.name_span
        edits = rename(source, span, new_name, () if key_span is not None else body)
        return make(f"Rename {source.at(span)} to {new_name}", *edits) if edits else None

    return rename_to


def delete_local_backend(ctx: Context, file: HclFile, block: Block, make: Make) -> Optional[Fix]:
    """Delete a `backend "local"` block (IACM106, IACM107)."""
    if block.labels[:1] != ("local",):
        return None
    source = _editable(ctx, file)
    edit = delete_block(source, block) if source is not None else None
    return make(f'Delete the backend "local" block from {file.name}', edit) if edit is not None else None


def _editable(ctx: Context, file: HclFile) -> Optional[Source]:
    """The text of a native-syntax file a fix may edit (not one Terragrunt generates)."""
    return source_of(ctx, file.path) if file.kind in (TF, TFBACKEND) and not written_by_terragrunt(file) else None
