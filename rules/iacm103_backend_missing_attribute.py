"""IACM103 backend-missing-attribute."""

from __future__ import annotations

from collections.abc import Iterator

from ..knowledge.backend_schemas import (
    attributes,
    encryption_hint,
    encryption_info,
    is_required,
    lock_hint,
    lock_info,
    required_attributes,
    schema,
)
from ..model.backends import EffectiveBackend, effective_backends, judged_versions
from ..model.syntax import RootModule
from ..registry import Context, Violation, rule


def _quoted(names: list[str]) -> str:
    quoted = [f'"{n}"' for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


@rule("IACM103", "backend-missing-attribute", level="error", scope="root", tags=("state", "onboarding"),
      checklist="backend", short="Backend configuration lacks a required attribute")
def backend_missing_attribute(root: RootModule, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports a required attribute of the backend type (s3: `bucket`, `key`;
    gcs: `bucket`; azurerm: `storage_account_name`, `container_name`, `key`;
    others per schema) that is absent from the effective backend configuration:
    the backend block merged with each `*.tfbackend` file of the root (in
    its directory, or in a subdirectory without module files such as
    `envs/prod.tfbackend`). A
    missing s3 `region` is a note, since `AWS_REGION` / `AWS_DEFAULT_REGION`
    may supply it. An empty `backend "s3" {}` with no `.tfbackend` file is
    deliberate partial configuration: one warning names everything the
    workspace must supply.

    ## Why is this bad?
    `init` stops before anything runs, or (for a missing `key`) every root
    writes the same default state object.

    ## Example
    ```hcl
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        region = "us-east-1"
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
    Values may also come from a `.tfbackend` file in the root directory or
    in a subdirectory of it that holds no module files (`envs/prod.tfbackend`).
    """
    engine = ctx.engine_for(root).engine
    for backend in effective_backends(root):
        entry = schema(backend.type)
        if entry is None or "not_a_backend" in entry or engine not in entry["engines"]:
            continue  # IACM109
        required = required_attributes(backend.type, engine)
        if backend.is_empty_partial:
            needs = [name for name, _ in required]
            extra = []
            if lock_info(backend.type).get("mode") == "optional":
                extra.append(f"a state lock ({lock_hint(backend.type, engine, judged_versions(root, engine))})")
            if encryption_info(backend.type).get("default") == "off":
                extra.append(f"encryption ({encryption_hint(backend.type)})")
            if needs or extra:
                parts = ([_quoted(needs)] if needs else []) + extra
                listing = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
                yield Violation(backend.block.header_span,
                                f'{backend.label} is empty (partial configuration); the workspace must supply '
                                f"{listing}", level="warning")
            continue
        values = backend.values
        for name, env in required:
            if name in values:
                continue
            if env:
                yield Violation(backend.anchor, f'{backend.label} has no "{name}"; set it, or set '
                                f'{" or ".join(env)} in the workspace environment', level="note", fingerprint_key=name)
            else:
                yield Violation(backend.anchor, f'{backend.label} is missing "{name}"; set it in '
                                f"{backend.setting_place}", fingerprint_key=name)
        yield from _nested_required(backend, engine)


def _nested_required(backend: EffectiveBackend, engine: str) -> Iterator[Violation]:
    specs = attributes(backend.type)
    present = [(v.name, v.span, {k for k, _, _ in v.expr.entries}) for v in backend.values.values()
               if v.expr.kind == "object"]
    present += [(b.type, b.header_span, {a.name for a in b.attributes}) for b in backend.nested_blocks]
    for name, span, keys in present:
        spec = specs.get(name)
        if spec is None or engine not in spec:
            continue  # IACM104
        for nested, nested_spec in spec.get("attributes", {}).items():
            if nested in keys or engine not in nested_spec or not is_required(nested_spec, engine):
                continue
            env = nested_spec.get("env")
            if env:
                yield Violation(span, f'{name} in {backend.label} has no "{nested}"; set it, or set '
                                f'{" or ".join(env)} in the workspace environment', level="note",
                                fingerprint_key=f"{name}.{nested}")
            else:
                yield Violation(span, f'{name} in {backend.label} is missing "{nested}"; set it',
                                fingerprint_key=f"{name}.{nested}")
