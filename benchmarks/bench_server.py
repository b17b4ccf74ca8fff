"""Time `iacm-lint server` on a directory (issue 23's targets): the first
diagnostics for the whole workspace next to a cold `check`, the latency
from an edit to its diagnostics (p50, p95), the server's peak memory next
to a cold `check`'s, and the CPU it uses while idle between edits.

    python benchmarks/bench_server.py DIR [--edits 30]

The edit: a file of a root module is opened, and a `backend
"local" {}` block appended to and removed from it in turn (IACM106 comes
and goes); an edit counts from sending `didChange` to receiving the
diagnostics of that file that show it (the 100 ms debounce included).
Linux only (peak memory and CPU time come from /proc). Needs pygls
(`pip install 'iacm-lint[server]'`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

LOCAL_BACKEND = '\nterraform {\n  backend "local" {}\n}\n'
TARGETS = {"p50": 0.150, "p95": 0.300}


def cold_check(directory: Path, cache: str) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of `iacm-lint check` with an empty cache."""
    env = dict(os.environ, IACM_LINT_CACHE_DIR=cache)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "iacm_lint", "check", "--format", "json", "-q", str(directory)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pick_file(arrivals: list[tuple[float, str, list[lsp.Diagnostic]]]) -> Path:
    """A file of a root module (its diagnostics name a root-scope rule): there a local backend is IACM106."""
    for code in ("IACM101", "IACM403"):  # a root without a backend first: no other backend to compete with
        for _, uri, diagnostics in sorted(arrivals, key=lambda a: a[1]):
            if any(d.code == code for d in diagnostics) and uri.endswith(".tf"):
                return Path(unquote(urlparse(uri).path))
    raise SystemExit("no root module with IACM101 or IACM403 to edit in; give a directory of Terraform roots")


async def serve_and_edit(directory: Path, edits: int, cache: str) -> dict[str, float]:
    client = LanguageClient("bench", "0")
    arrivals: list[tuple[float, str, list[lsp.Diagnostic]]] = []

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        arrivals.append((time.perf_counter(), params.uri, list(params.diagnostics)))

    env = dict(os.environ, IACM_LINT_CACHE_DIR=cache)
    start = time.perf_counter()
    await client.start_io(sys.executable, "-m", "iacm_lint", "server", env=env)
    await client.initialize_async(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(), root_uri=directory.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(directory.as_uri(), directory.name)]))
    client.initialized(lsp.InitializedParams())
    while not arrivals:
        await asyncio.sleep(0.01)
    count = -1
    while count != len(arrivals):  # the first burst: every file with findings
        count = len(arrivals)
        await asyncio.sleep(1.0)
    first = arrivals[-1][0] - start
    pid = client._server.pid  # type: ignore[union-attr]

    target = pick_file(arrivals)
    print(f"first diagnostics after {first:.2f} s; editing {target}", file=sys.stderr)
    uri = target.as_uri()
    text = target.read_text(encoding="utf-8")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(uri=uri, language_id="terraform", version=1, text=text)))
    await asyncio.sleep(2.0)
    latencies = []
    for version in range(2, edits + 2):
        with_backend = version % 2 == 0
        seen = len(arrivals)
        sent = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [lsp.TextDocumentContentChangeWholeDocument(text + LOCAL_BACKEND if with_backend else text)]))
        while True:
            if time.perf_counter() - sent > 60:
                raise SystemExit(f"no diagnostics for {target} within 60 s of edit {version - 1}")
            done = [a for a in arrivals[seen:] if a[1] == uri
                    and any(d.code == "IACM106" for d in a[2]) == with_backend]
            if done:
                latencies.append(done[0][0] - sent)
                break
            await asyncio.sleep(0.002)
        await asyncio.sleep(0.3)
    idle_from = cpu_seconds(pid)
    await asyncio.sleep(5.0)
    idle_cpu = cpu_seconds(pid) - idle_from
    memory = peak_rss_kib(pid)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    latencies.sort()
    return {"first": first, "p50": statistics.median(latencies),
            "p95": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
            "max": latencies[-1], "memory": memory, "idle_cpu": idle_cpu, "edits": len(latencies)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()
    directory = args.directory.resolve()
    with tempfile.TemporaryDirectory() as check_cache, tempfile.TemporaryDirectory() as server_cache:
        check_time, check_memory = cold_check(directory, check_cache)
        figures = asyncio.run(serve_and_edit(directory, args.edits, server_cache))
    files = sum(1 for _ in directory.rglob("*.tf"))
    print(f"iacm-lint server on {directory} ({files} .tf files), {os.cpu_count()} CPUs")
    print(f"{'measure':<44}{'figure':>12}{'target':>14}")
    rows = [
        ("cold check (empty cache), wall", f"{check_time:.2f} s", ""),
        ("server: first diagnostics, whole workspace", f"{figures['first']:.2f} s", f"<= {check_time:.2f} s"),
        (f"edit to diagnostics, p50 ({figures['edits']:.0f} edits)", f"{figures['p50'] * 1000:.0f} ms", "<= 150 ms"),
        ("edit to diagnostics, p95", f"{figures['p95'] * 1000:.0f} ms", "<= 300 ms"),
        ("edit to diagnostics, max", f"{figures['max'] * 1000:.0f} ms", ""),
        ("cold check, peak RSS", f"{check_memory / 1024:.0f} MiB", ""),
        ("server, peak RSS", f"{figures['memory'] / 1024:.0f} MiB", f"<= {check_memory * 1.2 / 1024:.0f} MiB"),
        ("server CPU over 5 s idle", f"{figures['idle_cpu']:.2f} s", "~0 s"),
    ]
    for name, figure, target in rows:
        print(f"{name:<44}{figure:>12}{target:>14}")


if __name__ == "__main__":
    main()
