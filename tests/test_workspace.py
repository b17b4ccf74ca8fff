"""engine/workspace.py, the language server's engine: editor buffers are
parsed and checked in memory (nothing written, nothing read for them), a
buffer that stops parsing keeps its last good model, and only files below
the root by real directories belong to it. And the server's conversions
(server/convert.py): positions in the negotiated encoding, what is shown,
the internal-error diagnostic of a crashing rule."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from iacm_lint.engine import check
from iacm_lint.engine.workspace import Workspace
from iacm_lint.findings import Finding
from iacm_lint.model.syntax import Span
from iacm_lint.options import Options
from iacm_lint.registry import get_rule
from iacm_lint.server import convert
from iacm_lint.server.lsp import Folder, IacmLanguageServer, options_for

ROOT = Path(__file__).resolve().parent.parent
LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'


@pytest.fixture
def repo(tmp_path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(ROOT / "testdata" / "rules" / "IACM106" / "pass", target)
    (target / "expected.txt").unlink()
    return target


def located(workspace: Workspace) -> list[tuple[str, str, int, int]]:
    return [(f.rule_id, f.span.path, f.span.line, f.span.col) for f in workspace.check().findings]


def test_a_buffer_is_checked_in_memory_and_dropped_again(repo):
    before = {path: path.read_bytes() for path in repo.rglob("*")}
    workspace = Workspace(str(repo), Options())
    assert ("IACM106", "main.tf", 16, 3) not in located(workspace)
    text = (repo / "main.tf").read_text(encoding="utf-8") + "\n" + LOCAL_BACKEND
    workspace.set_buffer("main.tf", text)
    assert ("IACM106", "main.tf", 16, 3) in located(workspace)
    assert workspace.text_of("main.tf") == text
    workspace.set_buffer("new.tf", LOCAL_BACKEND)  # a file that is not on disk at all
    assert ("IACM106", "new.tf", 2, 3) in located(workspace)
    workspace.drop_buffer("main.tf")
    workspace.drop_buffer("new.tf")
    assert [f for f in located(workspace) if f[0] == "IACM106"] == []
    assert {path: path.read_bytes() for path in repo.rglob("*")} == before  # nothing written


def test_a_buffer_that_stops_parsing_keeps_its_last_good_model(repo):
    workspace = Workspace(str(repo), Options())
    good = (repo / "versions.tf").read_text(encoding="utf-8")
    workspace.set_buffer("versions.tf", good + "\nterraform {\n")
    found = located(workspace)
    assert [f for f in found if f[0] == "IACM000"] == [("IACM000", "versions.tf", 12, 11)]  # the unclosed brace
    assert ("IACM403", "versions.tf", 4, 3) in found  # required_providers still seen


def test_refresh_reads_a_saved_file(repo):
    workspace = Workspace(str(repo), Options())
    (repo / "main.tf").write_text(LOCAL_BACKEND, encoding="utf-8")
    assert ("IACM106", "main.tf", 2, 3) not in located(workspace)
    workspace.refresh("main.tf")
    assert ("IACM106", "main.tf", 2, 3) in located(workspace)


def test_only_files_of_the_scan_belong_to_it(repo, tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.tf").write_text(LOCAL_BACKEND, encoding="utf-8")
    (repo / "linked.tf").symlink_to(tmp_path / "outside" / "x.tf")
    (repo / "away").symlink_to(tmp_path / "outside")
    (repo / "vendor").mkdir()
    (repo / ".iacm-lint.yaml").write_text("exclude: [vendor/]\n", encoding="utf-8")
    workspace = Workspace(str(repo), options_for(str(repo), {}))
    assert workspace.relative(str(repo / "main.tf")) == "main.tf"
    assert workspace.relative(str(repo / "envs" / "dev" / "new.tf")) == "envs/dev/new.tf"
    assert workspace.relative(str(repo / ".harness" / "p.yaml")) == ".harness/p.yaml"
    for refused in (tmp_path / "outside" / "x.tf", repo / "linked.tf", repo / "away" / "x.tf",
                    repo / ".terraform" / "modules" / "m.tf", repo / "vendor" / "v.tf", repo / "README.md",
                    repo / ".." / "outside" / "x.tf"):
        assert workspace.relative(str(refused)) is None, refused


# ---- server/convert.py ---------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "expected"), [(lsp.PositionEncodingKind.Utf16, 11),
                                                    (lsp.PositionEncodingKind.Utf8, 13),
                                                    (lsp.PositionEncodingKind.Utf32, 10)])
def test_positions_count_code_units_of_the_encoding(encoding, expected):
    positions = convert.TextPositions('x\n  /* 🚀 */ backend "local" {}\n', encoding)
    assert positions.position(2, 11) == lsp.Position(1, expected)


def test_positions_end_crlf_lines_before_the_cr_and_clamp_past_the_end():
    positions = convert.TextPositions("ab\r\ncd\r\n")
    assert positions.position(1, 4) == lsp.Position(0, 2)  # the `\r` is the 3rd character; LSP's line ends before it
    assert positions.position(2, 9) == lsp.Position(1, 2)
    assert positions.position(7, 1) == lsp.Position(2, 0)  # past the last line: the end of the text
    assert convert.TextPositions(None).position(3, 4) == lsp.Position(2, 3)


def finding(**changes) -> Finding:
    base = Finding("IACM106", "backend-local", "error", "m", Span("main.tf", 2, 3, 2, 18))
    return dataclasses.replace(base, **changes)


def test_suppressed_and_baselined_findings_are_not_shown():
    assert convert.is_shown(finding())
    assert convert.is_shown(finding(baseline_state="new"))
    assert not convert.is_shown(finding(suppressed=""))
    assert not convert.is_shown(finding(baseline_state="unchanged"))


def test_diagnostic_fields():
    related = finding(level="note", related=((Span("other.tf", 1, 1, 1, 4), "the other one"),), rule_id="IACM001")
    d = convert.diagnostic(related, lambda path: convert.TextPositions("abcdef\nabc\n"), lambda p: f"file:///r/{p}",
                           "https://example.invalid/IACM001.md")
    assert (d.severity, d.code, d.source, d.tags) == (lsp.DiagnosticSeverity.Information, "IACM001", "iacm-lint",
                                                      [lsp.DiagnosticTag.Unnecessary])
    assert d.code_description == lsp.CodeDescription(href="https://example.invalid/IACM001.md")
    assert d.range == lsp.Range(lsp.Position(1, 2), lsp.Position(1, 3))  # clamped at the end of line 2
    assert d.related_information == [lsp.DiagnosticRelatedInformation(
        lsp.Location("file:///r/other.tf", lsp.Range(lsp.Position(0, 0), lsp.Position(0, 3))), "the other one")]


def test_no_suppression_action_in_json_files():
    json_finding = finding(span=Span("main.tf.json", 1, 1, 1, 2))
    assert convert.suppress_action(json_finding, lsp.Diagnostic(lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1)), "m"),
                                   "{}\n", "file:///r/main.tf.json", convert.TextPositions("{}\n")) is None


def test_a_crashing_rule_is_one_internal_error_diagnostic_and_a_log_message(repo, monkeypatch):
    def boom(subject, ctx):
        raise ValueError("the text of a secret")
        yield  # pragma: no cover

    crashing = dataclasses.replace(get_rule("IACM106"), func=boom)
    others = [rule for rule in check.active_rules(Options()) if rule.id != "IACM106"]
    monkeypatch.setattr(check, "active_rules", lambda options: [*others, crashing])
    server = IacmLanguageServer()
    logged: list[str] = []
    monkeypatch.setattr(server, "log_error", logged.append)
    folder = Folder(str(repo), Workspace(str(repo), Options()))
    published = dict((uri, diagnostics) for uri, diagnostics, _ in server._check_folder(folder, folder.workspace))
    crashed = [d for d in published[folder.uri_of("main.tf")] if d.code == "internal-error"]
    assert len(crashed) == 1 and crashed[0].severity == lsp.DiagnosticSeverity.Error
    # a module rule: shown on the module's first file
    assert crashed[0].message.startswith("internal error: IACM106 crashed on .: ValueError")
    assert "secret" not in crashed[0].message
    assert [message.split(":")[0] for message in logged] == ["IACM106 crashed on ."]
    assert [d.code for d in published[folder.uri_of("versions.tf")]] == ["IACM101", "IACM403"]  # the others still ran


def test_a_check_lists_every_file_an_unsent_superseded_check_may_have_hidden(repo):
    """A check superseded while it ran is computed but never sent, so the
    client still shows the check before it: the next check must list that
    file again (with [] once it is clean), not only the files of the
    superseded check."""
    server = IacmLanguageServer()
    workspace = Workspace(str(repo), Options())
    folder = Folder(str(repo), workspace)
    uri = folder.uri_of("new.tf")

    def codes(published: list) -> dict[str, list]:
        return {u: [d.code for d in diagnostics] for u, diagnostics, _ in published}

    workspace.set_buffer("new.tf", LOCAL_BACKEND)
    assert "IACM106" in codes(server._check_folder(folder, workspace))[uri]  # sent: the client shows it
    workspace.set_buffer("new.tf", "# fixed\n")
    server._check_folder(folder, workspace)  # superseded by a newer edit: never sent
    workspace.set_buffer("new.tf", "# fixed again\n")
    assert codes(server._check_folder(folder, workspace))[uri] == []  # clears what the client still shows
