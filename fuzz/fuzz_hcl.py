"""atheris fuzz target for the HCL, JSON and YAML front ends (not run in CI).

    pip install atheris
    python fuzz/fuzz_hcl.py -max_total_time=600 -rss_limit_mb=2048 fuzz/corpus

Each input is decoded exactly as a scanned file is (textio.decode_source)
and parsed as the kind its first byte selects. Any exception is a bug: the
front ends must turn every input into a model or an IACM000 ParseError.
Seed the corpus with real files, e.g. `cp /path/to/repo/**/*.tf fuzz/corpus/`.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from iacm_lint.engine import parse_source
    from iacm_lint.textio import decode_source

KINDS = (("main.tf", "tf"), ("main.tf.json", "tf.json"), ("terraform.tfvars", "tfvars"),
         (".harness/pipeline.yaml", "yaml"))


def test_one_input(data: bytes) -> None:
    if not data:
        return
    path, kind = KINDS[data[0] % len(KINDS)]
    text, error = decode_source(data[1:], path)
    model = parse_source(text, error, path, kind)
    if model is not None and model.error is not None:
        assert model.error.span.line >= 1 and model.error.span.col >= 1, model.error


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
