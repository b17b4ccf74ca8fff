"""`iacm-lint server` end to end (issue 23): a real LSP client (pygls's
LanguageClient, tests/lspclient.py) starts the server over stdio,
initializes it on a copy of a rule case, opens, edits, saves and closes
documents, asks for code actions and applies them, changes the
configuration, and shuts the server down. What the server publishes for
every file is compared with `iacm-lint check --format json` run on the
same contents written to disk."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from lspclient import TIMEOUT, Session

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "testdata" / "rules"
LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'


def repository(tmp_path: Path, case: str, name: str = "repo") -> Path:
    """A copy of testdata/rules/<case>, without its expected.txt."""
    target = tmp_path / name
    shutil.copytree(RULES / case, target)
    (target / "expected.txt").unlink()
    return target


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(test())


Key = tuple[int, int, int, int, str, int, str]  # start line, start char, end line, end char, code, severity, message


def utf16(line: str, column: int) -> int:
    return len(line[:column - 1].rstrip("\r").encode("utf-16-le")) // 2


def check_json(directory: Path) -> dict[str, set[Key]]:
    """What `iacm-lint check --format json` reports and shows, per file, as LSP ranges (UTF-16)."""
    completed = subprocess.run([sys.executable, "-m", "iacm_lint", "check", "--format", "json", str(directory)],
                               capture_output=True, text=True, check=False)
    assert completed.returncode in (0, 1), completed.stderr
    severities = {"error": 1, "warning": 2, "note": 3}
    found: dict[str, set[Key]] = {}
    for finding in json.loads(completed.stdout)["findings"]:
        if finding["suppressed"] or finding["baseline_state"] == "unchanged":
            continue
        path = directory / finding["path"]
        lines = path.read_text(encoding="utf-8").split("\n") if path.is_file() else [""]
        region = finding["region"]
        start = (region["start_line"] - 1, utf16(lines[region["start_line"] - 1], region["start_column"]))
        end = (region["end_line"] - 1, utf16(lines[region["end_line"] - 1], region["end_column"]))
        found.setdefault(finding["path"], set()).add(
            (*start, *end, finding["rule"], severities[finding["level"]], finding["message"]))
    return found


def published(session: Session) -> dict[str, set[Key]]:
    """What the server shows now, per file relative to the workspace."""
    found: dict[str, set[Key]] = {}
    for uri, diagnostics in session.diagnostics.items():
        rel = Path(lsp_path(uri)).relative_to(session.root).as_posix()
        for d in diagnostics:
            found.setdefault(rel, set()).add((d.range.start.line, d.range.start.character, d.range.end.line,
                                              d.range.end.character, str(d.code), int(d.severity or 0), d.message))
    return found


def lsp_path(uri: str) -> str:
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(uri).path)


def same_as_check(session: Session, tmp_path: Path, name: str) -> None:
    """The server's diagnostics equal `check --format json` on a copy with the buffers written to disk."""
    copy = tmp_path / name
    shutil.copytree(session.root, copy)
    for uri, text in session.texts.items():
        (copy / Path(lsp_path(uri)).relative_to(session.root)).write_text(text, encoding="utf-8", newline="")
    assert published(session) == {rel: keys for rel, keys in check_json(copy).items()}


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """TextEdits (UTF-16 positions) applied to `text`, as an editor does."""
    lines = text.split("\n")

    def offset(position: lsp.Position) -> int:
        line = lines[position.line]
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return sum(len(x) + 1 for x in lines[:position.line]) + index
            units += len(char.encode("utf-16-le")) // 2
        return sum(len(x) + 1 for x in lines[:position.line]) + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


# ---- the session of the "Done when" --------------------------------------------------


