"""IACM113 state-key-collision."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

from ..knowledge.backend_schemas import identity_info
from ..model.backends import EffectiveBackend, effective_backends
from ..model.syntax import Repo
from ..registry import Context, Violation, rule


def _identity(backend: EffectiveBackend) -> Optional[tuple[str, ...]]:
    """(type, literal values...) naming the state object, or None when unknown."""
    info = identity_info(backend.type)
    if info is None:
        return None
    values = []
    for name in info["attrs"]:
        value = backend.get(name)
        if value is None:
            if name not in info.get("defaults", {}):
                return None
            values.append(info["defaults"][name])
        elif not value.is_literal or not isinstance(value.value, str):
            return None
        else:
            values.append(value.value)
    return (backend.type, *values)


@rule("IACM113", "state-key-collision", level="error", scope="repo", checklist="state", tags=("state",),
      short="Two root modules share one state object")
def state_key_collision(repo: Repo, ctx: Context) -> Iterator[Violation]:
    """
    ## What it does
    Reports two different root modules whose effective backend configurations
    resolve to the same state object: same backend type, bucket (container,
    account) and key (prefix), literal values only. The finding points at the
    root that comes later in path order; the other is a related location.

    ## Why is this bad?
    The second root's first apply sees the first root's resources as its own
    and plans to destroy them, or both fight over one lock.

    ## Example
    ```hcl
    # network/backends.tf
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```
    ```hcl
    # app/backends.tf
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```

    ## Use instead
    ```hcl
    # network/backends.tf
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "network/terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```
    ```hcl
    # app/backends.tf
    terraform {
      backend "s3" {
        bucket = "acme-tfstate"
        key    = "app/terraform.tfstate"
        region = "us-east-1"
      }
    }
    ```
    """
    first_seen: dict[tuple[str, ...], tuple[str, EffectiveBackend]] = {}
    # (the key's declaration, state object) -> the Terragrunt units sharing it
    shared: dict[tuple[Any, ...], list[Any]] = {}
    for root in sorted(repo.roots, key=lambda r: r.directory):
        for backend in effective_backends(root):
            identity = _identity(backend)
            if identity is None:
                continue
            earlier = first_seen.get(identity)
            if earlier is None:
                first_seen[identity] = (root.directory, backend)
                continue
            other_dir, other = earlier
            if other_dir == root.directory:
                continue
            info = identity_info(backend.type)
            assert info is not None  # _identity read it
            names = info["attrs"]
            shown = ", ".join(f'{n} "{v}"' for n, v in zip(names, identity[1:], strict=True))
            if backend.terragrunt:
                key = backend.get(names[-1])
                shared.setdefault((key.span if key is not None else backend.anchor, identity),
                                  [(other_dir, other, shown)]).append((root.directory, backend, shown))
                continue
            yield Violation(backend.anchor,
                            f'{backend.label} uses the same state object as root "{other_dir}" ({shown}); '
                            f'give each root its own "{names[-1]}"',
                            related=((other.anchor, f'{other.label} of root "{other_dir}"'),))
    for (span, _), users in shared.items():
        units = list(dict.fromkeys(directory for directory, _, _ in users))
        backend, shown = users[-1][1], users[-1][2]
        info = identity_info(backend.type)
        assert info is not None  # _identity read it
        name = info["attrs"][-1]
        listed = ", ".join(f'"{d}"' for d in units)
        yield Violation(span, f"{backend.label} gives {len(units)} units the same state object ({shown}): {listed}; "
                        f'build "{name}" from path_relative_to_include() so that each unit has its own',
                        related=tuple((b.anchor, f'{b.label} of unit "{d}"') for d, b, _ in users))
