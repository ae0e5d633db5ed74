#!/usr/bin/python3
"""A real SMTP server for tests, on aiosmtpd (Debian's python3-aiosmtpd, 1.4).

Serve:  smtp_server.py --mode starttls|tls|plain --cert C --key K --spool DIR
                       [--user U --password P] [--exclude-auth PLAIN] [--auth-over-plain]
                       [--fail-rcpt CODE] [--fail-data CODE] [--fail-times N]
        Listens on 127.0.0.1 on a free port and prints the port on stdout when ready. Each
        accepted message is stored as DIR/msg-N.eml (the bytes as received after the DATA
        phase's dot-unstuffing) with DIR/msg-N.json (envelope, TLS, authenticated user); every
        command of interest is appended to DIR/events.log ("EHLO", "STARTTLS", "AUTH PLAIN
        tls=1", "MAIL tls=1", …). Exits when its stdin closes (the test that started it ended).
Parse:  smtp_server.py --parse FILE
        Prints the message parsed by Python's email package (policy=default) as JSON: headers
        (decoded), header names, defects, and each text part decoded.
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, spool):
        self.spool = spool
        self.count = 0

    def event(self, line):
        with open(os.path.join(self.spool, "events.log"), "a", encoding="utf-8") as f:
            f.write(line + "\n")


class RecordingSMTP(SMTP):
    """Logs the commands the tests check (which happened, and whether over TLS)."""

    implicit_tls = False
    recorder = None

    def _tls_on(self):
        return 1 if (self.implicit_tls or self._tls_protocol is not None) else 0

    async def smtp_EHLO(self, arg):
        self.recorder.event(f"EHLO tls={self._tls_on()}")
        return await super().smtp_EHLO(arg)

    async def smtp_STARTTLS(self, arg):
        self.recorder.event("STARTTLS")
        return await super().smtp_STARTTLS(arg)

    async def smtp_AUTH(self, arg):
        mechanism = arg.split()[0].upper() if arg else ""
        self.recorder.event(f"AUTH {mechanism} tls={self._tls_on()}")
        return await super().smtp_AUTH(arg)

    async def smtp_MAIL(self, arg):
        self.recorder.event(f"MAIL tls={self._tls_on()}")
        return await super().smtp_MAIL(arg)

    async def smtp_QUIT(self, arg):
        self.recorder.event("QUIT")
        return await super().smtp_QUIT(arg)


class Handler:
    def __init__(self, recorder, args):
        self.recorder = recorder
        self.args = args
        self.failures_left = args.fail_times

    def _fail(self, code):
        if not code or self.failures_left == 0:
            return None
        if self.failures_left > 0:
            self.failures_left -= 1
        return f"{code} {code // 100}.0.0 Test failure {code}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        failure = self._fail(self.args.fail_rcpt)
        if failure:
            return failure
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        failure = self._fail(self.args.fail_data)
        if failure:
            return failure
        self.recorder.count += 1
        base = os.path.join(self.recorder.spool, f"msg-{self.recorder.count}")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        user = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        with open(base + ".json", "w", encoding="utf-8") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "user": user}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return f"250 OK queued as test-{self.recorder.count}"


def make_authenticator(args):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == args.user.encode()
              and auth_data.password == args.password.encode())
        # handled=False: aiosmtpd sends the 535 reply itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return authenticate


async def serve(args):
    recorder = Recorder(args.spool)
    handler = Handler(recorder, args)
    context = None
    if args.mode in ("starttls", "tls"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    loop = asyncio.get_running_loop()
    kwargs = dict(hostname="localhost", loop=loop, decode_data=False)
    if args.user:
        kwargs.update(authenticator=make_authenticator(args), auth_required=True,
                      auth_require_tls=not (args.auth_over_plain or args.mode == "tls"))
        if args.exclude_auth:
            kwargs["auth_exclude_mechanism"] = args.exclude_auth.split(",")
    if args.mode == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)

    def factory():
        protocol = RecordingSMTP(handler, **kwargs)
        protocol.implicit_tls = args.mode == "tls"
        protocol.recorder = recorder
        return protocol

    server = await loop.create_server(factory, host="127.0.0.1", port=0,
                                      ssl=context if args.mode == "tls" else None)
    print(server.sockets[0].getsockname()[1], flush=True)

    stop = loop.create_future()

    def on_stdin():
        if not os.read(sys.stdin.fileno(), 4096) and not stop.done():
            stop.set_result(None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    await stop
    server.close()


def parse(path):
    with open(path, "rb") as f:
        raw = f.read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                      "cte": part.get("Content-Transfer-Encoding", ""), "text": part.get_content()})
    out = {
        "header_names": list(message.keys()),
        "headers": {k: str(v) for k, v in message.items()},
        "defects": [type(d).__name__ for d in message.defects],
        "content_type": message.get_content_type(),
        "parts": parts,
        "max_line": max((len(line) for line in raw.split(b"\r\n")), default=0),
        "bare_lf": raw.replace(b"\r\n", b"").count(b"\n"),
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["starttls", "tls", "plain"], default="starttls")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--spool")
    p.add_argument("--user", default="")
    p.add_argument("--password", default="")
    p.add_argument("--exclude-auth", default="")
    p.add_argument("--auth-over-plain", action="store_true")
    p.add_argument("--fail-rcpt", type=int, default=0)
    p.add_argument("--fail-data", type=int, default=0)
    p.add_argument("--fail-times", type=int, default=-1, help="fail only the first N times; -1: always")
    p.add_argument("--parse")
    args = p.parse_args()
    # aiosmtpd warns about its own deprecated attribute on every AUTH; keep stderr for real errors.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    if args.parse:
        parse(args.parse)
        return
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