def test_open_change_undo_save_close_with_exact_ranges_and_codes(tmp_path):
    root = repository(tmp_path, "IACM106/pass")

    async def scenario() -> None:
        session = Session(root)
        result = await session.start()
        assert result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf16
        await session.wait_for(lambda: session.codes("versions.tf") == ["IACM101", "IACM403"], "the first diagnostics")
        await session.settle(0.5)
        same_as_check(session, tmp_path, "initial")
        [missing] = [d for d in session.diagnostics[session.uri("versions.tf")] if d.code == "IACM101"]
        assert (missing.severity, missing.source, missing.code_description.href) == (
            lsp.DiagnosticSeverity.Warning, "iacm-lint",
            "https://github.com/iacm-lint/iacm-lint/blob/main/docs/rules/IACM101.md")

        session.open("main.tf")
        original = session.texts[session.uri("main.tf")]
        session.change("main.tf", original + "\n" + LOCAL_BACKEND)  # unsaved: the file on disk stays as it was
        await session.wait_for(lambda: "IACM106" in session.codes("main.tf"), "IACM106 from the unsaved buffer")
        [local] = [d for d in session.diagnostics[session.uri("main.tf")] if d.code == "IACM106"]
        assert (local.range.start.line, local.range.start.character, local.range.end.line,
                local.range.end.character) == (15, 2, 15, 17)
        assert local.severity == lsp.DiagnosticSeverity.Error
        assert local.message == ('backend "local" in main.tf is committed and overrides the workspace\'s backend '
                                 "during remote execution; remove it or git-ignore main.tf")
        assert session.codes("versions.tf") == ["IACM403"]  # the module has a backend now: IACM101 cleared
        assert (root / "main.tf").read_text(encoding="utf-8") == original
        await session.settle(0.5)
        same_as_check(session, tmp_path, "with-local-backend")

        session.change("main.tf", original)  # undo
        await session.wait_for(lambda: "IACM106" not in session.codes("main.tf"), "IACM106 cleared")
        await session.wait_for(lambda: session.codes("versions.tf") == ["IACM101", "IACM403"], "IACM101 back")

        (root / "main.tf").write_text(original + "\n" + LOCAL_BACKEND, encoding="utf-8")
        session.change("main.tf", original + "\n" + LOCAL_BACKEND)
        session.save("main.tf")
        session.close("main.tf")  # the file on disk, saved with the backend, is what counts now
        await session.wait_for(lambda: "IACM106" in session.codes("main.tf"), "IACM106 from the saved file")
        await session.settle(0.5)
        del session.texts[session.uri("main.tf")]
        same_as_check(session, tmp_path, "saved")
        assert await session.stop() == 0

    run(scenario)


def test_an_incremental_edit_after_non_ascii_text_lands_where_the_client_counts(tmp_path):
    root = repository(tmp_path, "IACM106/pass")
    text = '# Zürich 🚀 team\nterraform {\n  /* 🚀 */ backend "local" {}\n}\n'

    async def scenario() -> None:
        session = Session(root)
        await session.start()
        session.open("state.tf", "")
        session.edit("state.tf", [lsp.TextEdit(lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)), text)])
        session.texts[session.uri("state.tf")] = text
        await session.wait_for(lambda: "IACM106" in session.codes("state.tf"), "IACM106 in a new, unsaved file")
        [local] = [d for d in session.diagnostics[session.uri("state.tf")] if d.code == "IACM106"]
        # "  /* 🚀 */ " is 10 characters and 11 UTF-16 code units (🚀 is a surrogate pair)
        assert (local.range.start.line, local.range.start.character, local.range.end.character) == (2, 11, 26)
        assert not (root / "state.tf").exists()
        await session.settle(0.5)
        same_as_check(session, tmp_path, "unicode")
        assert await session.stop() == 0

    run(scenario)


@pytest.mark.parametrize(("encoding", "start", "end"), [(lsp.PositionEncodingKind.Utf8, 13, 28),
                                                        (lsp.PositionEncodingKind.Utf32, 10, 25)])
def test_positions_follow_the_encoding_the_client_prefers(tmp_path, encoding, start, end):
    root = repository(tmp_path, "IACM106/pass")
    (root / "state.tf").write_text('terraform {\n  /* 🚀 */ backend "local" {}\n}\n', encoding="utf-8")

    async def scenario() -> None:
        session = Session(root)
        result = await session.start(encodings=[encoding, lsp.PositionEncodingKind.Utf16])
        assert result.capabilities.position_encoding == encoding
        await session.wait_for(lambda: "IACM106" in session.codes("state.tf"), "IACM106")
        [local] = [d for d in session.diagnostics[session.uri("state.tf")] if d.code == "IACM106"]
        assert (local.range.start.line, local.range.start.character, local.range.end.character) == (1, start, end)
        assert await session.stop() == 0

    run(scenario)


