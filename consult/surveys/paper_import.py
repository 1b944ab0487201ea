"""Importing checked paper rows: carried signed from the preview to the confirm step, and
stored once each, however often the confirm is sent.

No table is needed for the preview: its valid rows travel in a signed form field (itsdangerous,
the app's secret, a salt of their own, a time limit), so confirming needs neither the file nor
JavaScript. Each row's idempotency key is derived from the file and the row number: sending
the confirm twice, or uploading the same file again, finds the rows already imported.
Operations flush, never commit; the caller commits once.
"""
import hashlib
import hmac
import json
from typing import Sequence

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from consult.extensions import db
from consult.security import random_token
from consult.surveys import responses
from consult.surveys.models import Channel, Response, ResponseState
from consult.surveys.paper import PaperRow

SALT = "consult.surveys.paper-import"
#: How long a preview may wait for its confirm (seconds).
PREVIEW_LIFETIME = 24 * 3600
#: Prefix of paper rows' idempotency keys (the API's keys share the same unique column).
KEY_PREFIX = "paper"


class PreviewExpired(ValueError):
    """The signed rows are older than PREVIEW_LIFETIME."""


class PreviewInvalid(ValueError):
    """The signed rows were altered, or belong to another consultation or survey."""


def _secret(secret: str | bytes) -> bytes:
    return secret if isinstance(secret, bytes) else secret.encode()


def batch_id(secret: str | bytes, survey_id: int, raw: bytes) -> str:
    """The same for the same file and survey, unguessable without the secret."""
    digest = hmac.new(_secret(secret), f"{survey_id}:".encode() + raw, hashlib.sha256)
    return digest.hexdigest()[:32]


def row_key(batch: str, number: int) -> str:
    """The idempotency key of one row of a file."""
    return f"{KEY_PREFIX}:{batch}:{number}"


def _serializer(secret: str | bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(secret), salt=SALT)


def sign_rows(secret: str | bytes, consultation_id: int, survey_id: int, batch: str,
              header: Sequence[str], rows: Sequence[PaperRow]) -> str:
    """The preview's valid rows (as written, with their numbers) as one signed string."""
    return _serializer(secret).dumps({"c": consultation_id, "s": survey_id, "b": batch,
                                      "h": list(header),
                                      "r": [[row.number, row.cells] for row in rows]})


def load_rows(secret: str | bytes, token: str, consultation_id: int,
              survey_id: int) -> tuple[str, list[str], list[tuple[int, list]]]:
    """(batch, header, [(row number, cells)]) from sign_rows; PreviewExpired or PreviewInvalid."""
    try:
        data = _serializer(secret).loads(token, max_age=PREVIEW_LIFETIME)
    except SignatureExpired as error:
        raise PreviewExpired() from error
    except BadSignature as error:
        raise PreviewInvalid() from error
    if not isinstance(data, dict) or data.get("c") != consultation_id \
            or data.get("s") != survey_id:
        raise PreviewInvalid()
    return data["b"], data["h"], [(number, cells) for number, cells in data["r"]]


def imported_numbers(batch: str, numbers: Sequence[int]) -> set[int]:
    """Which of these rows of the file were already imported."""
    if not numbers:
        return set()
    keys = {row_key(batch, n): n for n in numbers}
    found = db.session.scalars(db.select(Response.idempotency_key).filter(
        Response.idempotency_key.in_(keys)))
    return {keys[key] for key in found}


def row_hash(header: Sequence[str], cells: Sequence[str]) -> str:
    """A row's content, whatever the column order: stored as the response's payload hash."""
    written = sorted((name, cell.strip()) for name, cell in zip(header, cells)
                     if name and cell.strip())
    canonical = json.dumps(written, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def identical_numbers(survey_id: int, header: Sequence[str],
                      rows: Sequence[PaperRow]) -> set[int]:
    """Rows written exactly like a paper response already imported (from any file): a hint
    that forms may be entered twice, e.g. a corrected copy of a file already imported."""
    hashes: dict[str, list[int]] = {}
    for row in rows:
        hashes.setdefault(row_hash(header, row.cells), []).append(row.number)
    if not hashes:
        return set()
    found = db.session.scalars(db.select(Response.payload_hash).filter(
        Response.survey_id == survey_id, Response.channel == Channel.PAPER,
        Response.payload_hash.in_(hashes)))
    return {number for digest in found for number in hashes[digest]}


def import_rows(survey, batch: str, header: Sequence[str],
                rows: Sequence[PaperRow]) -> tuple[int, int]:
    """Store each checked row as a submitted paper response, skipping rows already imported.

    Returns (imported, already imported). A parallel import of the same rows makes the flush
    fail on the unique idempotency key (IntegrityError): the caller rolls back and calls again.
    """
    done = imported_numbers(batch, [row.number for row in rows])
    imported = 0
    for row in rows:
        if row.number in done:
            continue
        responses.submit_all(survey, row.values, row.texts, row.language,
                             row_key(batch, row.number), row_hash(header, row.cells),
                             Channel.PAPER, respondent_key=random_token(32))
        imported += 1
    db.session.flush()
    if imported:  # count a batch in the summary tallies now, not at the next view
        from consult.summaries import tallies_store

        tallies_store.fold(survey.id, rebuild=False)
    return imported, len(done)


def paper_count(survey) -> int:
    """Submitted paper responses of a survey."""
    return db.session.scalar(db.select(db.func.count(Response.id)).filter_by(
        survey_id=survey.id, channel=Channel.PAPER, state=ResponseState.SUBMITTED))
