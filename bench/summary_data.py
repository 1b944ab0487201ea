"""Generate a large survey for the summary benchmark: 10 questions (3 of them segments) and
any number of responses, bulk-inserted (Core executemany on SQLite, COPY on PostgreSQL).

Run inside an app context: `build(n)` makes the consultation and its survey through the
services, then writes the responses and answers in chunks with NumPy-made columns, so a
million responses take about a minute rather than hours of ORM inserts. The rows arrive
waiting to be counted, as submissions leave them; `build` then folds them into the summary
tallies through the app's own code (tallies_store.fold), which is what the submissions
would have done as they came (every 256th, in small batches). That time is generation, not
summary: `fold_seconds` records it.
"""
import datetime as dt
import io
import time
from typing import Iterator

import numpy as np

SLUG = "bench-summaries"
LANGUAGES = ["en", "fr", "ar", "sw"]
CHANNELS = ["web", "api", "paper", "sms"]
CHUNK = 100_000

#: (key, type, segment, options, option weights); weights None: uniform.
QUESTIONS = [
    ("role", "single_choice", True, ["trader", "resident", "transport", "student", "official"],
     [0.3, 0.4, 0.15, 0.149995, 0.000005]),
    ("area", "single_choice", True, ["port", "bus", "market", "north", "south", "east"], None),
    ("age_band", "single_choice", True, ["16-24", "25-39", "40-59", "60+"], [.3, .35, .25, .1]),
    ("support", "likert", False, ["1", "2", "3", "4", "5"], [.1, .15, .2, .3, .25]),
    ("priorities", "multiple_choice", False, ["liaison", "safe_points", "jobs", "hotline",
                                               "oversight"], None),
    ("trust", "scale", False, [], None),
    ("age", "number", False, [], None),
    ("ranking", "ranking", False, ["jobs", "safety", "lights", "buses"], None),
    ("payments", "single_choice", False, ["yes", "no", "prefer_not"], [.2, .6, .2]),
    ("ideas", "long_text", False, [], None),
]


def survey_pages() -> list[dict]:
    """The benchmark survey as plain page specifications (surveys.services.page_specs)."""
    questions = [{"key": key, "type": kind, "is_segment": segment,
                  "required": key in ("role", "support"),
                  "labels": {"en": key.replace("_", " ").capitalize()},
                  "options": [{"key": o, "labels": {"en": o}} for o in options],
                  "integer": True if kind == "number" else None,
                  "show_if": {"q": "role", "op": "eq", "value": "trader"}
                  if key == "payments" else None}
                 for key, kind, segment, options, _ in QUESTIONS]
    return [{"key": f"p{n}", "questions": questions[n * 4:n * 4 + 4]} for n in range(3)]


def build(responses: int, seed: int = 7) -> int:
    """Create the consultation (closed, k=10) with `responses` submitted responses (and 1% as
    many drafts); returns the consultation id."""
    from consult.accounts.models import Organisation, OrganisationKind
    from consult.accounts.services import create_organisation
    from consult.consultations import services as consultations
    from consult.consultations.lifecycle import State
    from consult.extensions import db
    from consult.surveys.services import page_specs, replace_survey

    host = db.session.scalars(db.select(Organisation)).first() or create_organisation(
        "bench-host", "Bench host", OrganisationKind.CIVIL_SOCIETY)
    consultation = consultations.create_consultation(host, SLUG, "en", LANGUAGES)
    consultations.set_texts(consultation, {("title", "en"): "Summary benchmark"})
    survey, _ = replace_survey(consultation, page_specs(survey_pages()))
    consultation.state = State.CLOSED
    db.session.commit()
    ids = {q.key: q.id for q in survey.questions}
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    _fast_load(connection, postgres)
    rng = np.random.default_rng(seed)
    total = responses + responses // 100
    first = 1 + (db.session.scalar(db.text("SELECT max(id) FROM response")) or 0)
    for start in range(0, total, CHUNK):
        count = min(CHUNK, total - start)
        response_rows, answer_rows = _chunk(rng, first + start, count, survey.id, ids,
                                            draft_from=first + responses)
        if postgres:
            _copy(connection, "response", RESPONSE_COLUMNS, response_rows)
            _copy(connection, "answer", ANSWER_COLUMNS, answer_rows)
        else:
            connection.exec_driver_sql(_insert("response", RESPONSE_COLUMNS),
                                       list(response_rows))
            connection.exec_driver_sql(_insert("answer", ANSWER_COLUMNS), list(answer_rows))
    db.session.commit()
    if postgres:
        db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('response', 'id'), "
                                   "(SELECT max(id) FROM response))"))
        db.session.execute(db.text("ANALYZE"))
    else:
        db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    started = time.perf_counter()
    from consult.summaries import tallies_store

    tallies_store.fold(survey.id)
    db.session.commit()
    global fold_seconds
    fold_seconds = time.perf_counter() - started
    return consultation.id


