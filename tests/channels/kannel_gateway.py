"""A real Kannel for the end-to-end test: the Debian package's bearerbox and smsbox started on
free loopback ports with a kannel.conf written for the test, and a fake SMSC speaking
Kannel's `fake` SMSC line protocol (gw/smsc/smsc_fake.c, the one test/fakesmsc.c speaks).

bearerbox listens on the fake SMSC's port and the SMSC connects to it. Each message is one
line, "SENDER RECEIVER TYPE DATA": type `text` carries the text as it is, `data` and `udh`
percent-encoded bytes; Debian's 1.4.5 adds `ucs2` in (percent-encoded UTF-16BE, the coding
a phone uses for Arabic) and writes `ucs-2` out. A long reply comes as concatenated parts,
"udh HEADER data BYTES", put back together here as a phone does.
"""
import os
import re
import socket
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.live_server import free_port
from consult.channels.segments import is_gsm7

BEARERBOX = Path("/usr/sbin/bearerbox")
SMSBOX = Path("/usr/sbin/smsbox")
SENDSMS_USER, SENDSMS_PASSWORD = "consult", "sendsms-e2e-pass"
CONFIG = """\
group = core
admin-port = {admin}
admin-password = {admin_password}
admin-interface = 127.0.0.1
smsbox-port = {smsbox}
box-allow-ip = 127.0.0.1
log-file = "{logs}/bearerbox.log"
log-level = 1
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
port = {fake}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
log-file = "{logs}/smsbox.log"
log-level = 1

# Replies are often longer than one SMS: without these, Kannel cuts each to one segment.
group = sendsms-user
username = {user}
password = {password}
max-messages = 10
concatenation = true

# Every message goes to Consult; max-messages = 0: smsbox sends no reply itself (Consult
# answers through sendsms, from its task queue).
group = sms-service
keyword = default
catch-all = true
max-messages = 0
get-url = "{get_url}?from=%p&to=%P&text=%a&id=%I&coding=%c"
"""


