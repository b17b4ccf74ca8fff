"""Build a benchmark corpus from directories of Terraform already on disk
(fetches nothing): COPIES copies of each source tree, with module files split
at top-level block boundaries until the corpus has about FILES files.

    python benchmarks/make_corpus.py OUT SRC [SRC ...] [--copies 4] [--files 1700]

`make_corpus.py /tmp/corpus1700 ../shared/corpus/terraform-aws-vpc
../shared/corpus/terraform-aws-eks --copies 4 --files 1700` gives ~1,700 files
and ~3.8 MB, the size of the corpus product.md's speed targets name. Splitting
keeps every piece valid HCL (cuts fall between top-level blocks, found with the
linter's own parser), so the corpus parses as cleanly as its sources.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import shutil

from iacm_lint.model.syntax import TF
from iacm_lint.parse.hcl import parse_hcl
from iacm_lint.scan.discover import classify


def _block_starts(text: str, rel: str) -> list[int]:
    """First lines of the top-level blocks, or [] when the file must stay whole."""
    model = parse_hcl(text, rel, TF)
    if model.error is not None or model.attributes or len(model.blocks) < 2:
        return []
    return [b.span.line for b in model.blocks]


def _parts(size: int, starts: list[int], average: float) -> int:
    return max(1, min(len(starts), round(size / average)))


def _pieces(text: str, starts: list[int], parts: int) -> list[str]:
    """Cut `text` into `parts` chunks between top-level blocks."""
    if parts <= 1:
        return [text]
    lines = text.split("\n")
    per = len(starts) / parts
    cuts = sorted({starts[math.floor(i * per)] for i in range(1, parts)})
    bounds = [1] + cuts + [len(lines) + 1]
    chunks = ["\n".join(lines[a - 1:b - 1]) for a, b in itertools.pairwise(bounds)]
    return [c if c.endswith("\n") else c + "\n" for c in chunks if c.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("sources", nargs="+")
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--files", type=int, default=1700, help="target number of .tf files (0: no splitting)")
    args = parser.parse_args()
    if os.path.exists(args.out):
        raise SystemExit(f"{args.out} exists; remove it first")
    tf_files: list[tuple[str, str, str, int, list[int]]] = []  # (source dir name, rel path, text, bytes, block starts)
    others: list[tuple[str, str, str]] = []  # (source dir name, rel path, abs path)
    for source in args.sources:
        name = os.path.basename(os.path.normpath(source))
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames[:] = sorted(d for d in dirnames if d not in (".git", ".terraform"))
            for filename in sorted(filenames):
                abs_path = os.path.join(dirpath, filename)
                rel = os.path.relpath(abs_path, source)
                if classify(filename) == TF and filename.endswith(".tf"):
                    with open(abs_path, encoding="utf-8") as handle:
                        text = handle.read()
                    tf_files.append((name, rel, text, len(text.encode()), _block_starts(text, rel)))
                else:
                    others.append((name, rel, abs_path))
    average = math.inf
    if args.files:  # the average piece size that gives the wanted file count, by bisection
        low, high = 1.0, float(sum(f[3] for f in tf_files))
        for _ in range(60):
            average = (low + high) / 2
            count = args.copies * sum(_parts(f[3], f[4], average) for f in tf_files)
            low, high = (average, high) if count > args.files else (low, average)
    written = size = 0
    for copy in range(1, args.copies + 1):
        for name, rel, text, size_bytes, starts in tf_files:
            pieces = _pieces(text, starts, _parts(size_bytes, starts, average))
            directory, filename = os.path.split(rel)
            for index, piece in enumerate(pieces, 1):
                target = os.path.join(args.out, f"copy{copy}", name, directory,
                                      filename if index == 1 else f"p{index}_{filename}")
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w", encoding="utf-8", newline="") as handle:
                    handle.write(piece)
                written += 1
                size += len(piece.encode())
        for name, rel, abs_path in others:
            target = os.path.join(args.out, f"copy{copy}", name, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(abs_path, target)
    print(f"{args.out}: {written} .tf files, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
