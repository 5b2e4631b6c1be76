"""A minimal Chrome DevTools Protocol driver for Debian's headless Chromium (no downloaded browser).

One websocket to the browser, one page attached in flat mode. Everything is bounded in time; the browser
can only resolve 127.0.0.1 (``--host-resolver-rules``), so no page can reach the network.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import websocket

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium", "/usr/lib/chromium/chromium")


class BrowserMissing(RuntimeError):
    pass


class CDPError(RuntimeError):
    pass


def find_chromium() -> str:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing(
        "Debian's Chromium is required for the browser tests and was not found "
        "(apt-get install -y chromium; CI's .ci/run installs it)."
    )


class Chromium:
    """Headless Chromium driven over CDP: navigate, type, click, evaluate, screenshot."""

    def __init__(self, *, width: int = 1280, height: int = 900, timeout: float = 20.0) -> None:
        self.timeout = timeout
        self.width, self.height = width, height
        self.profile = Path(tempfile.mkdtemp(prefix="hepza-chromium-"))
        self.events: list[dict] = []
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self._next_id = 0
        command = [
            find_chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--no-proxy-server",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-default-browser-check",
            "--mute-audio",
            "--hide-scrollbars",
            "--disable-dev-shm-usage",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            self.ws = websocket.create_connection(
                self._browser_ws_url(), timeout=timeout, suppress_origin=True, enable_multithread=False
            )
            target = self.call("Target.createTarget", {"url": "about:blank"}, session=None)["targetId"]
            self.session = self.call(
                "Target.attachToTarget", {"targetId": target, "flatten": True}, session=None
            )["sessionId"]
            for domain in ("Page", "Runtime"):
                self.call(f"{domain}.enable")
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
        except BaseException:
            self.close()
            raise

    # --- plumbing ----------------------------------------------------------------------------------

    def _browser_ws_url(self) -> str:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserMissing(f"Chromium exited at start (code {self.process.returncode})")
            if port_file.exists():
                lines = port_file.read_text().split()
                if len(lines) >= 2:
                    return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        raise CDPError("Chromium did not open its DevTools port in time")

    def call(self, method: str, params: dict | None = None, *, session: str | None | bool = True) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session is True:
            message["sessionId"] = self.session
        elif session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._receive(deadline, method)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._on_event(reply)

    def _receive(self, deadline: float, waiting_for: str) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CDPError(f"timed out waiting for {waiting_for}")
        self.ws.settimeout(remaining)
        try:
            return json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            raise CDPError(f"timed out waiting for {waiting_for}") from None

    def _on_event(self, event: dict) -> None:
        if "method" not in event:
            return
        self.events.append(event)
        method, params = event["method"], event.get("params", {})
        if method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            self.ws.send(
                json.dumps(
                    {
                        "id": 0,
                        "method": "Page.handleJavaScriptDialog",
                        "params": {"accept": False},
                        "sessionId": self.session,
                    }
                )
            )
        elif method == "Runtime.consoleAPICalled":
            self.console.append(
                " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            )
        elif method == "Runtime.exceptionThrown":
            self.console.append("exception: " + json.dumps(params.get("exceptionDetails", {}))[:500])

    def wait_event(self, method: str, since: int, timeout: float | None = None) -> dict:
        """The first event ``method`` received after index ``since`` of ``self.events``."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for event in self.events[since:]:
                if event["method"] == method and event.get("sessionId") == self.session:
                    return event
            self._on_event(self._receive(deadline, method))

    # --- actions -----------------------------------------------------------------------------------

    def goto(self, url: str) -> None:
        mark = len(self.events)
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CDPError(f"cannot open {url}: {result['errorText']}")
        self.wait_event("Page.loadEventFired", mark)

    def evaluate(self, expression: str):
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise CDPError(f"script failed: {result['exceptionDetails'].get('text')} in {expression[:200]}")
        return result["result"].get("value")

    def url(self) -> str:
        return self.evaluate("location.href")

    def type_and_submit(self, selector: str, text: str) -> None:
        """Focus a field, type the text as keyboard input would, press Enter, wait for the next page."""
        self._focus(selector)
        self.call("Input.insertText", {"text": text})
        mark = len(self.events)
        for kind in ("keyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent",
                {
                    "type": kind,
                    "key": "Enter",
                    "code": "Enter",
                    "windowsVirtualKeyCode": 13,
                    "nativeVirtualKeyCode": 13,
                    **({"text": "\r"} if kind == "keyDown" else {}),
                },
            )
        self.wait_event("Page.loadEventFired", mark)

    def click(self, selector: str) -> None:
        """Click the element with the mouse (at its centre) and wait for the page it opens."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
            " e.scrollIntoView({block: 'center'}); const r = e.getClientRects()[0] || e.getBoundingClientRect();"
            " return {x: r.left + Math.min(r.width / 2, 20), y: r.top + r.height / 2}; })()"
        )
        if box is None:
            raise CDPError(f"nothing matches {selector}")
        mark = len(self.events)
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )
        self.wait_event("Page.loadEventFired", mark)

    def _focus(self, selector: str) -> None:
        found = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return false; e.focus(); e.select && e.select(); return true; })()"
        )
        if not found:
            raise CDPError(f"nothing matches {selector}")

    def screenshot(self, path: Path, *, full_page: bool = True, max_height: int = 3000) -> Path:
        params: dict = {"format": "png"}
        if full_page:
            metrics = self.call("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            height = min(int(size["height"]), max_height)
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": self.width, "height": max(height, 1), "scale": 1},
            )
        data = self.call("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                try:
                    self.ws.send(json.dumps({"id": 999999, "method": "Browser.close"}))
                except Exception:
                    pass
                self.ws.close()
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)