def test_a_workspace_wide_rule_follows_edits_in_other_roots(tmp_path):
    """IACM113 (one state object, two roots) is judged over the whole workspace after every edit."""
    root = repository(tmp_path, "IACM113/fail-same-key")
    prod, dev = "envs/prod/backends.tf", "envs/dev/backends.tf"

    async def scenario() -> None:
        session = Session(root)
        await session.start()
        await session.wait_for(lambda: "IACM113" in session.codes(prod), "the collision")
        [collision] = [d for d in session.diagnostics[session.uri(prod)] if d.code == "IACM113"]
        assert (collision.range.start.line, collision.range.start.character) == (1, 2)
        assert collision.related_information is not None
        assert [info.location.uri for info in collision.related_information] == [session.uri(dev)]

        session.open(prod)
        moved = session.texts[session.uri(prod)].replace('"terraform.tfstate"', '"prod/terraform.tfstate"')
        session.change(prod, moved)
        await session.wait_for(lambda: "IACM113" not in session.codes(prod), "the collision cleared")
        await session.settle(0.5)
        same_as_check(session, tmp_path, "apart")

        session.open(dev)  # now dev moves onto prod's new key: the collision comes back
        session.change(dev, session.texts[session.uri(dev)].replace('"terraform.tfstate"', '"prod/terraform.tfstate"'))
        await session.wait_for(lambda: "IACM113" in session.codes(prod) + session.codes(dev), "a new collision")
        await session.settle(0.5)
        same_as_check(session, tmp_path, "together-again")
        assert await session.stop() == 0

    run(scenario)


# ---- code actions and commands ---------------------------------------------------------------


def test_quick_fix_suppression_and_explain_actions(tmp_path):
    root = repository(tmp_path, "IACM112/fail-encrypt-false")
    backends = "backends.tf"

    async def scenario() -> None:
        session = Session(root)
        await session.start()
        session.open(backends)
        await session.wait_for(lambda: "IACM112" in session.codes(backends), "IACM112")
        [unencrypted] = [d for d in session.diagnostics[session.uri(backends)] if d.code == "IACM112"]
        actions = await session.client.text_document_code_action_async(lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(session.uri(backends)), unencrypted.range,
            lsp.CodeActionContext(diagnostics=[unencrypted])))
        assert [(a.title, a.kind, a.is_preferred) for a in actions] == [
            ("Set encrypt = true", lsp.CodeActionKind.QuickFix, True),
            ("Suppress IACM112 on this line (with a reason)", lsp.CodeActionKind.QuickFix, None),
            ("Explain IACM112", lsp.CodeActionKind.QuickFix, None)]
        fix, suppress, explain = actions
        [edits] = fix.edit.changes.values()
        assert [(e.range.start.line, e.range.start.character, e.range.end.character, e.new_text) for e in edits] == [
            (5, 21, 26, "true")]

        text = session.texts[session.uri(backends)]
        session.change(backends, apply(text, edits))  # the editor applies the fix
        await session.wait_for(lambda: "IACM112" not in session.codes(backends), "IACM112 fixed")
        assert "    encrypt        = true\n" in session.texts[session.uri(backends)]

        session.change(backends, text)  # back to `false`, then suppress it instead
        await session.wait_for(lambda: "IACM112" in session.codes(backends), "IACM112 again")
        [edits] = suppress.edit.changes.values()
        assert [(e.range.start.line, e.range.start.character, e.new_text) for e in edits] == [
            (5, 0, "    # iacm-lint: ignore[IACM112] <reason>\n")]
        session.change(backends, apply(text, edits))
        await session.wait_for(lambda: "IACM112" not in session.codes(backends), "IACM112 suppressed")
        assert "IACM001" not in session.codes(backends)

        assert explain.command is not None
        await session.client.workspace_execute_command_async(lsp.ExecuteCommandParams(
            command=explain.command.command, arguments=explain.command.arguments))
        assert session.shown_documents == ["https://github.com/iacm-lint/iacm-lint/blob/main/docs/rules/IACM112.md"]
        assert await session.stop() == 0

    run(scenario)


