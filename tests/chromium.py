"""Headless Chromium driven over the DevTools protocol, for the readiness
report's HTML tests: no library, the protocol over a pipe
(`--remote-debugging-pipe`: JSON messages separated by NUL bytes, Chromium
reading from its file descriptor 3 and writing to 4).

    with Browser() as browser:
        page = browser.open(url, width=1400)
        page.evaluate("document.title")
        page.key("Enter")
        page.problems()  # console errors, exceptions, Content-Security-Policy violations
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from typing import Any

CHROMIUM = shutil.which("chromium")
TIMEOUT_SECONDS = 60

# Recorded in the page before its own script runs (a DevTools script is not
# subject to the page's Content-Security-Policy): every violation of it.
_RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""

# DevTools key descriptions for Input.dispatchKeyEvent.
_KEYS = {
    "Enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    " ": {"key": " ", "code": "Space", "windowsVirtualKeyCode": 32, "text": " "},
    "Tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
}


class Browser:
    def __init__(self) -> None:
        assert CHROMIUM is not None, "chromium is not installed"
        self.profile = tempfile.TemporaryDirectory(prefix="iacm-chromium-")
        to_chromium_read, self._write_fd = os.pipe()
        self._read_fd, from_chromium_write = os.pipe()

        def descriptors_3_and_4() -> None:  # in the child: the pipe ends where Chromium expects them
            read_end = fcntl.fcntl(to_chromium_read, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_chromium_write, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={self.profile.name}",
             "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: the page must need no network
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # dup2 leaves 3 and 4 inheritable; every descriptor Python opened is not (PEP 446)
            preexec_fn=descriptors_3_and_4, close_fds=False,
        )
        os.close(to_chromium_read)
        os.close(from_chromium_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._write_fd, self._read_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.profile.cleanup()

    # ---- the protocol ----------------------------------------------------------

    def send(self, method: str, session: str | None = None, **params: Any) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write_fd, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> dict:
        for index, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(index)
        while True:
            event = self._receive()
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def _receive(self) -> dict:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self._read_fd], [], [], remaining)
            if ready:
                chunk = os.read(self._read_fd, 1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    # ---- pages -----------------------------------------------------------------

    def open(self, url: str, width: int = 1400, height: int = 900, media: str = "") -> Page:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session)
        self.send("Page.addScriptToEvaluateOnNewDocument", session, source=_RECORD_VIOLATIONS)
        page.resize(width, height)
        if media:
            self.send("Emulation.setEmulatedMedia", session, media=media)
        self.send("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired", session)
        return page


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def send(self, method: str, **params: Any) -> dict:
        return self.browser.send(method, self.session, **params)

    def resize(self, width: int, height: int = 900) -> None:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def media(self, media: str) -> None:
        self.send("Emulation.setEmulatedMedia", media=media)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}…: {result['exceptionDetails']}")
        return result["result"].get("value")

    def key(self, name: str) -> None:
        """Press and release a key (the page sees trusted keyboard events)."""
        description = _KEYS[name]
        self.send("Input.dispatchKeyEvent", type="keyDown", **description)
        self.send("Input.dispatchKeyEvent", type="keyUp", **{k: v for k, v in description.items() if k != "text"})

    def pdf(self) -> bytes:
        return base64.b64decode(self.send("Page.printToPDF", printBackground=False)["data"])

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and Content-Security-Policy
        violations of this page so far."""
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                found.append(f"log: {params['entry'].get('text')}")
        found += [f"CSP: {v}" for v in self.evaluate("window.__violations || []")]
        return found

