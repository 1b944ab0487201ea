"""Open data: plain tables in, files out (CSV, JSON and a Frictionless Data Package).

A round's published aggregates (open_data_round.py) and a programme's are written here. The
bytes are deterministic, so that anyone can check a package against the unkeyed SHA-256 a
results page gives: sorted keys, rows in the order given, no time of writing, "\\n" line
ends, UTF-8 without a byte-order mark, numbers in one fixed notation.
"""
import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

#: The licences a host may choose for its open data: SPDX id -> (title, URL).
LICENCES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0 International",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License v1.0",
                 "https://opendatacommons.org/licenses/odbl/1-0/"),
    "OGL-UK-3.0": ("Open Government Licence v3.0",
                   "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
}
DEFAULT_LICENCE = "CC-BY-4.0"

#: What each licence lets people do, for the host choosing one (translated).
LICENCE_HINTS = {
    "CC-BY-4.0": _l("anyone may reuse the data, naming the source"),
    "CC-BY-SA-4.0": _l("anyone may reuse the data, naming the source and sharing alike"),
    "CC0-1.0": _l("public domain: anyone may reuse the data for anything"),
    "ODbL-1.0": _l("a database licence: reuse naming the source, sharing alike"),
    "OGL-UK-3.0": _l("the UK government's open licence: reuse naming the source"),
}

#: The file of the package descriptor.
DESCRIPTOR = "datapackage.json"
#: What a cell's status column may say, and why a suppressed cell is hidden.
PUBLISHED, PERTURBED, SUPPRESSED = "published", "perturbed", "suppressed"
SMALL, COMPLEMENTARY, WITHHELD = "small", "complementary", "withheld"
#: Decimal places of every number (shares, intervals, means): one fixed notation.
DECIMALS = 6


@dataclass(frozen=True)
class Field:
    """A column: name, Table Schema type (integer, number, string), what it holds."""

    name: str
    type: str
    description: str
    #: the only values allowed (strings), if any
    enum: tuple[str, ...] | None = None
    #: a value is always there (never missing)
    required: bool = False


@dataclass(frozen=True)
class Table:
    """A resource: its fields, primary key and rows (one value per field; None: missing)."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class Package:
    """The files of a data package by name: datapackage.json, <table>.csv, <table>.json."""

    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        """The unkeyed SHA-256 (hex) of datapackage.json, as the methods box gives it."""
        return sha256_hex(self.files[DESCRIPTOR])


def sha256_hex(data: bytes) -> str:
    """The plain SHA-256 of data, in hex."""
    return hashlib.sha256(data).hexdigest()


def status_fields(prefix: str = "") -> tuple[Field, Field]:
    """The status and reason columns that mark every count (prefix: "answered_", ...)."""
    return (
        Field(f"{prefix}status", "string",
              "published: the count as counted; perturbed: moved by the cell-key method "
              "(up to 2, never below k; zeros are never moved); suppressed: not published, "
              "the count and its share left empty", (PUBLISHED, PERTURBED, SUPPRESSED), True),
        Field(f"{prefix}reason", "string",
              "Why a suppressed count is hidden: small (from 1 to k-1); complementary (it "
              "would let a small count be worked out); withheld (the whole table could not "
              "be published safely). Empty when the count is published.",
              (SMALL, COMPLEMENTARY, WITHHELD)),
    )


def _text(value, kind: str) -> str:
    """A value as the CSV writes it: empty when missing, numbers in one notation."""
    if value is None:
        return ""
    if kind == "number":
        return f"{value:.{DECIMALS}f}"
    if kind == "integer":
        return str(int(value))
    return str(value)


def _value(value, kind: str):
    """A value as the JSON form writes it (the same rounding as the CSV)."""
    if value is None:
        return None
    if kind == "number":
        return round(float(value), DECIMALS)
    return int(value) if kind == "integer" else str(value)


def csv_bytes(table: Table) -> bytes:
    """The table as CSV: a header row, then its rows; "\\n" line ends, UTF-8, no BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(f.name for f in table.fields)
    for row in table.rows:
        writer.writerow(_text(v, f.type) for v, f in zip(row, table.fields))
    return out.getvalue().encode("utf-8")


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def json_bytes(table: Table) -> bytes:
    """The table as JSON: its name, and one object per row (null where missing)."""
    return _json({"name": table.name, "rows": [
        {f.name: _value(v, f.type) for v, f in zip(row, table.fields)} for row in table.rows]})


def table_schema(table: Table) -> dict:
    """The table's Frictionless Table Schema."""
    fields = []
    for item in table.fields:
        described = {"name": item.name, "type": item.type, "description": item.description}
        constraints = {**({"enum": list(item.enum)} if item.enum else {}),
                       **({"required": True} if item.required else {})}
        if constraints:
            described["constraints"] = constraints
        fields.append(described)
    return {"fields": fields, "missingValues": [""], "primaryKey": list(table.primary_key)}


def licence(spdx: str) -> dict:
    """The Data Package `licenses` entry of an SPDX id (the default for an unknown one)."""
    spdx = spdx if spdx in LICENCES else DEFAULT_LICENCE
    title, url = LICENCES[spdx]
    return {"name": spdx, "path": url, "title": title}


def build_package(name: str, title: str, licence_id: str, tables: list[Table],
                  properties: dict | None = None) -> Package:
    """The files of a Frictionless Data Package of the tables: each table's CSV (with its
    byte size and SHA-256 in the descriptor) and JSON, and datapackage.json with the licence
    and the extra properties (which must hold no time of writing: the bytes must not move)."""
    files: dict[str, bytes] = {}
    resources = []
    for table in tables:
        data = csv_bytes(table)
        files[f"{table.name}.csv"] = data
        files[f"{table.name}.json"] = json_bytes(table)
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "title": table.title,
            "description": table.description, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": len(data), "hash": f"sha256:{sha256_hex(data)}",
            "schema": table_schema(table)})
    descriptor = {**(properties or {}), "name": name, "title": title,
                  "licenses": [licence(licence_id)], "resources": resources}
    files[DESCRIPTOR] = _json(descriptor)
    return Package(files)


def media_type(file_name: str) -> str:
    """The Content-Type a package's file is served with."""
    return "text/csv; charset=utf-8" if file_name.endswith(".csv") else "application/json"
