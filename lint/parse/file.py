"""One file -> its model: read it, decode it, parse it (HCL native syntax,
tf.json or pipeline YAML) and bound its nesting. Never raises: a file that
cannot be parsed is that file's IACM000 finding, not the end of the scan.
The scan stage calls these for every file (scan/pool.py)."""

from __future__ import annotations

from typing import Optional, Union

from ..model.syntax import YAML, HclFile, ParseError, Span, YamlFile
from ..redact import describe_exception
from .heredoc import with_heredoc_pipelines
from .limits import within_limits  # nesting bound: deeper models would overflow pickling and rules
from .textio import DEFAULT_MAX_BYTES, decode_source, read_source

Model = Optional[Union[HclFile, YamlFile]]  # a file's model; None for YAML that is not a pipeline


def parse_file(abs_path: str, rel_path: str, kind: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Model:
    """Read and parse one file into its model (HclFile or YamlFile, or None
    for YAML that is not a pipeline). Picklable for a process pool."""
    text, error = read_source(abs_path, rel_path, max_bytes)
    return parse_source(text, error, rel_path, kind)


def parse_bytes(data: bytes, rel_path: str, kind: str) -> Model:
    """`parse_file` of bytes already read (the pool and the cache hash them first)."""
    try:
        text, error = decode_source(data, rel_path)
    except Exception as exc:  # noqa: BLE001 - MemoryError: as parse_source
        return not_analysed(rel_path, kind, exc)
    return parse_source(text, error, rel_path, kind)


def parse_source(text: Optional[str], error: Optional[ParseError], rel_path: str, kind: str) -> Model:
    """`parse_file` after reading: `text` decoded, or None with `error`.
    Never raises: whatever goes wrong in a parser (a bug, MemoryError,
    RecursionError) makes that one file an IACM000, not the end of the scan."""
    try:
        return _parse_text(text, error, rel_path, kind)
    except Exception as exc:  # noqa: BLE001 - one file must not end the scan
        return not_analysed(rel_path, kind, exc)


def not_analysed(rel_path: str, kind: str, exc: BaseException) -> Union[HclFile, YamlFile]:
    """The model of a file whose parsing failed with `exc`: an IACM000 that
    names the exception's type and place, never its text (it may quote the file)."""
    error = ParseError(f"internal error ({describe_exception(exc)}), not analysed", Span.file_start(rel_path))
    return YamlFile(rel_path, None, error=error) if kind == YAML else HclFile(rel_path, kind, error=error)


def _parse_text(text: Optional[str], error: Optional[ParseError], rel_path: str, kind: str) -> Model:
    if kind == YAML:
        from .yaml import load_pipeline_file  # PyYAML loads only when a YAML file is parsed

        if text is None:
            return YamlFile(rel_path, None, error=error) if _yaml_error_matters(rel_path) else None
        return within_limits(load_pipeline_file(rel_path, text), text)
    if text is None:
        return HclFile(rel_path, kind, error=error)
    from .hcl import parse_hcl  # lark and its grammar load only when an HCL file is parsed

    return with_heredoc_pipelines(within_limits(parse_hcl(text, rel_path, kind), text))


def _yaml_error_matters(rel_path: str) -> bool:
    return rel_path.startswith(".harness/") or "/.harness/" in rel_path