def missing_binaries() -> list[str]:
    """The Kannel programs this machine lacks (Debian package `kannel`)."""
    return [str(p) for p in (BEARERBOX, SMSBOX) if not os.access(p, os.X_OK)]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited:\n{_tail(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{process.args[0]} did not listen on {port}:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else ""


class Kannel:
    """bearerbox and smsbox with their kannel.conf in workdir; get_url: Consult's callback."""

    def __init__(self, workdir: Path, get_url: str, sendsms_port: int | None = None):
        self.workdir = workdir
        self.ports = {"admin": free_port(), "smsbox": free_port(), "fake": free_port(),
                      "sendsms": sendsms_port or free_port()}
        self.config = workdir / "kannel.conf"
        self.config.write_text(CONFIG.format(
            **self.ports, admin_password="admin-e2e", logs=workdir, user=SENDSMS_USER,
            password=SENDSMS_PASSWORD, get_url=get_url))
        self.processes: list[subprocess.Popen] = []

    @property
    def sendsms_url(self) -> str:
        """smsbox's sendsms interface."""
        return f"http://127.0.0.1:{self.ports['sendsms']}/cgi-bin/sendsms"

    def start(self) -> "Kannel":
        """Start bearerbox, then smsbox, each once its port answers."""
        for binary, port, log in ((BEARERBOX, "fake", "bearerbox.out"),
                                  (SMSBOX, "sendsms", "smsbox.out")):
            with (self.workdir / log).open("w") as out:
                process = subprocess.Popen([str(binary), str(self.config)], stdout=out,
                                           stderr=subprocess.STDOUT, cwd=self.workdir)
            self.processes.append(process)
            _wait_for_port(self.ports[port], process, self.workdir / log)
        return self

    def stop(self) -> None:
        """Stop smsbox, then bearerbox (the processes this object started, by their id)."""
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def logs(self) -> str:
        """The end of both boxes' logs (for a failure's message)."""
        return "\n".join(_tail(self.workdir / name) for name in ("bearerbox.log", "smsbox.log"))


@dataclass(frozen=True)
class Delivered:
    """One SMS bearerbox delivered to the fake SMSC (a message to a participant's phone)."""

    sender: str
    receiver: str
    coding: str  # "text" (GSM-7 as it is), "ucs-2", "data" (GSM-7 percent-encoded)
    text: str


#: The start of a message line: digits-only addresses and a type (Debian's 1.4.5 writes a
#: GSM-7 text with line breaks as it is, so its later lines continue the message).
MESSAGE_LINE = re.compile(rb"^(\+?\d+) (\+?\d+) (text|data|ucs-2|udh) (.*)$", re.S)


def _unquote(data: bytes) -> bytes:
    """Kannel's octstr_url_encode: %XX bytes and + for a space."""
    return urllib.parse.unquote_to_bytes(data.replace(b"+", b" "))


def _decode(data: bytes) -> tuple[str, str]:
    """(coding, text) of a concatenated message's bytes: UCS-2 text (UTF-16BE) always holds
    zero bytes (a space, a digit, a line break); GSM text as Kannel writes it never does."""
    if b"\x00" in data and len(data) % 2 == 0:
        return "ucs-2", data.decode("utf-16-be")
    return "data", data.decode("utf-8", "replace")


@dataclass(frozen=True)
class Part:
    """One part of a concatenated message (UDH information element 0x00 or 0x08)."""

    sender: str
    receiver: str
    reference: int
    total: int
    number: int
    data: bytes


def _part(sender: str, receiver: str, udh: bytes, data: bytes) -> Part:
    at = 1  # udh[0] is the header's length
    while at < len(udh):
        element, size = udh[at], udh[at + 1]
        value = udh[at + 2:at + 2 + size]
        if element == 0x00:
            return Part(sender, receiver, value[0], value[1], value[2], data)
        if element == 0x08:
            return Part(sender, receiver, value[0] << 8 | value[1], value[2], value[3], data)
        at += 2 + size
    return Part(sender, receiver, -1, 1, 1, data)


def parse_line(line: bytes) -> Delivered | Part | None:
    """A message line bearerbox writes to the fake SMSC: a message, a part of a long one, or
    None for a line that continues the previous text."""
    found = MESSAGE_LINE.match(line)
    if found is None:
        return None
    sender, receiver, kind, data = (g.decode("latin-1") if n < 2 else g
                                    for n, g in enumerate(found.groups()))
    if kind == b"udh":
        udh, _type, payload = data.split(b" ", 2)
        return _part(sender, receiver, _unquote(udh), _unquote(payload))
    if kind == b"ucs-2":
        return Delivered(sender, receiver, "ucs-2", _unquote(data).decode("utf-16-be"))
    if kind == b"data":
        return Delivered(sender, receiver, "data", _unquote(data).decode("utf-8", "replace"))
    return Delivered(sender, receiver, "text", data.decode("utf-8", "replace"))


def message_line(sender: str, receiver: str, text: str) -> bytes:
    """The line a phone's message arrives as: GSM-7 text as it is, anything else as UCS-2."""
    if is_gsm7(text) and "\n" not in text:
        return f"{sender} {receiver} text {text}\n".encode()
    ucs2 = urllib.parse.quote(text.encode("utf-16-be"), safe="")
    return f"{sender} {receiver} ucs2 {ucs2}\n".encode()


class FakeSMSC:
    """The operator's side: connects to bearerbox's fake SMSC port, sends participants'
    messages, and keeps every message bearerbox delivers."""

    def __init__(self, port: int):
        deadline = time.monotonic() + 10
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.delivered: list[Delivered] = []
        self.last_arrival = 0.0
        self._parts: dict[tuple, dict[int, bytes]] = {}
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffered = b""
        self.sock.settimeout(None)
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buffered += chunk
            with self._arrived:
                while b"\n" in buffered:
                    line, buffered = buffered.split(b"\n", 1)
                    message = parse_line(line)
                    if isinstance(message, Part):
                        message = self._reassemble(message)
                    if isinstance(message, Delivered):
                        self.delivered.append(message)
                    elif message is not None:
                        continue  # a part of a long message; the others are to come
                    elif self.delivered:  # the next line of a multi-line text
                        last = self.delivered[-1]
                        self.delivered[-1] = Delivered(
                            last.sender, last.receiver, last.coding,
                            last.text + "\n" + line.decode("utf-8", "replace"))
                self.last_arrival = time.monotonic()
                self._arrived.notify_all()

    def _reassemble(self, part: Part) -> Delivered | None:
        """The whole message once its every part has come (Kannel's concatenation)."""
        key = (part.sender, part.receiver, part.reference)
        parts = self._parts.setdefault(key, {})
        parts[part.number] = part.data
        if len(parts) < part.total:
            return None
        del self._parts[key]
        coding, text = _decode(b"".join(parts[n] for n in sorted(parts)))
        return Delivered(part.sender, part.receiver, coding, text)

    def send(self, sender: str, receiver: str, text: str) -> None:
        """A participant's phone sends text to receiver (the host's shortcode)."""
        self.sock.sendall(message_line(sender, receiver, text))

    def wait_for(self, count: int, timeout: float = 20, quiet: float = 0.3) -> list[Delivered]:
        """The messages delivered once there are count of them and nothing more came for
        quiet seconds (a text's later lines), or what came by timeout."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while time.monotonic() < deadline:
                settled = time.monotonic() - self.last_arrival >= quiet
                if len(self.delivered) >= count and settled:
                    break
                self._arrived.wait(min(quiet, max(0.0, deadline - time.monotonic())))
            return list(self.delivered)

    def close(self) -> None:
        """Disconnect from bearerbox."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
