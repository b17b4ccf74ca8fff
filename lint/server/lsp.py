"""The language server: LSP 3.17 over stdio, on pygls (see __init__.py).

Each workspace folder is a `Folder`: an engine `Workspace` (the folder's
Repo in memory, open buffers laid over it) and what was last published for
it. Everything that touches a Workspace runs on one worker thread, in the
order the notifications came, so the event loop stays free to read the
next message. An edit schedules a check after DEBOUNCE_SECONDS; a newer
edit before it runs, or while it runs, supersedes it (its diagnostics are
not published). After a check, every file with findings gets its
diagnostics and every file that had some and has none any more an empty
list, unless the client already has exactly those (for that version).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Optional, TypeVar, Union

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..engine.workspace import Workspace
from ..errors import EnvironmentProblem
from ..filter.config import CONFIG_NAME, PYPROJECT, ConfigError, config_for, options_from_config
from ..findings import Finding
from ..model.pins import PIN_FILES
from ..model.syntax import HclFile, YamlFile
from ..options import Options
from ..redact import describe_exception
from ..registry import all_rules, get_rule
from ..scan.discover import SKIP_DIRS
from . import convert

DEBOUNCE_SECONDS = 0.1  # rapid edits: one check after the typing pauses
WATCHED = ("**/*.{tf,tofu,tf.json,tofu.json,tfvars,tfvars.json,tfbackend,yaml,yml}", "**/.gitignore",
           f"**/{CONFIG_NAME}", f"**/{PYPROJECT}", *(f"**/{name}" for name in PIN_FILES))
SETTINGS_SECTION = "iacm-lint"
_CRASHED = re.compile(r"\A(?P<rule>IACM\d+) crashed on (?P<where>.+?): ")

T = TypeVar("T")
Publication = tuple[str, list[lsp.Diagnostic], Optional[int]]  # URI, its diagnostics, the document version checked
log = logging.getLogger(__name__)


@dataclass
class Shown:
    """One published diagnostic and the finding it shows."""

    finding: Optional[Finding]  # None for an internal-error diagnostic
    diagnostic: lsp.Diagnostic


@dataclass
class Folder:
    """A workspace folder: its scan and what was last published for it."""

    root: str  # as the client names it (absolute); URIs are built from it
    workspace: Optional[Workspace] = None  # None when its config cannot be read
    shown: dict[str, list[Shown]] = field(default_factory=dict)  # rel path -> what the latest check found
    # Every rel path a check ever found something in. Each check lists them all (with [] where nothing is
    # left) because a superseded check is computed but never sent: the client may still show what an
    # older check found; the sender skips what the client already has.
    listed: set[str] = field(default_factory=set)
    versions: dict[str, int] = field(default_factory=dict)  # rel path -> version of the buffer last checked

    def uri_of(self, rel: str) -> str:
        return from_fs_path(os.path.join(self.root, *rel.split("/"))) or ""


class IacmLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("iacm-lint", __version__)
        self.folders: list[Folder] = []
        self.settings: dict[str, Any] = {}
        self.encoding: str = lsp.PositionEncodingKind.Utf16  # as negotiated on initialize
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="iacm-lint-check")
        self.generation = 0  # counts scheduled checks; a check publishes only when it is the latest
        self.pending: Optional[asyncio.Task[None]] = None
        self.documents: dict[str, tuple[str, Optional[int]]] = {}  # open documents: text and version (worker's view)
        self.outside: set[str] = set()  # documents outside every folder: published once, with no diagnostics
        self.sent: dict[str, tuple[list[lsp.Diagnostic], Optional[int]]] = {}  # URI -> what the client last got

    # ---- the worker ---------------------------------------------------------------------

    def on_worker(self, work: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Run `work` on the worker thread, after everything queued before it."""
        return asyncio.get_running_loop().run_in_executor(self.worker, work, *args)

    def schedule_check(self, delay: float = DEBOUNCE_SECONDS) -> None:
        self.generation += 1
        if self.pending is not None:
            self.pending.cancel()
        self.pending = asyncio.ensure_future(self._check_later(self.generation, delay))

    async def _check_later(self, generation: int, delay: float) -> None:
        await asyncio.sleep(delay)
        if generation != self.generation:
            return
        published = await self.on_worker(self._check_all, generation)
        if generation != self.generation:
            return  # superseded while it ran: the newer check publishes
        for uri, diagnostics, version in published:
            if self.sent.get(uri) == (diagnostics, version):
                continue  # the client has these: an edit elsewhere re-sends no file it did not change
            self.sent[uri] = (diagnostics, version)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def _check_all(self, generation: int) -> list[Publication]:
        published: list[Publication] = [(uri, [], None) for uri in sorted(self.outside)]
        self.outside.clear()
        for folder in self.folders:
            if generation != self.generation:
                break  # superseded before this folder's turn
            if folder.workspace is None:
                continue
            try:
                published.extend(self._check_folder(folder, folder.workspace))
            except Exception as exc:  # noqa: BLE001 - a bug in the engine must not end the server
                self.log_error(f"checking {folder.root} failed: internal error ({describe_exception(exc)})")
        return published

    def _check_folder(self, folder: Folder, workspace: Workspace) -> list[Publication]:
        result = workspace.check()
        encoding = self.encoding
        positions: dict[str, convert.TextPositions] = {}

        def positions_of(rel: str) -> convert.TextPositions:
            if rel not in positions:
                positions[rel] = convert.TextPositions(workspace.text_of(rel), encoding)
            return positions[rel]

        help_uris = {rule.id: rule.help_uri for rule in all_rules()}
        shown: dict[str, list[Shown]] = {}
        for finding in result.findings:
            if convert.is_shown(finding):
                diagnostic = convert.diagnostic(finding, positions_of, folder.uri_of,
                                                help_uris.get(finding.rule_id, ""))
                shown.setdefault(finding.span.path, []).append(Shown(finding, diagnostic))
        for error in result.internal_errors:
            self.log_error(error)
            crashed = _CRASHED.match(error)
            place = _file_of(crashed.group("where"), workspace) if crashed else None
            if place is not None:
                shown.setdefault(place, []).append(Shown(None, convert.internal_error(error)))
        folder.listed |= shown.keys()
        published = [(folder.uri_of(rel), [s.diagnostic for s in shown.get(rel, [])], folder.versions.get(rel))
                     for rel in sorted(folder.listed)]
        folder.shown = shown
        return published

    # ---- folders and options ------------------------------------------------------------

    def load_folders(self) -> None:
        """(On the worker) a Workspace per folder, with the config file and the client's settings."""
        for folder in self.folders:
            self._load(folder)

    # ---- what the notifications change (on the worker, in their order) ---------------------

    def set_buffer(self, uri: str, text: str, version: Optional[int]) -> None:
        self.documents[uri] = (text, version)
        folder, rel = self.folder_of(uri)
        if folder is None or folder.workspace is None or rel is None:
            self.outside.add(uri)
            return
        if version is not None:
            folder.versions[rel] = version
        folder.workspace.set_buffer(rel, text)

    def saved(self, uri: str) -> None:
        """The file on disk is the buffer now (what the check reads once it closes);
        a saved `.gitignore`, config or pin file is read again with the rest."""
        folder, rel = self.folder_of(uri)
        if folder is not None and folder.workspace is not None and rel is not None:
            folder.workspace.refresh(rel)
            return
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is not None:
            self.files_changed([(path, lsp.FileChangeType.Changed)])

    def closed(self, uri: str) -> None:
        self.documents.pop(uri, None)
        folder, rel = self.folder_of(uri)
        if folder is None or folder.workspace is None or rel is None:
            return
        folder.versions.pop(rel, None)
        folder.workspace.drop_buffer(rel)
        folder.workspace.refresh(rel)

    def files_changed(self, changes: list[tuple[str, int]]) -> None:
        """Files changed on disk (absolute paths): one file read again, or
        the whole folder (a file created or deleted, a `.gitignore`, a pin
        file), or the options too (the config file, the baseline)."""
        reload_options = reread = False
        for path, change_type in changes:
            for folder in self.folders:
                if folder.workspace is None:  # its config could not be read: perhaps it can now
                    reload_options = True
                    continue
                rel = os.path.relpath(os.path.abspath(path), folder.root).replace(os.sep, "/")
                if rel == ".." or rel.startswith("../") or any(part in SKIP_DIRS for part in rel.split("/")[:-1]):
                    continue  # not the folder's, or in a directory the scan skips (`terraform init` fills .terraform/)
                if is_workspace_setting(rel, folder):
                    reload_options = True
                elif change_type == lsp.FileChangeType.Changed and folder.workspace.relative(path) == rel:
                    if rel not in folder.workspace.buffers:
                        folder.workspace.refresh(rel)
                else:
                    reread = True
        if reload_options:
            self.reload_all()
        elif reread:
            for folder in self.folders:
                if folder.workspace is not None:
                    folder.workspace.reload()

    def _load(self, folder: Folder) -> None:
        try:
            folder.workspace = Workspace(folder.root, options_for(folder.root, self.settings))
        except (ConfigError, EnvironmentProblem, OSError) as exc:
            folder.workspace = None
            self.show_error(f"iacm-lint: {exc}")
        except Exception as exc:  # noqa: BLE001 - the server keeps answering, with no diagnostics for it
            folder.workspace = None
            self.show_error(f"iacm-lint: loading {folder.root} failed: internal error ({describe_exception(exc)})")

    def reload_all(self) -> None:
        """(On the worker) options and files read again, the open documents laid over them again."""
        for folder in self.folders:
            self._load(folder)
        for uri, (text, version) in list(self.documents.items()):
            self.set_buffer(uri, text, version)

    def folder_of(self, uri: str) -> tuple[Optional[Folder], Optional[str]]:
        """The folder a document belongs to and its path in it; (None, None)
        for a document outside every folder (or not of a kind the scan reads)."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None:
            return None, None
        path = os.path.abspath(path)
        for folder in sorted(self.folders, key=lambda f: len(f.root), reverse=True):
            if folder.workspace is not None:
                rel = folder.workspace.relative(path)
                if rel is not None:
                    return folder, rel
        return None, None

    # ---- messages to the client ---------------------------------------------------------

    def log_error(self, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error, message=message))

    def show_error(self, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error, message=message))
        self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=message))


def _file_of(where: str, workspace: Workspace) -> Optional[str]:
    """The file a rule crashed on, or the first file of the module directory it crashed on."""
    models: list[Union[HclFile, YamlFile]] = [*workspace.repo.hcl_files, *workspace.repo.yaml_files]
    files = sorted(f.path for f in models)
    if where in files:
        return where
    return next((path for path in files if path.rsplit("/", 1)[0] == where or (where == "." and "/" not in path)), None)


def options_for(root: str, settings: dict[str, Any]) -> Options:
    """The scan options of a folder: its config file (found as `check`
    finds it, or the one the settings name), with the client's settings
    laid over it: `engine`, `state`, `select`, `ignore` (lists of rule
    IDs or prefixes), `baseline` (relative to the folder), `config` (a config file to trust), `noConfig`."""
    config = None if settings.get("noConfig") is True else config_for(root, _text(settings.get("config")))
    fields: dict[str, Any] = dict(options_from_config(config, [root]), config_file=config.path) if config else {}
    for name in ("engine", "state"):
        value = _text(settings.get(name))
        if value in {"engine": ("auto", "opentofu", "terraform"), "state": ("auto", "existing", "managed")}[name]:
            fields[name] = value
    for name in ("select", "ignore"):
        value = settings.get(name)
        if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
            fields[name] = tuple(item.strip().upper() for item in value if item.strip())
    baseline = _text(settings.get("baseline"))
    if baseline:
        fields["baseline"] = os.path.join(root, baseline)
    return Options(**fields)


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value else None


def _settings(value: Any) -> dict[str, Any]:
    """The client's settings for iacm-lint: `{"iacm-lint": {...}}` or the object itself."""
    if isinstance(value, dict) and isinstance(value.get(SETTINGS_SECTION), dict):
        return dict(value[SETTINGS_SECTION])
    return dict(value) if isinstance(value, dict) else {}


