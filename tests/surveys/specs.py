"""Survey specifications for tests, shaped like the XLSForm parser's output."""
from types import SimpleNamespace as Spec


def question(key, type_="short_text", **changes):
    """A question specification as the XLSForm parser or the builder produce it."""
    values = dict(key=key, type=type_, labels={"en": f"{key}?", "fr": f"{key} ?"}, hints={},
                  required=False, options=[], allow_other=False, integer=None, show_if=None,
                  constraint=None, constraint_messages={})
    return Spec(**{**values, **changes})


def options(*keys):
    return [Spec(key=k, labels={"en": k.title()}) for k in keys]
