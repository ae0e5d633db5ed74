"""A small driver for headless Chromium over the DevTools protocol (CDP), for the browser tests.

    with Browser.launch(work_dir) as browser:
        page = browser.new_page(width=1440, height=900)
        page.goto("http://127.0.0.1:8080/login")
        page.type_text("input[name=user]", "agent")
        page.click_and_wait("button[type=submit]")
        page.wait_for("document.querySelectorAll('tr').length > 3", timeout=10, what="rows")
        page.screenshot("inbox.png")

Debian's `chromium` is started with --headless=new, --remote-debugging-port=0 (Chromium picks a
free port and writes it to DevToolsActivePort in its profile folder) and a throwaway
--user-data-dir; one WebSocket to the browser carries every page's commands (flattened target
sessions). Each page lives in its own browser context (cookies and storage of its own), like a
fresh incognito window. Chromium is always killed at the end, its whole process group, and its
profile removed. Needs python3-websocket (Debian's package of websocket-client), nothing else.
"""

import base64
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import websocket

BINARIES = ("chromium", "chromium-browser", "google-chrome")


class CdpError(RuntimeError):
    """A command the browser refused, a script that threw, or a deadline that passed."""


def find_chromium():
    """The path of a Chromium binary on PATH, or None."""
    for name in BINARIES:
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless Chromium process and the DevTools connection to it."""

    def __init__(self, proc, profile, ws, log_path):
        self._proc = proc
        self._profile = profile
        self._ws = ws
        self.log_path = log_path
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._replies = {}
        self._events = []          # (sessionId or None, method, params), in arrival order
        self._closed = False
        self._reader = threading.Thread(target=self._read, name="cdp-reader", daemon=True)
        self._reader.start()

    @classmethod
    def launch(cls, work_dir, binary=None, timeout=30.0):
        """Starts Chromium with a profile under work_dir and connects to it (within timeout s)."""
        binary = binary or find_chromium()
        if not binary:
            raise CdpError("no chromium binary on PATH")
        profile = tempfile.mkdtemp(prefix="chromium-profile.", dir=work_dir)
        log_path = os.path.join(work_dir, "chromium.log")
        args = [binary, "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--hide-scrollbars",
                "--mute-audio", "--disable-extensions", "--disable-sync", "--disable-background-networking",
                "--disable-component-update", "--disable-default-apps", "--password-store=basic",
                "--force-color-profile=srgb", "--font-render-hinting=none", "about:blank"]
        if os.geteuid() == 0:
            # Chromium refuses to run as root with its sandbox (containers and CI run tests as root).
            args.insert(1, "--no-sandbox")
        log = open(log_path, "wb")
        # A session of its own: close() kills the whole group (the wrapper script, the browser and
        # its renderer, GPU and network processes), and nothing else.
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        log.close()
        try:
            port, path = cls._active_port(profile, proc, time.monotonic() + timeout)
            ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=timeout,
                                             suppress_origin=True, enable_multithread=True)
            ws.settimeout(None)
        except BaseException:
            cls._kill(proc)
            shutil.rmtree(profile, ignore_errors=True)
            raise
        return cls(proc, profile, ws, log_path)

    @staticmethod
    def _active_port(profile, proc, deadline):
        path = os.path.join(profile, "DevToolsActivePort")
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise CdpError(f"chromium exited with status {proc.returncode} before it listened")
            try:
                with open(path) as f:
                    lines = f.read().splitlines()
                if len(lines) >= 2 and lines[0].isdigit():
                    return int(lines[0]), lines[1]
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        raise CdpError("chromium did not write DevToolsActivePort in time")

    @staticmethod
    def _kill(proc):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Closes the browser (politely, then by force) and removes its profile. Idempotent."""
        if self._closed:
            return
        try:
            self.send("Browser.close", timeout=3)
        except Exception:  # noqa: BLE001 — going away anyway; the kill below is what counts
            pass
        self._closed = True
        try:
            self._proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        self._kill(self._proc)
        try:
            self._ws.close()
        except Exception:  # noqa: BLE001
            pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def _read(self):
        while True:
            try:
                raw = self._ws.recv()
            except Exception:  # noqa: BLE001 — the socket closed: wake every waiter
                with self._lock:
                    self._closed = True
                    self._lock.notify_all()
                return
            if not raw:
                continue
            msg = json.loads(raw)
            with self._lock:
                if "id" in msg:
                    self._replies[msg["id"]] = msg
                else:
                    self._events.append((msg.get("sessionId"), msg.get("method"), msg.get("params", {})))
                self._lock.notify_all()

    def send(self, method, params=None, session=None, timeout=30.0):
        """Sends one command and returns its result; CdpError when refused or not answered."""
        if self._closed:
            raise CdpError(f"{method}: the browser is closed")
        mid = next(self._ids)
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        with self._lock:
            while mid not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise CdpError(f"{method}: no answer within {timeout:.0f} s")
                self._lock.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error'].get('message')} {reply['error'].get('data', '')}".strip())
        return reply.get("result", {})

    def events(self, session=None, method=None):
        """Events received so far (of one session and/or method)."""
        with self._lock:
            return [(s, m, p) for s, m, p in self._events
                    if (session is None or s == session) and (method is None or m == method)]

    def new_page(self, width=1280, height=800, scale=1.0, mobile=False):
        """A new tab in a new browser context (no cookies shared with other pages)."""
        context = self.send("Target.createBrowserContext", {"disposeOnDetach": True})["browserContextId"]
        target = self.send("Target.createTarget", {"url": "about:blank", "browserContextId": context,
                                                   "width": width, "height": height})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, target)
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(domain, session=session)
        page.set_viewport(width, height, scale, mobile)
        return page


