"""The one boundary for incoming text: every form field, query argument, JSON string and URL
part is normalised here, once per request, before any view, service or database sees it.

Why: a NUL byte or a lone surrogate is refused by PostgreSQL (a 500 whose log carried the
participant's key and text), other control characters forge log lines and confuse readers, and
integers beyond the database's columns or JSON nested past Python's recursion limit crashed
the views. Views can then trust that a str is printable text and an int fits a column.
"""
import json
import math
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask
from flask import Request as FlaskRequest
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import EnvironHeaders, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, UnicodeConverter

#: NUL and the other C0 controls except tab, line feed and carriage return (text areas keep
#: their lines), and UTF-16 surrogates, which in a Python str are always lone ones.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

#: Largest id or integer a request may carry: PostgreSQL's INTEGER columns are 32-bit.
MAX_INT = 2**31 - 1

#: Deepest JSON nesting accepted; the API's documents need 3.
MAX_JSON_DEPTH = 32


def clean_text(text: str) -> str:
    """text without NUL, lone surrogates or control characters other than tab and newlines."""
    return _UNSAFE_TEXT.sub("", text)


def json_int(value: Any) -> int | None:
    """value if it is a JSON integer that fits a column (never true/false), else None."""
    if type(value) is int and -MAX_INT <= value <= MAX_INT:
        return value
    return None


def text_int(text: str) -> int:
    """int(text), refusing (ValueError) one beyond MAX_INT, like a malformed one."""
    value = int(text)
    if abs(value) > MAX_INT:
        raise ValueError("beyond a column")
    return value


def text_float(text: str) -> float:
    """float(text), refusing (ValueError) NaN and infinities, like a malformed one."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


class JSONRefused(BadRequest):
    """A JSON body refused at the boundary, with a message a client developer can act on."""

    def __init__(self, message) -> None:
        super().__init__()
        #: Shown as the error's "message" by the error handler (see main/errors.py).
        self.public_message = message


class CleanMultiDict(ImmutableMultiDict):
    """Query arguments and form fields, cleaned as they are parsed; `get(type=int)` treats an
    integer beyond MAX_INT like any other unusable value (the default)."""

    def __init__(self, mapping=None) -> None:
        pairs = MultiDict(mapping).items(multi=True) if mapping is not None else ()
        super().__init__([(_clean_value(k), _clean_value(v)) for k, v in pairs])

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        """Like MultiDict.get, but an out-of-range integer is the default."""
        value = super().get(key, default, type)
        if isinstance(value, int) and not isinstance(value, bool) and value is not default \
                and abs(value) > MAX_INT:
            return default
        return value


def _clean_value(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value  # files stay as they are


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity are Python's, not JSON's


def load_json(data: str | bytes) -> Any:
    """Parse a request's JSON body: standard JSON only, nested at most MAX_JSON_DEPTH deep,
    every string (keys included) cleaned."""
    try:
        parsed = json.loads(data, parse_constant=_refuse_constant)
    except RecursionError:
        raise _too_deep() from None
    return _clean_json(parsed)


def _too_deep() -> JSONRefused:
    return JSONRefused(_l("The JSON body is nested too deeply (at most %(n)s levels).",
                          n=MAX_JSON_DEPTH))


def _clean_json(root: Any) -> Any:
    """A copy of root with clean strings; iterative, so depth cannot exhaust the stack."""
    holder: list[Any] = [root]
    stack: list[tuple[Any, Any, int]] = [(holder, 0, 0)]  # (container, index or key, depth)
    while stack:
        container, slot, depth = stack.pop()
        value = container[slot]
        if isinstance(value, str):
            container[slot] = clean_text(value)
        elif isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise _too_deep()
            if isinstance(value, dict):
                value = {clean_text(k): v for k, v in value.items()}
                slots = list(value)
            else:
                value = list(value)
                slots = list(range(len(value)))
            container[slot] = value
            stack.extend((value, s, depth + 1) for s in slots)
    return holder[0]


class _BoundaryJSON:
    """The json_module of BoundaryRequest: werkzeug's get_json calls its loads."""

    loads = staticmethod(load_json)
    dumps = staticmethod(json.dumps)


class CleanHeaders(EnvironHeaders):
    """Request headers as read: cleaned too (an Idempotency-Key is stored as sent)."""

    def _get_key(self, key: str) -> str:
        return clean_text(super()._get_key(key))

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((name, clean_text(value)) for name, value in super().__iter__())


class BoundaryRequest(FlaskRequest):
    """Flask's request with every incoming text cleaned as it is parsed."""

    parameter_storage_class = CleanMultiDict

    def __init__(self, environ, *args, **kwargs) -> None:
        super().__init__(environ, *args, **kwargs)
        self.headers = CleanHeaders(environ)

    @property
    def json_module(self) -> type[_BoundaryJSON]:
        """What get_json parses with: always the boundary's loads."""
        return _BoundaryJSON

    @json_module.setter
    def json_module(self, _provider) -> None:
        """Flask sets the app's JSON provider on each request; the boundary's parser stays."""


class CleanStringConverter(UnicodeConverter):
    """The default URL part (<slug>): no control characters, so no NUL reaches a query."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = None,  # noqa: A002
                 length: int | None = None) -> None:
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]", 1)


class BoundedIntegerConverter(IntegerConverter):
    """<int:...> that matches only integers a column can hold (a larger one is a 404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int = MAX_INT, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app: Flask) -> None:
    """Install the boundary: the request class and the URL converters (before any route)."""
    app.request_class = BoundaryRequest
    app.url_map.converters.update(default=CleanStringConverter, string=CleanStringConverter,
                                  int=BoundedIntegerConverter)
