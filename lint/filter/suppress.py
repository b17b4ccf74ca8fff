"""The filter stage between the rules and the reporters:
per-file-ignores (config) -> inline suppressions -> baseline.

Inline suppressions are comments in HCL (`#`, `//`, `/* */`) and YAML (`#`):

    # iacm-lint: ignore[IACM110,IACM112] state lock is provided by the org wrapper

A directive covers findings that start on its own line; a directive alone on
its line also covers the next line; and when a covered line is a block header
(HCL `terraform {`, `backend "s3" {`; a YAML key whose value is a mapping or a
list, or a list item) the whole block is covered. Suppressed findings keep
their place in the result with `suppressed` set to the reason ("" when none):
SARIF reports them with a `suppressions` entry, text formats hide them.

The filter also produces the findings of two rules that no scan of the model
can: IACM001 (a directive that suppresses nothing, names an unknown rule or
names no rule) and IACM002 (a directive without a reason, when
`require-reasons: true`).

Baselines record findings by their line-shift-stable fingerprint
(`fingerprint.py`); with a baseline in use every finding gets
`baseline_state` "unchanged" (in the baseline) or "new".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Optional, Union

from ..findings import Finding
from ..fix import Edit, Fix, Position, safe
from ..model.source import Source
from ..model.syntax import Comment, HclFile, Repo, Span, YamlFile, YNode
from ..options import Options
from ..output import write_file
from ..registry import Rule, get_rule
from ..sanitise import shown
from .config import PATH_LIMIT, ConfigError, read_capped_text
from .fingerprint import LinesReader, assign_fingerprints, lines_under

UNUSED_SUPPRESSION = "IACM001"
SUPPRESSION_WITHOUT_REASON = "IACM002"
FILTER_RULES = (UNUSED_SUPPRESSION, SUPPRESSION_WITHOUT_REASON)

BASELINE_VERSION = 1
MAX_BASELINE_BYTES = 64 * 1024 * 1024  # some 200,000 findings; reading a larger file would only eat memory

_DIRECTIVE = re.compile(r"iacm-lint\s*:\s*(?P<verb>[A-Za-z_-]*)(?P<rest>.*)\Z", re.DOTALL)
_BRACKETS = re.compile(r"\s*\[(?P<ids>[^\]]*)\](?P<reason>.*)\Z", re.DOTALL)
# What may separate the brackets from the reason: `ignore[X]: why`, `ignore[X] -- why`.
_REASON_LEAD = " \t:;,-\u2013\u2014"

# Priority of the ways a directive covers a line (lower wins when several do).
SAME_LINE, LINE_ABOVE, BLOCK = 0, 1, 2


@dataclass
class Directive:
    comment: Comment
    rule_ids: tuple[str, ...] = ()
    reason: str = ""
    problem: str = ""  # why it is malformed (IACM001 message); then it suppresses nothing
    covers: list[tuple[int, int, int]] = field(default_factory=list)  # (first line, last line, priority)
    used: set[str] = field(default_factory=set)

    @property
    def span(self) -> Span:
        return self.comment.span


def comment_body(text: str) -> str:
    """A comment's text without its marker (`#`, `//`, `/* ... */`)."""
    if text.startswith("/*"):
        text = text[2:-2] if text.endswith("*/") else text[2:]
    elif text.startswith("//"):
        text = text[2:]
    elif text.startswith("#"):
        text = text[1:]
    return text.strip()


def parse_directive(comment: Comment) -> Optional[Directive]:
    """The directive a comment holds, or None when it holds none. The
    directive must open the comment (`# iacm-lint: ...`), so prose that
    merely mentions the tool is not one."""
    match = _DIRECTIVE.match(comment_body(comment.text))
    if match is None:
        return None
    verb, rest = match.group("verb"), match.group("rest")
    if verb != "ignore":
        return Directive(comment, problem=f"unknown directive 'iacm-lint: {verb}'; "
                                          "write iacm-lint: ignore[IACMnnn] followed by the reason")
    brackets = _BRACKETS.match(rest)
    if brackets is None:
        return Directive(comment, problem="suppression 'iacm-lint: ignore' names no rule; "
                                          "write iacm-lint: ignore[IACMnnn] followed by the reason")
    ids = tuple(part.strip().upper() for part in re.split(r"[,\s]+", brackets.group("ids")) if part.strip())
    reason = " ".join(brackets.group("reason").split()).lstrip(_REASON_LEAD).strip()
    if not ids:
        return Directive(comment, reason=reason,
                         problem="suppression 'iacm-lint: ignore[]' names no rule; put rule IDs in the brackets")
    return Directive(comment, rule_ids=ids, reason=reason)