def test_a_fix_that_creates_a_file_creates_it_first(tmp_path):
    root = repository(tmp_path, "IACM112/fail-encrypt-false")

    async def scenario() -> None:
        session = Session(root)
        await session.start()
        session.open("backends.tf")
        await session.wait_for(lambda: "IACM404" in session.codes("backends.tf"), "IACM404")
        [gitignore] = [d for d in session.diagnostics[session.uri("backends.tf")] if d.code == "IACM404"]
        actions = await session.client.text_document_code_action_async(lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(session.uri("backends.tf")), gitignore.range,
            lsp.CodeActionContext(diagnostics=[gitignore])))
        fix = actions[0]
        assert fix.is_preferred and fix.edit.changes is None
        create, edit = fix.edit.document_changes
        assert isinstance(create, lsp.CreateFile) and create.uri == session.uri(".gitignore")
        assert isinstance(edit, lsp.TextDocumentEdit) and edit.text_document.uri == session.uri(".gitignore")
        (root / ".gitignore").write_text(apply("", edit.edits), encoding="utf-8")  # what the editor does
        session.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
            [lsp.FileEvent(session.uri(".gitignore"), lsp.FileChangeType.Created)]))
        await session.wait_for(lambda: "IACM404" not in session.codes("backends.tf"), "IACM404 fixed")
        assert await session.stop() == 0

    run(scenario)


# ---- configuration -----------------------------------------------------------------------------


def test_configuration_and_config_file_changes_recheck(tmp_path):
    root = repository(tmp_path, "IACM106/pass")

    async def scenario() -> None:
        session = Session(root)
        await session.start()
        await session.wait_for(lambda: session.codes("main.tf") == ["IACM404"], "IACM404")
        assert any(r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in session.registrations)

        session.client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
            settings={"iacm-lint": {"ignore": ["IACM404", "IACM403"]}}))
        await session.wait_for(lambda: session.codes("main.tf") == [] and session.codes("versions.tf") == ["IACM101"],
                               "IACM404 and IACM403 ignored")

        session.client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings={"iacm-lint": {}}))
        await session.wait_for(lambda: session.codes("main.tf") == ["IACM404"], "IACM404 back")

        (root / ".iacm-lint.yaml").write_text("severity:\n  IACM101: error\n", encoding="utf-8")
        session.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
            [lsp.FileEvent(session.uri(".iacm-lint.yaml"), lsp.FileChangeType.Created)]))
        await session.wait_for(lambda: any(d.code == "IACM101" and d.severity == lsp.DiagnosticSeverity.Error
                                           for d in session.diagnostics.get(session.uri("versions.tf"), [])),
                               "IACM101 an error by the config file")
        await session.settle(0.5)
        same_as_check(session, tmp_path, "configured")
        assert await session.stop() == 0

    run(scenario)


def test_baselined_and_suppressed_findings_are_not_shown(tmp_path):
    root = repository(tmp_path, "IACM106/pass")
    subprocess.run([sys.executable, "-m", "iacm_lint", "check", "--write-baseline", str(root / "baseline.json"),
                    str(root)], capture_output=True, check=True)
    suppressed = 'terraform {\n  # iacm-lint: ignore[IACM106] local state for the demo\n  backend "local" {}\n}\n'

    async def scenario() -> None:
        session = Session(root)
        await session.start(settings={"baseline": "baseline.json"})
        session.open("main.tf")
        original = session.texts[session.uri("main.tf")]
        session.change("main.tf", original + "\n" + LOCAL_BACKEND)
        await session.wait_for(lambda: "IACM106" in session.codes("main.tf"), "the new finding")
        await session.settle(0.5)
        assert session.codes("main.tf") == ["IACM106"]  # IACM404 is in the baseline
        assert session.codes("versions.tf") == []  # IACM403 is in the baseline, IACM101 gone (a backend now)
        session.change("main.tf", original + "\n" + suppressed)
        await session.wait_for(lambda: session.codes("main.tf") == [], "the finding suppressed")
        await session.settle(0.5)
        assert session.codes("main.tf") == [] and session.codes("versions.tf") == []
        assert await session.stop() == 0

    run(scenario)


# ---- bad input -----------------------------------------------------------------------------------


