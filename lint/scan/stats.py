"""File accounting for one scan: every file the walk met ends up in exactly
one bucket, so nothing is skipped silently (`--stats`, JSON `stats`, SARIF
run properties).

    discovered == checked + unparsable + unreadable + sum(skipped.values())

- checked: parsed into a model that rules read;
- unparsable: read, but not parsed (syntax, encoding, binary, too large,
  nested too deep) -> an IACM000 finding;
- unreadable: could not be read (permission, FIFO/device, broken link to a
  module file, unlistable directory) -> an IACM000 finding;
- skipped: not read, with the reason (other files, YAML that is not a
  pipeline, git-ignored files, links leaving the scan root, link loops);
- excluded: paths (files or whole directories) the config's `exclude`
  dropped before the walk looked inside them; not part of `discovered`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

OTHER_FILE = "not Terraform, OpenTofu or pipeline source"
NOT_A_PIPELINE = "YAML that is not a Harness pipeline"
GIT_IGNORED = "ignored by git"

_UNREADABLE_PREFIXES = ("cannot read", "not a regular file", "is a directory", "broken symbolic link")


def is_unreadable(message: str) -> bool:
    """Whether an IACM000 reason means the bytes could not be read at all."""
    return message.startswith(_UNREADABLE_PREFIXES)


def file_stats(walked: Any, jobs: Sequence[tuple[str, str, str]], models: Sequence[Any],
               ignored_paths: frozenset[str] = frozenset()) -> dict:
    """Counts for a walk (`discover.Walk`), its parse jobs and their models
    (same order as the jobs; None for YAML that is not a pipeline)."""
    skipped: Counter = Counter()
    checked = unparsable = unreadable = 0
    parsed = set()
    for (_, rel, _), model in zip(jobs, models, strict=True):
        parsed.add(rel)
        if rel in ignored_paths:  # rules (IACM000 too) leave git-ignored files alone
            skipped[GIT_IGNORED] += 1
        elif model is None:
            skipped[NOT_A_PIPELINE] += 1
        elif model.error is not None:
            if is_unreadable(model.error.message):
                unreadable += 1
            else:
                unparsable += 1
        else:
            checked += 1
    for _, rel, _ in walked.files:
        if rel not in parsed:
            skipped[OTHER_FILE] += 1
    unreadable += len(walked.unreadable)
    for _, reason in walked.skipped:
        skipped[reason] += 1
    discovered = len(walked.files) + len(walked.unreadable) + len(walked.skipped)
    return {
        "discovered": discovered,
        "checked": checked,
        "unparsable": unparsable,
        "unreadable": unreadable,
        "skipped": dict(sorted(skipped.items())),
        "excluded": len(walked.excluded),
    }