def is_workspace_setting(rel: str, folder: Folder) -> bool:
    """A file whose change means reading the options again: the config file or the baseline."""
    name = rel.rsplit("/", 1)[-1]
    options = folder.workspace.options if folder.workspace is not None else None
    absolute = os.path.join(folder.root, *rel.split("/"))
    named = {os.path.realpath(p) for p in (options.config_file, options.baseline) if p} if options else set()
    return name in (CONFIG_NAME, PYPROJECT) or os.path.realpath(absolute) in named


# ---- the handlers -------------------------------------------------------------------------------


def build_server() -> IacmLanguageServer:
    server = IacmLanguageServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(params: lsp.InitializeParams) -> None:
        server.settings = _settings(params.initialization_options)
        server.encoding = server.workspace.position_encoding or lsp.PositionEncodingKind.Utf16

    @server.feature(lsp.INITIALIZED)
    async def initialized(params: lsp.InitializedParams) -> None:
        roots = [path for folder in server.workspace.folders.values()
                 if (path := to_fs_path(folder.uri)) is not None]
        if not roots and server.workspace.root_path:
            roots = [server.workspace.root_path]
        server.folders = [Folder(os.path.abspath(root)) for root in roots]
        server.on_worker(server.load_folders)
        for document in list(server.workspace.text_documents.values()):  # opened before the folders loaded
            server.on_worker(server.set_buffer, document.uri, document.source, document.version)
        server.schedule_check(0)
        watch = server.client_capabilities.workspace
        if watch and watch.did_change_watched_files and watch.did_change_watched_files.dynamic_registration:
            options = lsp.DidChangeWatchedFilesRegistrationOptions(
                watchers=[lsp.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED])
            await server.client_register_capability_async(lsp.RegistrationParams(registrations=[
                lsp.Registration(id="iacm-lint-watched-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                 register_options=options)]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        _edited(server, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        _edited(server, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        server.on_worker(server.saved, params.text_document.uri)
        server.schedule_check()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        server.on_worker(server.closed, params.text_document.uri)
        server.schedule_check()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(params: lsp.DidChangeConfigurationParams) -> None:
        if isinstance(params.settings, dict):  # some clients send null and expect a pull: the settings stay
            server.settings = _settings(params.settings)
        server.on_worker(server.reload_all)
        server.schedule_check(0)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
        changes = [(path, change.type) for change in params.changes
                   if change.uri.startswith("file:") and (path := to_fs_path(change.uri)) is not None]
        server.on_worker(server.files_changed, changes)
        server.schedule_check()

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return _code_actions(server, params)

    @server.command(convert.EXPLAIN_COMMAND)
    async def explain(arguments: Any) -> None:
        values = arguments if isinstance(arguments, list) else [arguments]
        found = get_rule(values[0].upper()) if values and isinstance(values[0], str) else None
        if found is None:
            server.show_error(f"iacm-lint: no rule {values[0]!r}" if values else "iacm-lint: explain needs a rule ID")
            return
        await server.window_show_document_async(lsp.ShowDocumentParams(uri=found.help_uri, external=True))

    @server.feature(lsp.SHUTDOWN)
    def shutdown(params: None) -> None:
        if server.pending is not None:
            server.pending.cancel()
        server.worker.shutdown(wait=False, cancel_futures=True)

    return server


def _edited(server: IacmLanguageServer, uri: str) -> None:
    """Queue the buffer's text (as pygls keeps it, changes applied) and a check."""
    document = server.workspace.get_text_document(uri)
    server.on_worker(server.set_buffer, uri, document.source, document.version)
    server.schedule_check()


def _code_actions(server: IacmLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """The quick fixes, suppressions and explanations of the diagnostics in
    the range asked about, when they were computed for the buffer's text as
    it is now (else none: the next check brings them)."""
    folder, rel = server.folder_of(params.text_document.uri)
    if folder is None or folder.workspace is None or rel is None:
        return []
    workspace = folder.workspace
    document = server.workspace.get_text_document(params.text_document.uri)
    if rel in workspace.buffers and folder.versions.get(rel) != document.version:
        return []
    if rel in workspace.buffers and workspace.buffers[rel] != document.source:
        return []
    asked = {(d.code, d.range.start.line, d.range.start.character) for d in params.context.diagnostics}
    encoding = server.encoding
    positions = {rel: convert.TextPositions(workspace.text_of(rel), encoding)}

    def positions_of(path: str) -> convert.TextPositions:
        if path not in positions:
            positions[path] = convert.TextPositions(workspace.text_of(path), encoding)
        return positions[path]

    def exists(path: str) -> bool:
        return path in workspace.buffers or os.path.lexists(os.path.join(workspace.root, *path.split("/")))

    fixes: list[lsp.CodeAction] = []
    others: list[lsp.CodeAction] = []
    explained: set[str] = set()
    for shown in folder.shown.get(rel, []):
        diagnostic, finding = shown.diagnostic, shown.finding
        if finding is None or not convert.overlaps(diagnostic.range, params.range):
            continue
        if asked and (diagnostic.code, diagnostic.range.start.line, diagnostic.range.start.character) not in asked:
            continue
        if finding.fix is not None:
            fixes.append(convert.fix_action(finding.fix, diagnostic, positions_of, folder.uri_of, exists))
        suppress = convert.suppress_action(finding, diagnostic, workspace.text_of(rel), params.text_document.uri,
                                           positions_of(rel))
        if suppress is not None:
            others.append(suppress)
        if finding.rule_id not in explained:
            explained.add(finding.rule_id)
            others.append(convert.explain_action(finding.rule_id, diagnostic))
    wanted = params.context.only
    actions = fixes + others
    if wanted:
        actions = [a for a in actions if any(a.kind and a.kind.startswith(kind) for kind in wanted)]
    return actions


def serve() -> None:
    """`iacm-lint server`: serve on stdin/stdout until `exit` or the end of stdin."""
    logging.basicConfig(level=logging.WARNING)  # pygls logs to stderr; stdout carries the protocol
    server = build_server()
    server.start_io()
    server.worker.shutdown(wait=False, cancel_futures=True)

