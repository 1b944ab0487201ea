"""/healthz: for load balancers, the same answer to everyone (it reads no session)."""


def _everyone_ok(role, state):
    return 200


ROUTES = [
    ("/healthz", "GET", "/healthz", _everyone_ok),
]