#: Seconds the last build spent folding its responses into the summary tallies.
fold_seconds = 0.0


def _fast_load(connection, postgres: bool) -> None:
    """Load without per-row safety a benchmark does not need: no fsync on SQLite; on
    PostgreSQL (when the role may) no foreign-key triggers, the ids being made consistent."""
    if not postgres:
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        return
    with connection.begin_nested() as savepoint:
        try:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        except Exception:  # not a superuser: keep the triggers
            savepoint.rollback()


RESPONSE_COLUMNS = ("id", "survey_id", "respondent_key", "language", "channel", "state",
                    "current_page", "submitted_on", "saved_on")
ANSWER_COLUMNS = ("response_id", "question_id", "option_key", "rank", "number", "text")


def _insert(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def _copy(connection, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
    """COPY rows into table through psycopg 3's copy protocol."""
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for n, row in enumerate(rows):
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            if n % 50_000 == 49_999:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def _pick(rng, options: list[str], weights, size: int) -> np.ndarray:
    p = None if weights is None else np.array(weights) / sum(weights)
    return rng.choice(np.array(options, dtype=object), size=size, p=p)


def _chunk(rng, first: int, count: int, survey_id: int, ids: dict[str, int],
           draft_from: int) -> tuple[list[tuple], list[tuple]]:
    """Rows of `count` responses from id `first`: (response rows, answer rows)."""
    today = dt.date.today().isoformat()
    rid = np.arange(first, first + count)
    language = _pick(rng, LANGUAGES, [.5, .25, .15, .1], count)
    channel = _pick(rng, CHANNELS, [.6, .1, .25, .05], count)
    responses = [(int(i), survey_id, f"bench-{i}", lang, chan,
                  "draft" if i >= draft_from else "submitted", 3,
                  None if i >= draft_from else today, today)
                 for i, lang, chan in zip(rid.tolist(), language, channel)]
    columns: list[tuple[np.ndarray, int, object, object, object, object]] = []
    role = _pick(rng, *QUESTIONS[0][3:], count)
    for key, kind, _, options, weights in QUESTIONS:
        qid = ids[key]
        if key == "role":
            columns.append((rid, qid, role, None, None, None))
        elif kind in ("single_choice", "likert"):
            answered = rng.random(count) < (0.95 if key != "payments" else 1.0)
            if key == "payments":
                answered &= role == "trader"
            columns.append((rid[answered], qid, _pick(rng, options, weights,
                                                        int(answered.sum())), None, None, None))
        elif kind == "multiple_choice":
            for option in options:
                chosen = rng.random(count) < 0.4
                columns.append((rid[chosen], qid, option, None, None, None))
        elif kind == "ranking":
            answered = rng.random(count) < 0.8
            order = np.argsort(rng.random((int(answered.sum()), len(options))), axis=1)
            for rank in range(len(options)):
                keys = np.array(options, dtype=object)[order[:, rank]]
                columns.append((rid[answered], qid, keys, rank + 1, None, None))
        elif kind in ("scale", "number"):
            answered = rng.random(count) < 0.9
            size = int(answered.sum())
            values = rng.integers(0, 11, size) if kind == "scale" else \
                np.clip(rng.normal(38, 14, size).round(), 16, 95).astype(int)
            columns.append((rid[answered], qid, None, None, values, None))
        else:
            answered = rng.random(count) < 0.2
            columns.append((rid[answered], qid, None, None, None,
                            "More light near the bus station, and a place to report."))
    answers = []
    for ids_, qid, option, rank, number, text in columns:
        n = len(ids_)
        options = option if isinstance(option, np.ndarray) else [option] * n
        numbers = number.tolist() if isinstance(number, np.ndarray) else [number] * n
        answers.extend(zip(ids_.tolist(), [qid] * n, options, [rank] * n, numbers,
                           [text] * n))
    answers.sort(key=lambda row: row[0])  # a response's answers together, as the app writes
    return responses, answers