# ---- where a directive applies -----------------------------------------------------


def _hcl_block_ranges(hcl_file: HclFile) -> dict[int, list[tuple[int, int]]]:
    """header line -> [(first line, last line)] of the blocks starting there."""
    ranges: dict[int, list[tuple[int, int]]] = {}
    for block in hcl_file.walk():
        _add_range(ranges, block.span.line, _last_line(block.span))
    return ranges


def _yaml_block_ranges(yaml_file: YamlFile) -> dict[int, list[tuple[int, int]]]:
    ranges: dict[int, list[tuple[int, int]]] = {}

    def visit(node: YNode) -> None:
        for key, value in node.entries:
            if value.kind in ("map", "seq"):
                _add_range(ranges, key.span.line, _last_line(value.span))
            visit(value)
        for item in node.items:
            if item.kind in ("map", "seq"):
                _add_range(ranges, item.span.line, _last_line(item.span))
            visit(item)

    if yaml_file.root is not None:
        visit(yaml_file.root)
    return ranges


def _add_range(ranges: dict[int, list[tuple[int, int]]], first: int, last: int) -> None:
    ranges.setdefault(first, []).append((first, max(first, last)))


def _last_line(span: Span) -> int:
    # An end at column 1 of a later line does not reach into that line.
    return span.end_line - 1 if span.end_line > span.line and span.end_col <= 1 else span.end_line


def _stands_alone(comment: Comment, lines: Optional[Sequence[str]]) -> bool:
    """True when only whitespace precedes the comment on its line."""
    if not lines or comment.span.line > len(lines):
        return comment.span.col == 1
    return not lines[comment.span.line - 1][: comment.span.col - 1].strip()


def _coverage(directive: Directive, block_ranges: dict[int, list[tuple[int, int]]],
              lines: Optional[Sequence[str]]) -> list[tuple[int, int, int]]:
    span = directive.span
    covered = [(span.line, span.end_line, SAME_LINE)]
    header_lines = list(range(span.line, span.end_line + 1))
    if _stands_alone(directive.comment, lines):
        covered.append((span.end_line + 1, span.end_line + 1, LINE_ABOVE))
        header_lines.append(span.end_line + 1)
    for line in header_lines:
        for first, last in block_ranges.get(line, ()):
            covered.append((first, last, BLOCK))
    return covered


def directives_in(repo: Repo, read_lines: LinesReader) -> dict[str, list[Directive]]:
    """Every directive in the parsed HCL and YAML files, by path, with the
    lines each covers."""
    found: dict[str, list[Directive]] = {}
    parsed_files: list[Union[HclFile, YamlFile]] = [*repo.hcl_files, *repo.yaml_files]
    for parsed in parsed_files:
        path, comments = parsed.path, parsed.comments
        if not comments:
            continue
        directives = [d for d in (parse_directive(c) for c in comments) if d is not None]
        if not directives:
            continue
        lines = read_lines(path)
        ranges = _hcl_block_ranges(parsed) if isinstance(parsed, HclFile) else _yaml_block_ranges(parsed)
        for directive in directives:
            if not directive.problem:
                directive.covers = _coverage(directive, ranges, lines)
        found[path] = directives
    return found


def _suppression_for(finding: Finding, directives: Sequence[Directive]) -> Optional[Directive]:
    """The nearest directive naming the finding's rule and covering its line;
    every covering directive counts as used (none of them is redundant to
    report as unused while another also applies)."""
    best: Optional[tuple[int, int, Directive]] = None
    line = finding.span.line
    for directive in directives:
        if finding.rule_id not in directive.rule_ids:
            continue
        for first, last, priority in directive.covers:
            if first <= line <= last:
                directive.used.add(finding.rule_id)
                rank = (priority, -first)
                if best is None or rank < best[:2]:
                    best = (*rank, directive)
    return best[2] if best else None