class Page:
    """One tab: navigation, scripts, input, screenshots. Every wait has a deadline."""

    def __init__(self, browser, session, target):
        self.browser = browser
        self.session = session
        self.target = target
        self._marks = itertools.count(1)

    def send(self, method, params=None, timeout=30.0):
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def set_viewport(self, width, height, scale=1.0, mobile=False):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})
        self.send("Emulation.setTouchEmulationEnabled", {"enabled": mobile})

    # -- scripts ----------------------------------------------------------------------------------

    def evaluate(self, expression, await_promise=False, timeout=30.0):
        """The value of a JavaScript expression (JSON-able values only); CdpError when it throws."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": await_promise}, timeout=timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CdpError(f"script failed: {text}\n  in: {expression[:200]}")
        return result.get("result", {}).get("value")

    def wait_for(self, predicate, timeout, what=None, step=0.1):
        """Waits until the JavaScript expression `predicate` is truthy; returns its value.
        A page that is being replaced (navigation) counts as not yet."""
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            try:
                value = self.evaluate(predicate, timeout=max(1.0, deadline - time.monotonic()))
                if value:
                    return value
                last_error = None
            except CdpError as e:
                last_error = e
            if time.monotonic() >= deadline:
                detail = f" (last error: {last_error})" if last_error else ""
                raise CdpError(f"timed out after {timeout:.0f} s waiting for {what or predicate}{detail}")
            time.sleep(step)

    def wait_for_selector(self, selector, timeout, what=None):
        return self.wait_for(f"document.querySelector({json.dumps(selector)}) !== null", timeout,
                             what or f"element {selector}")

    def count(self, selector):
        return self.evaluate(f"document.querySelectorAll({json.dumps(selector)}).length")

    # -- navigation -------------------------------------------------------------------------------

    def _mark(self):
        """Marks the current document; the mark is gone once another document has loaded."""
        mark = f"m{next(self._marks)}"
        self.evaluate(f"window.__cdpMark = {json.dumps(mark)}")
        return mark

    def _wait_replaced(self, mark, timeout, what):
        self.wait_for(f"window.__cdpMark !== {json.dumps(mark)} && document.readyState === 'complete'",
                      timeout, what)

    def goto(self, url, timeout=20.0):
        """Loads url and waits for its load event; returns the HTTP status of the document."""
        mark = self._mark()
        result = self.send("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise CdpError(f"navigating to {url}: {result['errorText']}")
        self._wait_replaced(mark, timeout, f"{url} to load")
        return self.status()

    def click_and_wait(self, selector, timeout=20.0):
        """Clicks an element that leads to another document (a link, a submit button) and waits
        for that document to load; returns its HTTP status."""
        mark = self._mark()
        self.click(selector)
        self._wait_replaced(mark, timeout, f"the page after clicking {selector}")
        return self.status()

    def status(self):
        """The HTTP status of the current document (0 when unknown)."""
        return self.evaluate("(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0")

    def server_timing(self):
        """The current document's Server-Timing entries: {name: duration ms}."""
        return self.evaluate("Object.fromEntries(((performance.getEntriesByType('navigation')[0] || {})"
                             ".serverTiming || []).map(e => [e.name, e.duration]))")

    @property
    def url(self):
        return self.evaluate("location.href")

    # -- input ------------------------------------------------------------------------------------

    def click(self, selector):
        """A real mouse click (moved, pressed, released) in the middle of the element."""
        box = self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el) return null;
            el.scrollIntoView({{block: 'center', inline: 'center'}});
            const r = el.getBoundingClientRect();
            return {{x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height}};
        }})()""")
        if not box:
            raise CdpError(f"click: no element {selector}")
        if box["w"] <= 0 or box["h"] <= 0:
            raise CdpError(f"click: element {selector} is not visible")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"], "button": "left",
                                                   "buttons": 1 if kind == "mousePressed" else 0, "clickCount": 1})

    def type_text(self, selector, text, clear=True):
        """Focuses a field, empties it (clear) and types text into it as the keyboard would."""
        ok = self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el) return false;
            el.scrollIntoView({{block: 'center'}});
            el.focus();
            if ({json.dumps(clear)}) el.select();
            return document.activeElement === el;
        }})()""")
        if not ok:
            raise CdpError(f"type: no field {selector} to focus")
        self.send("Input.insertText", {"text": text})

    def press_enter(self):
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
            if kind == "keyDown":
                params["text"] = "\r"
            self.send("Input.dispatchKeyEvent", params)

    def select_option(self, selector, value):
        """Chooses an option of a <select> as a user would (the value set, change fired)."""
        ok = self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el || !Array.from(el.options).some(o => o.value === {json.dumps(value)})) return false;
            el.value = {json.dumps(value)};
            el.dispatchEvent(new Event('input', {{bubbles: true}}));
            el.dispatchEvent(new Event('change', {{bubbles: true}}));
            return true;
        }})()""")
        if not ok:
            raise CdpError(f"select: no {selector} with an option {value!r}")

    # -- output -----------------------------------------------------------------------------------

    def screenshot(self, path, full_page=False):
        """Saves a PNG of the viewport (or of the whole page)."""
        params = {"format": "png"}
        if full_page:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params.update({"captureBeyondViewport": True,
                           "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        data = self.send("Page.captureScreenshot", params, timeout=60)["data"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def problems(self):
        """Script exceptions, console errors and browser-reported errors (CSP violations, failed
        loads) of this page so far, as text lines."""
        out = []
        for _, method, p in self.browser.events(session=self.session):
            if method == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
            elif method == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append("console.error: " + " ".join(str(a.get("value", a.get("description", "")))
                                                        for a in p.get("args", [])))
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                e = p["entry"]
                out.append(f"{e.get('source')}: {e.get('text')} {e.get('url', '')}".strip())
        return out
