"""A real LSP client for the language server's tests: pygls's
LanguageClient starts `iacm-lint server` (as `python -m iacm_lint server`)
and talks to it over stdio; it records what the server publishes."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional, Union

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

TIMEOUT = 60.0  # seconds to wait for the server to publish what a test expects (a loaded 2-core machine)


class Session:
    """One server process and what it told the client."""

    def __init__(self, root: Path):
        self.root = root
        self.client = LanguageClient("iacm-lint-tests", "0")
        self.diagnostics: dict[str, list[lsp.Diagnostic]] = {}
        self.publications: list[lsp.PublishDiagnosticsParams] = []
        self.logs: list[str] = []
        self.shown_documents: list[str] = []
        self.registrations: list[lsp.Registration] = []
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

        # lsprotocol reads any code action with a `command` as a Command, even a CodeAction whose
        # command is an object (its `_code_action_hook`): tell them apart by the command's type.
        converter = self.client.protocol._converter
        converter.register_structure_hook(
            Union[lsp.Command, lsp.CodeAction],
            lambda value, _: converter.structure(
                value, lsp.Command if isinstance(value.get("command"), str) else lsp.CodeAction))

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            self.publications.append(params)
            self.diagnostics[params.uri] = list(params.diagnostics)

        @self.client.feature(lsp.WINDOW_LOG_MESSAGE)
        def logged(params: lsp.LogMessageParams) -> None:
            self.logs.append(params.message)

        @self.client.feature(lsp.WINDOW_SHOW_MESSAGE)
        def shown(params: lsp.ShowMessageParams) -> None:
            self.logs.append(params.message)

        @self.client.feature(lsp.WINDOW_SHOW_DOCUMENT)
        def show_document(params: lsp.ShowDocumentParams) -> lsp.ShowDocumentResult:
            self.shown_documents.append(params.uri)
            return lsp.ShowDocumentResult(success=True)

        @self.client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register(params: lsp.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    async def start(self, settings: Optional[dict[str, Any]] = None,
                    encodings: Optional[list[lsp.PositionEncodingKind]] = None) -> lsp.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "iacm_lint", "server")
        capabilities = lsp.ClientCapabilities(
            general=lsp.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
            workspace=lsp.WorkspaceClientCapabilities(
                did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)),
            text_document=lsp.TextDocumentClientCapabilities(
                publish_diagnostics=lsp.PublishDiagnosticsClientCapabilities(related_information=True)))
        result = await self.client.initialize_async(lsp.InitializeParams(
            capabilities=capabilities, process_id=None, root_uri=self.root.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=self.root.as_uri(), name=self.root.name)],
            initialization_options=settings))
        self.client.initialized(lsp.InitializedParams())
        return result

    def open(self, rel: str, text: Optional[str] = None, language: str = "terraform") -> None:
        text = (self.root / rel).read_text(encoding="utf-8") if text is None else text
        uri = self.uri(rel)
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))

    def change(self, rel: str, text: str) -> None:
        """Replace the whole text (a full-document change)."""
        uri = self.uri(rel)
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            [lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    def edit(self, rel: str, edits: list[lsp.TextEdit]) -> None:
        """Incremental changes, as an editor sends them (one per edit, last first)."""
        uri = self.uri(rel)
        self.versions[uri] += 1
        changes = [lsp.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                   for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)]
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]), changes))

    def save(self, rel: str) -> None:
        self.client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(self.uri(rel))))

    def close(self, rel: str) -> None:
        self.client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(self.uri(rel))))

    def codes(self, rel: str) -> list[str]:
        return sorted(str(d.code) for d in self.diagnostics.get(self.uri(rel), []))

    async def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            if self.client.stopped:
                raise AssertionError(f"the server stopped while waiting for {what}; log: {self.logs}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; diagnostics: {self.diagnostics}; log: {self.logs}")
            await asyncio.sleep(0.02)

    async def settle(self, quiet: float = 1.0) -> None:
        """Wait until nothing was published for `quiet` seconds."""
        count = -1
        while count != len(self.publications):
            count = len(self.publications)
            await asyncio.sleep(quiet)

    async def stop(self) -> Optional[int]:
        """shutdown, exit, and the exit status of the server process."""
        await self.client.shutdown_async(None)
        self.client.exit(None)
        server = self.client._server
        code = await asyncio.wait_for(server.wait(), TIMEOUT) if server is not None else None
        await self.client.stop()
        return code