def test_bad_input_never_ends_the_server(tmp_path):
    root = repository(tmp_path, "IACM106/pass")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.tf").write_text(LOCAL_BACKEND, encoding="utf-8")
    (root / "linked.tf").symlink_to(outside / "x.tf")

    async def scenario() -> None:
        session = Session(root)
        await session.start()
        await session.wait_for(lambda: session.codes("versions.tf") == ["IACM101", "IACM403"], "the first diagnostics")

        session.open("versions.tf")
        good = session.texts[session.uri("versions.tf")]
        session.change("versions.tf", good + "\nterraform {\n  backend \"s3\" {\n")  # unclosed
        await session.wait_for(lambda: "IACM000" in session.codes("versions.tf"), "the parse error")
        # the last model that parsed still stands for the module: IACM403 stays, no new IACM101
        assert session.codes("versions.tf") == ["IACM000", "IACM101", "IACM403"]
        session.change("versions.tf", "\x00\udc80 \ufeff" * 3)  # NULs, a lone surrogate, a stray BOM
        await session.wait_for(lambda: "IACM000" in session.codes("versions.tf"), "still a parse error")
        session.change("versions.tf", good)
        await session.wait_for(lambda: session.codes("versions.tf") == ["IACM101", "IACM403"], "parsing again")

        # outside the workspace, through a link, not a file: no diagnostics
        session.open("../outside/x.tf", LOCAL_BACKEND)
        session.open("linked.tf", LOCAL_BACKEND)
        session.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri="untitled:Untitled-1", language_id="terraform", version=1, text=LOCAL_BACKEND)))
        await session.wait_for(lambda: session.uri("../outside/x.tf") in session.diagnostics
                               and session.uri("linked.tf") in session.diagnostics, "the empty publications")
        assert session.diagnostics[session.uri("../outside/x.tf")] == []
        assert session.diagnostics[session.uri("linked.tf")] == []
        assert "untitled:Untitled-1" not in session.diagnostics or session.diagnostics["untitled:Untitled-1"] == []

        # requests about unknown documents and bad arguments get answers, not a dead server
        actions = await session.client.text_document_code_action_async(lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(session.uri("nowhere.tf")), lsp.Range(lsp.Position(0, 0), lsp.Position(9, 0)),
            lsp.CodeActionContext(diagnostics=[])))
        assert not actions
        await session.client.workspace_execute_command_async(lsp.ExecuteCommandParams(
            command="iacm-lint.explain", arguments=["NOPE"]))
        session.client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
            settings={"iacm-lint": {"engine": 7, "select": "not a list", "baseline": ["x"]}}))
        session.change("versions.tf", good + "\n" + LOCAL_BACKEND)
        await session.wait_for(lambda: "IACM106" in session.codes("versions.tf"), "still checking")
        assert await session.stop() == 0

    run(scenario)


def test_the_server_exits_when_its_input_closes(tmp_path):
    root = repository(tmp_path, "IACM106/pass")

    async def scenario() -> None:
        session = Session(root)
        await session.start()
        await session.wait_for(lambda: session.codes("versions.tf") != [], "the first diagnostics")
        process = session.client._server
        assert process is not None and process.stdin is not None
        process.stdin.close()
        assert await asyncio.wait_for(process.wait(), TIMEOUT) == 0
        await session.client.stop()

    run(scenario)


def test_a_broken_config_file_is_shown_not_fatal(tmp_path):
    root = repository(tmp_path, "IACM106/pass")
    (root / ".iacm-lint.yaml").write_text("select: [IACM1\n", encoding="utf-8")

    async def scenario() -> None:
        session = Session(root)
        await session.start()
        await session.wait_for(lambda: any(".iacm-lint.yaml" in message for message in session.logs), "the message")
        (root / ".iacm-lint.yaml").write_text("ignore: [IACM403]\n", encoding="utf-8")
        session.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
            [lsp.FileEvent(session.uri(".iacm-lint.yaml"), lsp.FileChangeType.Changed)]))
        await session.wait_for(lambda: session.codes("versions.tf") == ["IACM101"], "checking with the fixed config")
        assert await session.stop() == 0

    run(scenario)


def test_server_without_pygls_says_what_to_install():
    code = "import sys; sys.modules['pygls'] = None; sys.argv = ['iacm-lint', 'server']; " \
           "from iacm_lint.cli import main; main()"  # a None entry: as if pygls were not installed
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 2
    assert completed.stderr == "iacm-lint: the language server needs pygls: pip install 'iacm-lint[server]'\n"
