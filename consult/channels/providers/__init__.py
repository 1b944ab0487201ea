"""One adapter per provider: how it posts inbound messages, and how we send through it."""


class SendFailed(RuntimeError):
    """The message was not accepted; retrying may help (a network or server error)."""


class SendRefused(RuntimeError):
    """The message was refused for good (a retry would fail the same way)."""
