"""atheris fuzz target for the HCL, JSON and YAML front ends (not run in CI).

    pip install atheris
    python fuzz/fuzz_hcl.py -max_total_time=600 -timeout=20 -rss_limit_mb=2048 fuzz/corpus

Each input is decoded exactly as a scanned file is (textio.decode_source)
and parsed as the kind its first byte selects; the second byte may blow it
up first, into the shapes that once took minutes or gigabytes or ended the
scan: numbers of thousands of digits or huge exponents, long runs of blank
lines, CRLFs or comments, the whole input repeated. Any exception is a bug:
the front ends must turn every input into a model or an IACM000 ParseError,
and `-timeout`/`-rss_limit_mb` catch what takes too long or too much.
Seed the corpus with real files, e.g. `cp /path/to/repo/**/*.tf fuzz/corpus/`.
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports():
    from iacm_lint.parse.file import parse_source
    from iacm_lint.parse.textio import decode_source

KINDS = (("main.tf", "tf"), ("main.tf.json", "tf.json"), ("terraform.tfvars", "tfvars"),
         (".harness/pipeline.yaml", "yaml"), ("s3.tfbackend", "tfbackend"), ("t.tfvars.json", "tfvars.json"))

_DIGITS = re.compile(rb"\d+")
_LINE_BREAK = re.compile(rb"\n")
_RUNS = (b"\n", b"\r\n", b" \t\n", b"#\n", b"// c\n", b"/*\n*/\n")


def _blown_up(mode: int, data: bytes) -> bytes:
    """Mode 0 leaves the input alone; the others make it hostile."""
    if mode == 1:  # every number thousands of digits long
        return _DIGITS.sub(lambda m: m.group() * (5000 // len(m.group()) + 1), data)
    if mode == 2:  # every exponent huge
        return data.replace(b"e", b"e999999").replace(b"E", b"E-999999")
    if mode == 3:  # every line break a long run of blank lines, CRLFs or comments
        run = _RUNS[len(data) % len(_RUNS)] * 20_000
        return _LINE_BREAK.sub(lambda m: run, data, count=4)
    if mode == 4:  # the whole input many times over (many blocks, attributes, list items)
        return data * (200_000 // max(len(data), 1) + 1)
    return data


def test_one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    path, kind = KINDS[data[0] % len(KINDS)]
    text, error = decode_source(_blown_up(data[1] % 8, data[2:]), path)  # modes 5-7: as is
    model = parse_source(text, error, path, kind)
    if model is not None and model.error is not None:
        assert model.error.span.line >= 1 and model.error.span.col >= 1, model.error


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
