"""The fakes of the chaos test (multi_instance.py), on 127.0.0.1: a review site of RSS feeds that
records who polled what, and a Telegram Bot API (https://core.telegram.org/bots/api) that records
every message and answers getUpdates like Telegram, 409 Conflict included."""

import json
import re
import select
import socket
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

UA_RE = re.compile(r"otklik-chaos/([a-z]+)")
FEED_RE = re.compile(r"^/feed/(\d+)\.xml$")


def now():
    return time.monotonic()


# ---------------------------------------------------------------------------------------------
# The fake review site


class Site:
    """RSS 2.0 feeds /feed/N.xml of items (dicts: guid, title, author, text, published as a Unix
    time); records (time, feed, instance) of every feed request."""

    def __init__(self, items):
        self.lock = threading.Lock()
        self.count = len(items)
        self.items = {n: list(feed_items) for n, feed_items in enumerate(items)}
        self.cache = {}
        self.log = []  # (t, feed, instance or "?")
        self.server = None
        self.port = 0

    def add(self, feed, item):
        with self.lock:
            self.items[feed].insert(0, item)
            self.cache.pop(feed, None)

    def body(self, feed):
        with self.lock:
            cached = self.cache.get(feed)
            if cached is not None:
                return cached
            parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                     f"<title>Parcel reviews {feed}</title><link>http://127.0.0.1:{self.port}/</link>"
                     f"<description>Reviews of feed {feed}</description>\n"]
            for it in self.items[feed]:
                parts.append(
                    f"<item><title>{escape(it['title'])}</title>"
                    f"<link>http://127.0.0.1:{self.port}/r/{escape(it['guid'])}</link>"
                    f"<guid isPermaLink=\"false\">{escape(it['guid'])}</guid>"
                    f"<pubDate>{formatdate(it['published'], usegmt=True)}</pubDate>"
                    f"<author>r@reviews.example ({escape(it['author'])})</author>"
                    f"<description>{escape(it['text'])}</description></item>\n")
            parts.append("</channel></rss>\n")
            data = "".join(parts).encode()
            self.cache[feed] = data
            return data

    def record(self, feed, ua):
        m = UA_RE.search(ua or "")
        with self.lock:
            self.log.append((now(), feed, m.group(1) if m else "?"))

    def polls(self):
        with self.lock:
            return list(self.log)

    def start(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                m = FEED_RE.match(self.path)
                if not m or int(m.group(1)) >= site.count:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                feed = int(m.group(1))
                site.record(feed, self.headers.get("User-Agent"))
                data = site.body(feed)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = make_server(Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name="site", daemon=True).start()


def make_server(handler):
    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256
        allow_reuse_address = True

        def handle_error(self, request, client_address):
            pass  # a client killed mid-request (SIGKILL) resets its connection: expected here

    return Server(("127.0.0.1", 0), handler)


# ---------------------------------------------------------------------------------------------
# The fake Telegram Bot API (https://core.telegram.org/bots/api)


def client_gone(sock):
    """True when the peer has closed the connection (EOF or error on a non-blocking peek)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


class Telegram:
    """Records sendMessage calls; holds getUpdates like Telegram: an empty result after `timeout`
    seconds, and 409 Conflict to the older of two open requests."""

    def __init__(self, token, chat_id):
        self.token = token
        self.chat_id = chat_id
        self.cond = threading.Condition()
        self.messages = []      # dicts: t, message_id, text, instance
        self.next_id = 1000
        self.open_poll = None   # the getUpdates being held
        self.polls = []         # (t, instance)
        self.conflicts = []     # dicts: t, older, newer, older_alive
        self.dropped = 0        # getUpdates whose client went away while held
        self.other_methods = {}
        self.server = None
        self.port = 0

    def api_url(self):
        return f"http://127.0.0.1:{self.port}"

    def snapshot(self):
        with self.cond:
            return list(self.messages)

    def start(self):
        tg = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    self.close_connection = True

            def error(self, code, description):
                self.reply(code, {"ok": False, "error_code": code, "description": description})

            def params(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type") or ""
                if not raw:
                    return {}
                if "application/json" in ctype:
                    value = json.loads(raw)
                    return value if isinstance(value, dict) else None
                if "application/x-www-form-urlencoded" in ctype:
                    return dict(parse_qsl(raw.decode()))
                return None

            def do_GET(self):
                self.do_POST()

            def do_POST(self):
                prefix = "/bot"
                path = self.path.split("?", 1)[0]
                if not path.startswith(prefix) or "/" not in path[len(prefix):]:
                    return self.error(404, "Not Found")
                token, method = path[len(prefix):].split("/", 1)
                try:
                    params = self.params()
                except ValueError:
                    params = None
                if token != tg.token:
                    return self.error(401, "Unauthorized")
                if params is None:
                    return self.error(400, "Bad Request: can't parse JSON")
                m = UA_RE.search(self.headers.get("User-Agent") or "")
                who = m.group(1) if m else "?"
                if method == "sendMessage":
                    return self.send_message(params, who)
                if method == "getUpdates":
                    return self.get_updates(params, who)
                if method in ("editMessageText", "editMessageReplyMarkup"):
                    return self.edit(params, method)
                if method == "answerCallbackQuery":
                    return self.reply(200, {"ok": True, "result": True})
                if method == "getMe":
                    return self.reply(200, {"ok": True, "result": tg.bot_user()})
                with tg.cond:
                    tg.other_methods[method] = tg.other_methods.get(method, 0) + 1
                return self.error(404, "Not Found")

            def send_message(self, params, who):
                text = params.get("text")
                if not params.get("chat_id"):
                    return self.error(400, "Bad Request: chat_id is empty")
                if not isinstance(text, str) or not text.strip():
                    return self.error(400, "Bad Request: message text is empty")
                with tg.cond:
                    tg.next_id += 1
                    mid = tg.next_id
                    visible = re.sub(r"<[^>]*>", "", text)
                    visible = (visible.replace("&lt;", "<").replace("&gt;", ">")
                               .replace("&quot;", '"').replace("&amp;", "&"))
                    tg.messages.append({"t": now(), "message_id": mid, "text": visible, "instance": who})
                result = {"message_id": mid, "from": tg.bot_user(),
                          "chat": {"id": tg.chat_id, "title": "Reviews", "type": "supergroup"},
                          "date": int(time.time()), "text": visible}
                self.reply(200, {"ok": True, "result": result})

            def edit(self, params, method):
                if not params.get("chat_id") or not params.get("message_id"):
                    return self.error(400, "Bad Request: message identifier is not specified")
                result = {"message_id": int(params["message_id"]), "from": tg.bot_user(),
                          "chat": {"id": tg.chat_id, "title": "Reviews", "type": "supergroup"},
                          "date": int(time.time()), "edit_date": int(time.time()),
                          "text": re.sub(r"<[^>]*>", "", str(params.get("text", "")))}
                self.reply(200, {"ok": True, "result": result})

            def get_updates(self, params, who):
                try:
                    timeout = max(0, min(int(params.get("timeout", 0)), 300))
                except (TypeError, ValueError):
                    timeout = 0
                start = now()
                rec = {"state": "open", "instance": who, "sock": self.connection, "t": start}
                with tg.cond:
                    tg.polls.append((start, who))
                    old = tg.open_poll
                    if old is not None and old["state"] == "open":
                        # Telegram ends the older request: its client gets the 409.
                        old["state"] = "conflict"
                        tg.conflicts.append({"t": start, "older": old["instance"], "newer": who,
                                             "older_alive": not client_gone(old["sock"])})
                        tg.cond.notify_all()
                    tg.open_poll = rec
                deadline = start + timeout
                while True:
                    with tg.cond:
                        if rec["state"] == "conflict":
                            break
                        left = deadline - now()
                        if left <= 0:
                            rec["state"] = "done"
                            if tg.open_poll is rec:
                                tg.open_poll = None
                            break
                        tg.cond.wait(min(0.2, left))
                    if client_gone(self.connection):
                        with tg.cond:
                            if rec["state"] == "open":
                                rec["state"] = "gone"
                                tg.dropped += 1
                            if tg.open_poll is rec:
                                tg.open_poll = None
                        self.close_connection = True
                        return
                if rec["state"] == "conflict":
                    return self.error(409, "Conflict: terminated by other getUpdates request; make sure "
                                           "that only one bot instance is running")
                self.reply(200, {"ok": True, "result": []})

        self.server = make_server(Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name="telegram", daemon=True).start()

    @staticmethod
    def bot_user():
        return {"id": 7000000001, "is_bot": True, "first_name": "Otklik", "username": "otklik_chaos_bot"}
