"""One adapter per provider: how it posts inbound messages, and how we send through it."""