# ---- the filter stage ------------------------------------------------------------


def apply_filters(findings: list[Finding], repo: Repo, rules: Sequence[Rule], options: Options) -> list[Finding]:
    """config (per-file-ignores) -> inline suppressions (+ IACM001/IACM002)
    -> baseline. `rules` are the rules that ran; `options` an engine Options."""
    read_lines = lines_under(repo.root, repo.sources)
    ran = {rule.id: rule for rule in rules}
    findings = per_file_ignored(findings, getattr(options, "per_file_ignores", ()))
    by_path = directives_in(repo, read_lines)
    findings = [_suppressed(f, by_path.get(f.span.path, ())) for f in findings]
    meta = list(per_file_ignored(filter_findings(by_path, ran, options.severity, repo.ignored_paths, read_lines),
                                 getattr(options, "per_file_ignores", ())))
    meta = [_suppressed(f, by_path.get(f.span.path, ())) for f in meta]
    findings = assign_fingerprints(findings + meta, read_lines)
    baseline_path = getattr(options, "baseline", None)
    if baseline_path:
        findings = apply_baseline(findings, load_baseline(baseline_path))
    findings.sort(key=lambda f: f.sort_key)
    return findings


def per_file_ignored(findings: Iterable[Finding],
                     per_file_ignores: Iterable[tuple[Callable[[str], bool], tuple[str, ...]]]) -> list[Finding]:
    """Drop findings whose path matches a per-file-ignores glob that names
    their rule (ID or prefix). `per_file_ignores`: ((matcher, ids), ...)."""
    if not per_file_ignores:
        return list(findings)
    kept = []
    for finding in findings:
        if any(finding.rule_id.startswith(ids) and matcher(finding.span.path) for matcher, ids in per_file_ignores):
            continue
        kept.append(finding)
    return kept


def _suppressed(finding: Finding, directives: Sequence[Directive]) -> Finding:
    directive = _suppression_for(finding, directives) if directives else None
    return finding.with_(suppressed=directive.reason) if directive is not None else finding


def filter_findings(by_path: dict[str, list[Directive]], ran: dict[str, Rule], severity: dict[str, str],
                    ignored_paths: frozenset[str] = frozenset(),
                    read_lines: Optional[LinesReader] = None) -> list[Finding]:
    """IACM001 and IACM002 findings for the directives, for those of the two
    rules that ran. A rule ID counts as unused only when that rule ran (with
    `--select IACM1` a suppression of IACM403 cannot be judged). With
    `read_lines`, an IACM001 finding about unused or unknown IDs carries the
    fix that removes all of them from its comment (the whole comment when
    none is left), like ruff's RUF100."""
    out: list[Finding] = []

    def emit(rule_id: str, span: Span, message: str, fix: Optional[Fix] = None) -> None:
        rule = ran[rule_id]
        out.append(Finding(rule.id, rule.name, severity.get(rule.id) or rule.level, message, span, fix=fix))

    for path, directives in by_path.items():
        for directive in directives:
            if UNUSED_SUPPRESSION in ran:
                if directive.problem:
                    emit(UNUSED_SUPPRESSION, directive.span, directive.problem)
                unknown = [i for i in directive.rule_ids if get_rule(i) is None]
                unused = [i for i in directive.rule_ids
                          if i in ran and i not in FILTER_RULES and i not in directive.used
                          and path not in ignored_paths and i not in unknown]
                fix = _removal(directive, unknown + unused, read_lines) if (unknown or unused) and read_lines else None
                for rule_id in directive.rule_ids:
                    if rule_id in unknown:
                        emit(UNUSED_SUPPRESSION, directive.span,
                             f"suppression names {rule_id}, which is not an iacm-lint rule; "
                             "use an ID from `iacm-lint rules`", fix)
                    elif rule_id in unused:
                        emit(UNUSED_SUPPRESSION, directive.span,
                             f"suppression of {rule_id} matches no {rule_id} finding here; "
                             f"remove {rule_id} from this iacm-lint: ignore comment", fix)
            if SUPPRESSION_WITHOUT_REASON in ran and directive.rule_ids and not directive.reason:
                emit(SUPPRESSION_WITHOUT_REASON, directive.span,
                     f"suppression of {','.join(directive.rule_ids)} gives no reason; "
                     "add why after the brackets: iacm-lint: ignore[IACMnnn] <reason>")
    return out


