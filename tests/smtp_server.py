#!/usr/bin/python3
"""A small SMTP server on loopback for tests/e2e_mail.sh (python3-aiosmtpd).

  smtp_server.py --port P --mode ok|tempfail|tempfail-rcpt|permfail --save DIR
                 [--fail-count N] [--auth USER:PASSWORD] [--tls CERT:KEY]

ok             accepts every message and saves it as DIR/msg-<n>.eml
               (the bytes as received, after SMTP dot-unstuffing)
tempfail       answers 451 to the first N DATA commands (default 1), then 250
tempfail-rcpt  answers 451 to the first N RCPT commands, then 250
permfail       answers 550 to every RCPT
--auth         requires AUTH PLAIN/LOGIN with these credentials (over TLS
               when --tls is given, else in the clear)
--tls          offers STARTTLS with this certificate and key, and requires it

Prints "READY" on stdout when listening; exits on SIGTERM/SIGINT. Every SMTP
reply it gives besides 250 is appended to DIR/replies.log, one a line.
"""
import argparse
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, mode, save_dir, fail_count):
        self.mode = mode
        self.save_dir = save_dir
        self.failures_left = fail_count
        self.saved = 0
        self.lock = threading.Lock()

    def log(self, reply):
        with open(os.path.join(self.save_dir, "replies.log"), "a") as f:
            f.write(reply + "\n")

    def temporary(self, mode):
        with self.lock:
            if self.mode == mode and self.failures_left > 0:
                self.failures_left -= 1
                return True
        return False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "permfail":
            self.log("550 RCPT")
            return "550 5.1.1 Mailbox unavailable"
        if self.temporary("tempfail-rcpt"):
            self.log("451 RCPT")
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.temporary("tempfail"):
            self.log("451 DATA")
            return "451 4.3.0 Try again later"
        with self.lock:
            self.saved += 1
            n = self.saved
        path = os.path.join(self.save_dir, "msg-%d.eml" % n)
        with open(path, "wb") as f:
            f.write(envelope.original_content)
        with open(path + ".envelope", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for rcpt in envelope.rcpt_tos:
                f.write("to %s\n" % rcpt)
        return "250 Message accepted"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        # handled=False: aiosmtpd then answers 535 itself
        return AuthResult(success=ok, handled=False)

    return authenticate


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--mode", default="ok",
                    choices=["ok", "tempfail", "tempfail-rcpt", "permfail"])
    ap.add_argument("--save", required=True)
    ap.add_argument("--fail-count", type=int, default=1)
    ap.add_argument("--auth")
    ap.add_argument("--tls")
    args = ap.parse_args()
    os.makedirs(args.save, exist_ok=True)

    handler = Handler(args.mode, args.save, args.fail_count)
    kwargs = {}
    if args.auth:
        user, _, password = args.auth.partition(":")
        kwargs = dict(authenticator=make_authenticator(user, password),
                      auth_required=True, auth_require_tls=False)
    if args.tls:
        cert, _, key = args.tls.partition(":")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        kwargs.update(tls_context=ctx, require_starttls=True)
        if args.auth:
            kwargs["auth_require_tls"] = True
    controller = Controller(handler, hostname="127.0.0.1", port=args.port, **kwargs)
    try:
        controller.start()
    except Exception as e:  # port busy: the test script picks another
        print("FAILED %s" % e, flush=True)
        sys.exit(3)
    print("READY", flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
