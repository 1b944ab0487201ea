"""A real SMTP server (aiosmtpd) for the whole test session: Consult sends to it, tests read
what arrived."""
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class RecordingHandler:
    """Keeps every message received, parsed, with its envelope recipients."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        """Forget what arrived so far."""
        with self._lock:
            self.messages.clear()
            self.recipients.clear()

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """The messages whose envelope named address."""
        with self._lock:
            return [m for m, r in zip(self.messages, self.recipients) if address in r]


_server: dict = {}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server() -> RecordingHandler:
    """The session's server, started on first use; its handler (with .port)."""
    if "handler" not in _server:
        handler = RecordingHandler()
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        handler.port = controller.port
        _server.update(handler=handler, controller=controller)
    return _server["handler"]


def stop() -> None:
    """Stop the server at the end of the session."""
    if "controller" in _server:
        _server.pop("controller").stop()
        _server.pop("handler")