def _removal(directive: Directive, dropped: list[str], read_lines: LinesReader) -> Optional[Fix]:
    """The fix that removes `dropped` from a directive's brackets, or the
    whole comment (with its line when it stands alone) when no ID is left."""
    lines = read_lines(directive.span.path)
    span = directive.span
    if not lines or span.end_line > len(lines):
        return None
    source = Source(span.path, "\n".join(lines))
    kept = [i for i in directive.rule_ids if i not in dropped]
    if not kept:
        if source.only_blank_before(span.line, span.col) and source.only_comment_after(span.end_line, span.end_col):
            return safe("Remove the unused suppression comment", source.delete_lines(span.line, span.end_line))
        before = source.raw(span.line)[:span.col - 1]
        start = len(before.rstrip(" \t")) + 1
        return safe("Remove the unused suppression comment",
                    Edit(span.path, Position(span.line, start), Position(span.end_line, span.end_col), ""))
    brackets = re.search(r"\[([^\]]*)\]", directive.comment.text)
    if brackets is None or span.line != span.end_line:
        return None
    written = brackets.group(1)
    separator = ", " if ", " in written else "," if "," in written else " "
    start = span.col + brackets.start(1)
    return safe(f"Remove {', '.join(dropped)} from the suppression",
                Edit(span.path, Position(span.line, start), Position(span.line, start + len(written)),
                     separator.join(kept)))


# ---- baselines ------------------------------------------------------------------


def baseline_entries(findings: Iterable[Finding]) -> list[dict[str, str]]:
    """The baseline records of the findings that are not suppressed inline."""
    entries = {(f.rule_id, f.fingerprint): {"rule": f.rule_id, "path": f.span.path, "fingerprint": f.fingerprint,
                                            "message": f.message}
               for f in findings if f.suppressed is None}
    return [entries[key] for key in sorted(entries, key=lambda k: (entries[k]["path"], k))]


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    """Write the baseline file (deterministic JSON) through `output.write_file`
    (atomic, never through a link); returns how many findings it records."""
    entries = baseline_entries(findings)
    document = {"tool": "iacm-lint", "version": BASELINE_VERSION, "findings": entries}
    write_file(path, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return len(entries)


def load_baseline(path: str) -> frozenset[tuple[str, str]]:
    """(rule ID, fingerprint) pairs recorded in a baseline file (a regular
    file of at most MAX_BASELINE_BYTES)."""
    shown_path = shown(path, PATH_LIMIT)  # a found config names it: control characters must not reach a terminal
    text = read_capped_text(path, shown_path, "baseline", MAX_BASELINE_BYTES,
                            f"create it with --write-baseline {shown_path}")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"baseline {shown_path}:{exc.lineno}: invalid JSON ({exc.msg}); "
                          "regenerate it with --write-baseline") from None
    except RecursionError:
        raise ConfigError(f"baseline {shown_path} is not an iacm-lint baseline (nested too deep); "
                          "regenerate it with --write-baseline") from None
    entries = document.get("findings") if isinstance(document, dict) else None
    if (not isinstance(entries, list) or document.get("version") != BASELINE_VERSION
            or not all(isinstance(e, dict) and isinstance(e.get("rule"), str) and isinstance(e.get("fingerprint"), str)
                       for e in entries)):
        raise ConfigError(f"baseline {shown_path} is not an iacm-lint baseline (version {BASELINE_VERSION}); "
                          "regenerate it with --write-baseline")
    return frozenset((e["rule"], e["fingerprint"]) for e in entries)


def apply_baseline(findings: Iterable[Finding], recorded: frozenset[tuple[str, str]]) -> list[Finding]:
    return [f.with_(baseline_state="unchanged" if (f.rule_id, f.fingerprint) in recorded else "new")
            for f in findings]
